import type { z } from 'zod';
import { DomainError } from '../core/errors.ts';
import { controlCharacterPath } from '../core/text.ts';

/**
 * Turns zod issues into a field → code map. Custom refinements carry their
 * code in `params.code` (check digits, phone, password); built-in issues map
 * to generic codes.
 */
export function issuesToFields(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      // Name each unknown key, so a form can show the error where it belongs.
      const base = issue.path.map(String);
      for (const k of issue.keys) fields[[...base, k].join('.')] ??= 'validation.unknown_field';
      continue;
    }
    const path = issue.path.length ? issue.path.map(String).join('.') : '_';
    if (fields[path]) continue;
    fields[path] = codeOf(issue);
  }
  return fields;
}

function codeOf(issue: z.core.$ZodIssue): string {
  const custom = (issue as { params?: { code?: unknown } }).params?.code;
  if (typeof custom === 'string') return custom;
  switch (issue.code) {
    case 'invalid_type':
      return (issue as { input?: unknown }).input === undefined ? 'validation.required' : 'validation.invalid_type';
    case 'too_small':
      return (issue as { origin?: string }).origin === 'string' || (issue as { origin?: string }).origin === 'array'
        ? 'validation.too_short'
        : 'validation.too_small';
    case 'too_big':
      return (issue as { origin?: string }).origin === 'string' || (issue as { origin?: string }).origin === 'array'
        ? 'validation.too_long'
        : 'validation.too_big';
    case 'invalid_value':
      return 'validation.enum';
    case 'unrecognized_keys':
      return 'validation.unknown_field';
    default:
      return 'validation.invalid';
  }
}

/**
 * The defaultHook of every OpenAPIHono app: a failed validation is a 400
 * problem, and so is a control character in any string of the request's
 * body, query, path or headers as validated (core/text.ts, ADR-023) — in one
 * place, so that no schema can let a NUL through to Postgres.
 */
export function validationHook(result: { success: boolean; data?: unknown; error?: { issues: readonly z.core.$ZodIssue[] } }) {
  if (!result.success) {
    throw new DomainError('request.invalid', { fields: issuesToFields(result.error?.issues ?? []) });
  }
  const at = controlCharacterPath(result.data);
  if (at !== undefined) throw new DomainError('request.invalid', { fields: { [at]: 'validation.control_characters' } });
}
