import { describe, fieldText, type Locale } from '../core/catalog.ts';
import type { DomainErrorDetails } from '../core/errors.ts';
import type { FieldError, Problem } from '../core/problem.ts';
import { errorCatalog } from '../modules/index.ts';

/** The message at a field: the refusal's name, then its particulars and next step. */
const sentence = (title: string, detail: string, locale: Locale) =>
  /[。.!?！？]$/.test(title) ? `${title}${locale === 'zh-CN' ? '' : ' '}${detail}` : `${title}${locale === 'zh-CN' ? '。' : '. '}${detail}`;

const pointerOf = (field: string) => `/${field.split('.').map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

/**
 * The problem+json body of a code, rendered once for every error the bff
 * answers. A refusal about one field puts its own words at that field (never
 * a generic "format" message); format errors put each field's message there.
 */
export function problemBody(code: string, locale: Locale, requestId: string | undefined, details?: DomainErrorDetails): Problem {
  const { status, title, detail } = describe(errorCatalog, code, details?.params, locale);
  const body: Problem = { type: `https://jiaoguan.example/problems/${code}`, code, status, title, requestId };
  if (detail) body.detail = detail;
  if (details?.params) body.params = details.params;
  const errors: FieldError[] = [];
  if (details?.field) errors.push({ pointer: pointerOf(details.field), field: details.field, code, detail: detail ? sentence(title, detail, locale) : title });
  for (const [field, fieldCode] of Object.entries(details?.fields ?? {})) {
    errors.push({ pointer: pointerOf(field), field, code: fieldCode, detail: fieldText(fieldCode, locale) });
  }
  if (errors.length > 0) {
    body.errors = errors;
    if (!body.detail) body.detail = errors.map((e) => e.detail).join(locale === 'zh-CN' ? '；' : '; ');
  }
  return body;
}
