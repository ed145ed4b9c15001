import { fail, type ActionFailure } from '@sveltejs/kit';
import type { Problem } from 'bff/client';
import { problemToFormError, type FormError } from '$lib/form-errors';

/** What a refused form sends back: the error, and what the user typed (never passwords or codes). */
export type FormFailure<V extends Record<string, string> = Record<string, string>> = {
  error: FormError;
  values: V;
};

export function field(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

/** A field the user must not lose whitespace in (passwords). */
export function rawField(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
}

type NoExtra = Record<never, never>;

export function invalid<V extends Record<string, string>, E extends Record<string, unknown> = NoExtra>(
  fields: Record<string, string>,
  values: V,
  extra?: E,
): ActionFailure<FormFailure<V> & E> {
  return fail(400, { error: { title: null, fields }, values, ...(extra as E) });
}

/**
 * The bff refused: its words at the fields it names, or in the summary; what
 * the user typed comes back with them. An expired session (401) is a refusal
 * too: the page asks the user to sign in again instead of losing the form.
 * `inputName` maps the bff's body paths to this form's inputs (default: `form.x` → `x`).
 */
export function refused<V extends Record<string, string>, E extends Record<string, unknown> = NoExtra>(
  problem: Problem,
  values: V,
  extra?: E,
  inputName?: (path: string) => string,
): ActionFailure<FormFailure<V> & E> {
  const status = problem.status >= 400 && problem.status < 600 ? problem.status : 400;
  return fail(status, { error: problemToFormError(problem, inputName), values, ...(extra as E) });
}

/** Only paths on this site, so a crafted sign-in link cannot send the user elsewhere. */
export function safeRedirect(target: string | null | undefined, fallback: string): string {
  if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return fallback;
  return target;
}
