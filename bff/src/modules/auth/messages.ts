import type { CodesOf } from '../../core/errors.ts';
import type { CatalogEntry } from '../../core/catalog.ts';

/** Error texts of the auth module (zh-CN first, en). */
export const messages = {
  'auth.required': { status: 401, 'zh-CN': '请先登录', en: 'Please sign in' },
  'auth.forbidden': { status: 403, 'zh-CN': '您没有权限进行此操作', en: 'You are not allowed to do this' },
  'auth.invalid_credentials': { status: 401, 'zh-CN': '账号或密码不正确', en: 'The account or password is incorrect' },
  'auth.throttled': { status: 429, 'zh-CN': '尝试次数过多，请稍后再试', en: 'Too many attempts. Please try again later' },
  'auth.totp_required': { status: 401, 'zh-CN': '请输入动态口令', en: 'Enter the code from your authenticator app' },
  'auth.totp_invalid': { status: 401, 'zh-CN': '动态口令不正确或已使用', en: 'The authenticator code is wrong or was already used' },
  'auth.totp_not_pending': { status: 409, 'zh-CN': '没有待确认的动态口令设置', en: 'There is no authenticator setup waiting for confirmation' },
  'auth.account_suspended': { status: 403, 'zh-CN': '账号已暂停使用，请用短信验证码登录以恢复', en: 'The account is suspended. Sign in with an SMS code to reactivate it' },
  'auth.account_disabled': { status: 403, 'zh-CN': '账号已停用', en: 'The account is disabled' },
  'auth.sms_code_invalid': { status: 422, 'zh-CN': '短信验证码不正确或已过期', en: 'The SMS code is wrong or has expired',
    next: { 'zh-CN': '请核对验证码，或重新获取验证码后再试。', en: 'Check the code, or ask for a new one and try again.' } },
  'auth.sms_code_too_soon': { status: 429, 'zh-CN': '验证码发送过于频繁，请稍后再试', en: 'Please wait before asking for another code' },
  'auth.sms_code_daily_limit': { status: 429, 'zh-CN': '今日验证码发送次数已达上限', en: 'Too many codes were sent to this number today',
    next: { 'zh-CN': '请于24小时后再试。', en: 'Please try again after 24 hours.' } },
  'auth.weak_password': { status: 422, 'zh-CN': '密码需为8至64位，并同时包含字母和数字', en: 'The password must be 8 to 64 characters and contain letters and digits' },
} satisfies Record<string, CatalogEntry>;

declare module '../../core/errors.ts' {
  interface ErrorCodes extends CodesOf<typeof messages> {}
}
