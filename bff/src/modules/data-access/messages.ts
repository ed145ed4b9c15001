import type { CodesOf } from '../../core/errors.ts';
import { defineMessages } from '../../core/catalog.ts';

/** Error texts of personal-data access (issue 17, ADR-024): reveals and the 审计员 role. */
export const messages = defineMessages({
  'data_access.field_unknown': {
    status: 422, 'zh-CN': '该记录没有可以查看的这一项信息', en: 'This record has no such item to reveal',
    detail: (p, locale) => (p.fields ? (locale === 'en' ? `Items you can reveal here: ${String(p.fields)}.` : `本记录可查看的项目：${String(p.fields)}。`) : undefined),
    next: { 'zh-CN': '请在记录页面上点击被遮盖信息旁的“查看完整信息”。', en: 'Use “Reveal” beside a masked item on the record’s page.' },
  },
  'data_access.field_empty': {
    status: 422, 'zh-CN': '该记录没有填写这一项信息', en: 'This item is empty on this record',
    next: { 'zh-CN': '无需查看：该项为空。', en: 'There is nothing to reveal: the item is empty.' },
  },
  'data_access.auditor_holds_no_post': {
    status: 422, 'zh-CN': '审计员不能同时担任业务岗位', en: 'An auditor cannot also hold a business post',
    next: { 'zh-CN': '请只保留审计员角色，或改为业务岗位。', en: 'Keep only the auditor role, or choose business posts instead.' },
  },
});

declare module '../../core/errors.ts' {
  interface ErrorCodes extends CodesOf<typeof messages> {}
}
