import type { CodesOf, Params } from '../../core/errors.ts';
import type { CatalogEntry, Locale } from '../../core/catalog.ts';

/** Error texts of the auth module (zh-CN first, en). */
export const messages = {
  'auth.required': { status: 401, 'zh-CN': '请先登录', en: 'Please sign in' },
  'auth.forbidden': { status: 403, 'zh-CN': '您没有权限进行此操作', en: 'You are not allowed to do this' },
  'auth.invalid_credentials': { status: 401, 'zh-CN': '账号或密码不正确', en: 'The account or password is incorrect',
    detail: (p, locale) => failureText(p, locale) },
  // Issue 18: how long the lock lasts and when it ends (params scope 'account' | 'ip', minutes, until in Beijing time).
  'auth.throttled': { status: 429, 'zh-CN': '尝试次数过多，请稍后再试', en: 'Too many attempts. Please try again later',
    detail: (p, locale) => lockText(p, locale),
    next: { 'zh-CN': '请在解锁后再试；如忘记密码，解锁后可在登录页通过“忘记密码”用短信验证码重设。', en: 'Try again once the lock ends; if you forgot your password, reset it with an SMS code under “Forgot password” on the sign-in page then.' } },
  'auth.code_requests_throttled': { status: 429, 'zh-CN': '此网络获取验证码的次数过多', en: 'Too many codes were asked for from your network',
    detail: (p, locale) => (p.until
      ? locale === 'zh-CN' ? `已暂停${p.minutes}分钟，将于${p.until}（北京时间）恢复。` : `Asking is paused for ${p.minutes} minutes, until ${p.until} (Beijing time).`
      : undefined),
    next: { 'zh-CN': '请到时再获取验证码；已收到的验证码在有效期内仍可使用。', en: 'Ask for a code again then; a code you already received still works until it expires.' } },
  'auth.totp_required': { status: 401, 'zh-CN': '请输入动态口令', en: 'Enter the code from your authenticator app' },
  'auth.totp_invalid': { status: 401, 'zh-CN': '动态口令不正确或已使用', en: 'The authenticator code is wrong or was already used' },
  'auth.totp_not_pending': { status: 409, 'zh-CN': '没有待确认的动态口令设置', en: 'There is no authenticator setup waiting for confirmation',
    next: { 'zh-CN': '请先开始设置动态口令，再输入身份验证器显示的口令确认。', en: 'Start the authenticator setup first, then confirm it with the code your app shows.' } },
  'auth.totp_enrolment_required': { status: 403, 'zh-CN': '请先设置动态口令：工作人员须启用双因素认证后才能使用业务系统', en: 'Set up your authenticator first: staff must use two-factor sign-in before they can use the console',
    next: { 'zh-CN': '请在登录页按提示用身份验证器扫描或录入密钥，并输入动态口令完成设置。', en: 'On the sign-in page, add the key to your authenticator app and enter its code to finish the setup.' } },
  'auth.totp_reauth_required': { status: 422, 'zh-CN': '更换动态口令须输入当前密码和当前动态口令', en: 'To replace your authenticator, enter your current password and a current code',
    next: { 'zh-CN': '请填写当前密码和身份验证器显示的 6 位动态口令后重试。', en: 'Enter your current password and the 6-digit code from your authenticator app, then try again.' } },
  'auth.reauth_invalid': { status: 422, 'zh-CN': '当前密码或动态口令不正确', en: 'The current password or code is incorrect',
    next: { 'zh-CN': '请核对后重试；连续错误 5 次，账号将被锁定 15 分钟。', en: 'Check them and try again; after 5 wrong attempts the account is locked for 15 minutes.' } },
  'auth.totp_reset_own': { status: 409, 'zh-CN': '不能重置本人的动态口令', en: 'You cannot reset your own authenticator',
    next: { 'zh-CN': '请在“我的动态口令”中凭当前密码和动态口令更换，或请另一名系统管理员重置。', en: 'Replace it under “My authenticator” with your password and a current code, or ask another system administrator to reset it.' } },
  'auth.account_suspended': { status: 403, 'zh-CN': '账号已暂停使用，请用短信验证码登录以恢复', en: 'The account is suspended. Sign in with an SMS code to reactivate it' },
  'auth.account_disabled': { status: 403, 'zh-CN': '账号已停用', en: 'The account is disabled' },
  'auth.sms_code_invalid': { status: 422, 'zh-CN': '短信验证码不正确或已过期', en: 'The SMS code is wrong or has expired',
    detail: (p, locale) => failureText(p, locale),
    next: { 'zh-CN': '请核对验证码，或重新获取验证码后再试。', en: 'Check the code, or ask for a new one and try again.' } },
  'auth.sms_code_too_soon': { status: 429, 'zh-CN': '验证码发送过于频繁，请稍后再试', en: 'Please wait before asking for another code' },
  'auth.sms_code_daily_limit': { status: 429, 'zh-CN': '今日验证码发送次数已达上限', en: 'Too many codes were sent to this number today',
    next: { 'zh-CN': '请于24小时后再试。', en: 'Please try again after 24 hours.' } },
  'auth.weak_password': { status: 422, 'zh-CN': '密码太容易被猜到', en: 'This password is too easy to guess',
    detail: (p, locale) => weakPasswordReason[String(p.reason)]?.[locale],
    next: {
      'zh-CN': '好的密码至少8位，可以由几个不相关的词语加上数字或符号组成，不要使用常见密码，也不要包含手机号、姓名、生日或证件号码。',
      en: 'A good password has at least 8 characters, for instance a few unrelated words with digits or symbols, and is neither a common password nor built from your phone number, name, birthday or ID number.',
    } },
  'auth.password_unchanged': { status: 422, 'zh-CN': '新密码不能与当前密码相同', en: 'The new password must differ from the current one',
    next: { 'zh-CN': '请设置一个新的密码。', en: 'Choose a password you have not been using.' } },
} satisfies Record<string, CatalogEntry>;

/**
 * Issue 18, after a wrong password or code: the lock it started (params scope,
 * minutes, until), else the warning before the last attempt — "one attempt
 * left before the account is locked for N minutes" (attemptsLeft, minutes).
 * The same for every phone, with or without an account, so it tells nobody which exist.
 */
function failureText(p: Params, locale: Locale): string | undefined {
  if (p.until) return lockText(p, locale);
  if (p.attemptsLeft !== 1) return undefined;
  return locale === 'zh-CN' ? `还剩1次机会：再输错1次，账号将被锁定${p.minutes}分钟。` : `One attempt left before the account is locked for ${p.minutes} minutes.`;
}

/** Issue 18: which lock, how long it lasts and when it ends. */
function lockText(p: Params, locale: Locale): string | undefined {
  if (!p.until) return undefined;
  if (p.scope === 'ip') {
    return locale === 'zh-CN'
      ? `此网络的尝试次数过多，已暂停${p.minutes}分钟，将于${p.until}（北京时间）恢复。`
      : `Too many attempts came from your network: it is paused for ${p.minutes} minutes, until ${p.until} (Beijing time).`;
  }
  return locale === 'zh-CN'
    ? `因多次输入错误，账号已锁定${p.minutes}分钟，将于${p.until}（北京时间）解锁。`
    : `After too many wrong attempts the account is locked for ${p.minutes} minutes, until ${p.until} (Beijing time).`;
}

/** SMS texts of signing in (issue 18: password reset), zh-CN as the authorities send them. */
export const smsTemplates: Record<string, (p: Record<string, unknown>) => string> = {
  'auth.password_reset_code': (p) => `【交管12123】您正在重设登录密码，验证码为${p.code}，${p.minutes}分钟内有效。如非本人操作，请忽略本短信，切勿泄露验证码。`,
  'auth.password_reset_done': () => '【交管12123】您的登录密码已重设，其他设备上的登录已全部退出。如非本人操作，请立即联系交管部门。',
};

/** What made a password guessable (auth/rules.ts `decideNewPassword`). */
const weakPasswordReason: Record<string, { 'zh-CN': string; en: string }> = {
  length: { 'zh-CN': '密码需为8至64位。', en: 'It must have 8 to 64 characters.' },
  personal: { 'zh-CN': '它包含了您的手机号、姓名或证件号码等个人信息。', en: 'It contains your phone number, name or ID number.' },
  common: { 'zh-CN': '它是常见密码，或与常见密码过于相似。', en: 'It is a common password or too close to one.' },
  pattern: { 'zh-CN': '它由日期、键盘顺序、重复或连续的字符等容易猜到的规律组成。', en: 'It follows a pattern that is easy to guess, such as a date, a keyboard row, or repeated or consecutive characters.' },
};

declare module '../../core/errors.ts' {
  interface ErrorCodes extends CodesOf<typeof messages> {}
}
