import { maskMiddle } from './check-digits.ts';

/**
 * Masks for the personal data that has no check digit (issue 17, ADR-024);
 * ID numbers, phones, VINs and names are masked in check-digits.ts.
 */

/** The kinds of personal data staff screens mask and a logged reveal shows in full. */
export const DATA_KINDS = ['id_number', 'phone', 'email', 'postal_address'] as const;
export type DataKind = (typeof DATA_KINDS)[number];

/** E-mail: the first character of the mailbox and the domain: 'chen.jing@example.cn' → 'c***@example.cn'. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return maskMiddle(email, 1, 0);
  return `${Array.from(email)[0]}***${email.slice(at)}`;
}

// 省 / 自治区, then 市 / 州 / 盟, then 区 / 县 / 市 / 旗: the administrative part of a Chinese address.
const DIVISIONS = /^(?:.{2,7}?(?:省|自治区|特别行政区))?(?:.{1,7}?(?:市|自治州|地区|盟))?(?:.{1,7}?(?:区|县|市|旗))?/u;

/**
 * 邮寄地址: its administrative divisions kept, the street and number hidden:
 * '广东省深圳市龙岗区龙城大道99号碧海名苑1栋2106' → '广东省深圳市龙岗区****'. An
 * address without them keeps its first two characters.
 */
export function maskAddress(address: string): string {
  const prefix = DIVISIONS.exec(address)?.[0] ?? '';
  const kept = prefix.length > 0 && prefix.length < address.length ? prefix : Array.from(address).slice(0, 2).join('');
  return `${kept}****`;
}
