import type { CatalogEntry } from '../../http/catalog.ts';

/** Error texts of the accounts module (zh-CN first, en). */
export const messages = {
  'accounts.person_not_found': { status: 422, 'zh-CN': '身份信息与人口信息库不一致', en: 'The name and ID number do not match the population registry' },
  'accounts.no_records': { status: 422, 'zh-CN': '未查询到您名下的机动车或驾驶证，无法注册为车主或驾驶人用户', en: 'No vehicle or driving licence is recorded for you, so you cannot register as an owner or driver' },
  'accounts.phone_mismatch': { status: 422, 'zh-CN': '手机号码与机动车登记或驾驶证申领时留存的号码不一致', en: 'The phone number differs from the one recorded with your vehicle or driving licence' },
  'accounts.already_registered': { status: 409, 'zh-CN': '该身份证明已注册过账号', en: 'An account is already registered for this identity document' },
  'accounts.phone_in_use': { status: 409, 'zh-CN': '该手机号码已被其他账号使用', en: 'This phone number is already used by another account' },
  'accounts.not_found': { status: 404, 'zh-CN': '账号不存在', en: 'Account not found' },
} satisfies Record<string, CatalogEntry>;
