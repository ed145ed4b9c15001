/**
 * The message catalog the bff owns for its error codes (zh-CN first, en).
 * One table maps code → HTTP status (style §3): 400 malformed, 401/403 auth,
 * 404 not found (also "exists but not yours"), 409 race or state conflict,
 * 422 a rule refused. web and admin reuse these texts through the problem body.
 */
export type Locale = 'zh-CN' | 'en';
export const locales: readonly Locale[] = ['zh-CN', 'en'];

type Entry = { status: number; 'zh-CN': string; en: string };

export const errorCatalog = {
  // request level
  'request.malformed': { status: 400, 'zh-CN': '请求格式不正确', en: 'The request is malformed' },
  'request.invalid': { status: 400, 'zh-CN': '请检查填写的内容', en: 'Please check the information you entered' },
  'request.unsupported_media_type': { status: 415, 'zh-CN': '请求内容必须是 JSON', en: 'The request body must be JSON' },
  'request.too_large': { status: 413, 'zh-CN': '请求内容过大', en: 'The request is too large' },
  'request.not_found': { status: 404, 'zh-CN': '未找到该页面或资源', en: 'Not found' },
  'request.method_not_allowed': { status: 405, 'zh-CN': '不支持该请求方法', en: 'Method not allowed' },
  'request.internal': { status: 500, 'zh-CN': '系统繁忙，请稍后再试', en: 'Something went wrong on our side. Please try again later' },
  'request.unavailable': { status: 503, 'zh-CN': '服务暂时不可用，请稍后再试', en: 'The service is temporarily unavailable. Please try again shortly' },
  // idempotency
  'idempotency.key_invalid': { status: 400, 'zh-CN': 'Idempotency-Key 格式不正确', en: 'The Idempotency-Key header is invalid' },
  'idempotency.key_reused': { status: 422, 'zh-CN': '同一个幂等键已用于不同的请求', en: 'This idempotency key was already used for a different request' },
  'idempotency.in_progress': { status: 409, 'zh-CN': '相同的请求正在处理中，请稍候', en: 'The same request is still being processed' },
  // auth
  'auth.required': { status: 401, 'zh-CN': '请先登录', en: 'Please sign in' },
  'auth.forbidden': { status: 403, 'zh-CN': '您没有权限进行此操作', en: 'You are not allowed to do this' },
  'auth.invalid_credentials': { status: 401, 'zh-CN': '账号或密码不正确', en: 'The account or password is incorrect' },
  'auth.throttled': { status: 429, 'zh-CN': '尝试次数过多，请稍后再试', en: 'Too many attempts. Please try again later' },
  'auth.totp_required': { status: 401, 'zh-CN': '请输入动态口令', en: 'Enter the code from your authenticator app' },
  'auth.totp_invalid': { status: 401, 'zh-CN': '动态口令不正确或已使用', en: 'The authenticator code is wrong or was already used' },
  'auth.totp_not_pending': { status: 409, 'zh-CN': '没有待确认的动态口令设置', en: 'There is no authenticator setup waiting for confirmation' },
  'auth.account_suspended': { status: 403, 'zh-CN': '账号已暂停使用，请用短信验证码登录以恢复', en: 'The account is suspended. Sign in with an SMS code to reactivate it' },
  'auth.account_disabled': { status: 403, 'zh-CN': '账号已停用', en: 'The account is disabled' },
  'auth.sms_code_invalid': { status: 422, 'zh-CN': '短信验证码不正确或已过期', en: 'The SMS code is wrong or has expired' },
  'auth.sms_code_too_soon': { status: 429, 'zh-CN': '验证码发送过于频繁，请稍后再试', en: 'Please wait before asking for another code' },
  'auth.sms_code_daily_limit': { status: 429, 'zh-CN': '今日验证码发送次数已达上限', en: 'Too many codes were sent to this number today' },
  'auth.weak_password': { status: 422, 'zh-CN': '密码需为8至64位，并同时包含字母和数字', en: 'The password must be 8 to 64 characters and contain letters and digits' },
  // accounts
  'accounts.person_not_found': { status: 422, 'zh-CN': '身份信息与人口信息库不一致', en: 'The name and ID number do not match the population registry' },
  'accounts.no_records': { status: 422, 'zh-CN': '未查询到您名下的机动车或驾驶证，无法注册为车主或驾驶人用户', en: 'No vehicle or driving licence is recorded for you, so you cannot register as an owner or driver' },
  'accounts.phone_mismatch': { status: 422, 'zh-CN': '手机号码与机动车登记或驾驶证申领时留存的号码不一致', en: 'The phone number differs from the one recorded with your vehicle or driving licence' },
  'accounts.already_registered': { status: 409, 'zh-CN': '该身份证明已注册过账号', en: 'An account is already registered for this identity document' },
  'accounts.phone_in_use': { status: 409, 'zh-CN': '该手机号码已被其他账号使用', en: 'This phone number is already used by another account' },
  'accounts.not_found': { status: 404, 'zh-CN': '账号不存在', en: 'Account not found' },
  // calendar
  'calendar.year_out_of_range': { status: 422, 'zh-CN': '年份超出范围', en: 'The year is out of range' },
  'calendar.day_outside_year': { status: 422, 'zh-CN': '日期不属于所选年份', en: 'A date lies outside the chosen year' },
  'calendar.day_conflict': { status: 422, 'zh-CN': '同一日期不能既是节假日又是调休工作日', en: 'A date cannot be both a holiday and a make-up working day' },
  'calendar.not_found': { status: 404, 'zh-CN': '该日期没有人工设置', en: 'No override exists for this date' },
  // dev tools
  'dev.disabled': { status: 404, 'zh-CN': '未找到该页面或资源', en: 'Not found' },
} satisfies Record<string, Entry>;

export type ErrorCode = keyof typeof errorCatalog;

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
  'validation.date': { 'zh-CN': '请输入有效日期（YYYY-MM-DD）', en: 'Enter a valid date (YYYY-MM-DD)' },
  'validation.enum': { 'zh-CN': '请选择列表中的一项', en: 'Choose one of the listed options' },
  'validation.password_weak': { 'zh-CN': '密码需为8至64位，并同时包含字母和数字', en: 'Use 8 to 64 characters with letters and digits' },
  'validation.id_number_length': { 'zh-CN': '身份证号码应为18位', en: 'A resident ID number has 18 characters' },
  'validation.id_number_charset': { 'zh-CN': '身份证号码只能包含数字，最后一位可以是X', en: 'A resident ID number has digits only, the last may be X' },
  'validation.id_number_region': { 'zh-CN': '身份证号码的地区码不正确', en: 'The region code of the ID number is not valid' },
  'validation.id_number_birth_date': { 'zh-CN': '身份证号码中的出生日期不正确', en: 'The birth date in the ID number is not valid' },
  'validation.id_number_checksum': { 'zh-CN': '身份证号码校验位不正确，请核对', en: 'The check digit of the ID number is wrong; please check it' },
  'validation.vin_length': { 'zh-CN': '车辆识别代号应为17位', en: 'A VIN has 17 characters' },
  'validation.vin_charset': { 'zh-CN': '车辆识别代号不能包含 I、O、Q', en: 'A VIN cannot contain I, O or Q' },
  'validation.vin_checksum': { 'zh-CN': '车辆识别代号校验位不正确', en: 'The check digit of the VIN is wrong' },
  'validation.uscc_length': { 'zh-CN': '统一社会信用代码应为18位', en: 'A unified social credit code has 18 characters' },
  'validation.uscc_charset': { 'zh-CN': '统一社会信用代码包含无效字符', en: 'The unified social credit code contains invalid characters' },
  'validation.uscc_checksum': { 'zh-CN': '统一社会信用代码校验位不正确', en: 'The check character of the unified social credit code is wrong' },
};

export function errorText(code: string, locale: Locale): { status: number; title: string } {
  const entry = (errorCatalog as Record<string, Entry>)[code];
  if (!entry) return { status: 500, title: errorCatalog['request.internal'][locale] };
  return { status: entry.status, title: entry[locale] };
}

export function fieldText(code: string, locale: Locale): string {
  return (fieldCatalog[code] ?? fieldCatalog['validation.invalid']!)[locale];
}

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
