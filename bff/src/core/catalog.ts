import type { Params } from './errors.ts';
import type { CodesOf } from './errors.ts';

/** One error code's status and texts. Each module keeps its own in `messages.ts` (see {@link defineMessages}). */
export type CatalogEntry = {
  status: number;
  'zh-CN': string;
  en: string;
  /**
   * The particulars, from the refusal's params: what was found, and what the
   * user can do next (when, where, or whom to ask). Never an internal rule id.
   */
  detail?: (params: Params, locale: Locale) => string | undefined;
  /** What the user can do next (when, where, whom to ask), when `detail` does not already say it. */
  next?: { 'zh-CN': string; en: string };
};

/** A module's catalog, typed so its codes join {@link ErrorCode}. */
export const defineMessages = <const T extends Record<string, CatalogEntry>>(m: T): T => m;

/**
 * The message catalog the bff owns for its error codes (zh-CN first, en).
 * One table maps code → HTTP status (style §3): 400 malformed, 401/403 auth,
 * 404 not found (also "exists but not yours"), 409 race or state conflict,
 * 422 a rule refused. web and admin reuse these texts through the problem body.
 */
export type Locale = 'zh-CN' | 'en';
export const locales: readonly Locale[] = ['zh-CN', 'en'];

export const coreMessages = {
  'request.malformed': { status: 400, 'zh-CN': '请求格式不正确', en: 'The request is malformed' },
  'request.invalid': { status: 400, 'zh-CN': '请检查填写的内容', en: 'Please check the information you entered' },
  'request.unsupported_media_type': { status: 415, 'zh-CN': '请求内容必须是 JSON', en: 'The request body must be JSON' },
  'request.too_large': { status: 413, 'zh-CN': '请求内容过大', en: 'The request is too large' },
  'request.not_found': { status: 404, 'zh-CN': '未找到该页面或资源', en: 'Not found' },
  'request.method_not_allowed': { status: 405, 'zh-CN': '不支持该请求方法', en: 'Method not allowed' },
  'request.cross_site': { status: 403, 'zh-CN': '请求来自其他网站，已拒绝', en: 'This request came from another website and was refused',
    next: { 'zh-CN': '请直接在本平台的网页上办理。', en: 'Use the platform’s own pages to do this.' } },
  'request.internal': { status: 500, 'zh-CN': '系统繁忙，请稍后再试', en: 'Something went wrong on our side. Please try again later' },
  'request.unavailable': { status: 503, 'zh-CN': '服务暂时不可用，请稍后再试', en: 'The service is temporarily unavailable. Please try again shortly' },
  'request.busy': { status: 503, 'zh-CN': '当前办理人数过多，请稍后再试', en: 'Too many people are using the service right now. Please try again in a moment' },
  'idempotency.key_invalid': { status: 400, 'zh-CN': 'Idempotency-Key 格式不正确', en: 'The Idempotency-Key header is invalid' },
  'idempotency.key_reused': { status: 422, 'zh-CN': '同一个幂等键已用于不同的请求', en: 'This idempotency key was already used for a different request',
    next: { 'zh-CN': '请刷新页面后重新提交。', en: 'Reload the page and submit again.' } },
  'idempotency.in_progress': { status: 409, 'zh-CN': '相同的请求正在处理中，请稍候', en: 'The same request is still being processed' },
} satisfies Record<string, CatalogEntry>;


/** Field-level validation codes, shown beside form fields. */
export const fieldCatalog: Record<string, { 'zh-CN': string; en: string }> = {
  'validation.required': { 'zh-CN': '此项为必填项', en: 'This field is required' },
  'validation.invalid': { 'zh-CN': '格式不正确', en: 'The format is not valid' },
  'validation.invalid_type': { 'zh-CN': '格式不正确', en: 'The format is not valid' },
  'validation.too_short': { 'zh-CN': '内容太短', en: 'Too short' },
  'validation.too_long': { 'zh-CN': '内容太长', en: 'Too long' },
  'validation.too_small': { 'zh-CN': '数值太小', en: 'Too small' },
  'validation.too_big': { 'zh-CN': '数值太大', en: 'Too big' },
  'validation.unknown_field': { 'zh-CN': '不支持该字段', en: 'This field is not accepted' },
  'validation.phone': { 'zh-CN': '请输入11位中国大陆手机号码', en: 'Enter an 11-digit mainland China mobile number' },
  'validation.sms_code': { 'zh-CN': '请输入6位数字验证码', en: 'Enter the 6-digit code' },
  'validation.name': { 'zh-CN': '请输入与身份证件一致的姓名', en: 'Enter your name as on your identity document' },
  'validation.date': { 'zh-CN': '请输入1900年至2100年之间的有效日期（YYYY-MM-DD）', en: 'Enter a valid date between 1900 and 2100 (YYYY-MM-DD)' },
  'validation.control_characters': { 'zh-CN': '包含不可见的控制字符，请删除后重新输入', en: 'Contains invisible control characters; remove them and type it again' },
  'validation.range': { 'zh-CN': '超出允许的范围', en: 'Out of the allowed range' },
  'validation.enum': { 'zh-CN': '请选择列表中的一项', en: 'Choose one of the listed options' },
  'validation.password_weak': { 'zh-CN': '密码需为8至64位', en: 'Use 8 to 64 characters' },
  'validation.id_number_length': { 'zh-CN': '身份证号码应为18位', en: 'A resident ID number has 18 characters' },
  'validation.id_number_charset': { 'zh-CN': '身份证号码只能包含数字，最后一位可以是X', en: 'A resident ID number has digits only, the last may be X' },
  'validation.id_number_region': { 'zh-CN': '身份证号码的地区码不正确', en: 'The region code of the ID number is not valid' },
  'validation.id_number_birth_date': { 'zh-CN': '身份证号码中的出生日期不正确', en: 'The birth date in the ID number is not valid' },
  'validation.id_number_checksum': { 'zh-CN': '身份证号码校验位不正确，请核对', en: 'The check digit of the ID number is wrong; please check it' },
  'validation.postcode': { 'zh-CN': '请输入6位邮政编码', en: 'Enter a 6-digit postcode' },
  'validation.email': { 'zh-CN': '请输入有效的电子邮箱', en: 'Enter a valid e-mail address' },
  'validation.vin_length': { 'zh-CN': '车辆识别代号应为17位', en: 'A VIN has 17 characters' },
  'validation.vin_charset': { 'zh-CN': '车辆识别代号不能包含 I、O、Q', en: 'A VIN cannot contain I, O or Q' },
  'validation.vin_checksum': { 'zh-CN': '车辆识别代号校验位不正确', en: 'The check digit of the VIN is wrong' },
  'validation.uscc_length': { 'zh-CN': '统一社会信用代码应为18位', en: 'A unified social credit code has 18 characters' },
  'validation.uscc_charset': { 'zh-CN': '统一社会信用代码包含无效字符', en: 'The unified social credit code contains invalid characters' },
  'validation.uscc_checksum': { 'zh-CN': '统一社会信用代码校验位不正确', en: 'The check character of the unified social credit code is wrong' },
};

/** zh-CN unless the client prefers English (Accept-Language or `lang` cookie). */
export function pickLocale(acceptLanguage: string | undefined | null, cookieLang?: string | null): Locale {
  if (cookieLang === 'en' || cookieLang === 'zh-CN') return cookieLang;
  if (!acceptLanguage) return 'zh-CN';
  const ranked = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? '1');
      return { tag: tag.toLowerCase(), q: Number.isFinite(q) ? q : 0 };
    })
    .filter((x) => x.tag)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

export function fieldText(code: string, locale: Locale): string {
  return (fieldCatalog[code] ?? fieldCatalog['validation.invalid']!)[locale];
}

/** The localised title and detail of a code, from the catalog it belongs to. */
export function describe(
  catalog: Record<string, CatalogEntry>,
  code: string,
  params: Params | undefined,
  locale: Locale,
): { status: number; title: string; detail: string | undefined } {
  const entry = catalog[code];
  if (!entry) return { status: 500, title: coreMessages['request.internal'][locale], detail: undefined };
  const parts = [entry.detail?.(params ?? {}, locale), entry.next?.[locale]].filter((x): x is string => !!x);
  return { status: entry.status, title: entry[locale], detail: parts.length ? parts.join(locale === 'zh-CN' ? '' : ' ') : undefined };
}

declare module './errors.ts' {
  interface ErrorCodes extends CodesOf<typeof coreMessages> {}
}
