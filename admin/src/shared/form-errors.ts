import { joinText, type FormErrors } from './problem.ts';

/** Nested form errors (`{ form: { idNumber: '…' } }`) as dotted paths; `root` stays as it is. */
export const flattenFormErrors = (errors: Record<string, unknown>, prefix = ''): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(errors)) {
    if (!prefix && name === 'root') continue;
    if (typeof value === 'string') out[`${prefix}${name}`] = value;
    else if (typeof value === 'object' && value !== null) {
      const message = (value as { message?: unknown }).message;
      if (typeof message === 'string') out[`${prefix}${name}`] = message;
      else Object.assign(out, flattenFormErrors(value as Record<string, unknown>, `${prefix}${name}.`));
    }
  }
  return out;
};

/**
 * Puts each of the server's field messages where this form can show it: at
 * the field, else at its nearest shown ancestor (`withheldSerials.3` →
 * `withheldSerials`); a message no shown field can carry (the form names the
 * field differently, or does not ask for it) joins the notified message
 * (`root.serverError`), so nothing the server said is lost and no error is
 * left at a field that does not exist — react-hook-form never clears those,
 * and the form could not be submitted again.
 */
export const placeFormErrors = (errors: Record<string, unknown>, shown: (name: string) => boolean): FormErrors => {
  const placed: FormErrors = {};
  const unplaced: string[] = [];
  for (const [name, message] of Object.entries(flattenFormErrors(errors))) {
    const parts = name.split('.');
    let target: string | undefined;
    for (let n = parts.length; n > 0 && target === undefined; n--) {
      const candidate = parts.slice(0, n).join('.');
      if (shown(candidate)) target = candidate;
    }
    if (target === undefined) {
      if (!unplaced.includes(message)) unplaced.push(message);
    } else if (!(target in placed)) {
      placed[target] = message;
    }
  }
  const root = (errors.root as { serverError?: unknown } | undefined)?.serverError;
  const title = typeof root === 'string' ? root : '';
  const serverError = unplaced.length ? joinText(title, unplaced.join(/[\u3400-\u9fff]/.test(unplaced.join('')) ? '；' : '; ')) : title;
  if (serverError) placed.root = { serverError };
  return placed;
};
