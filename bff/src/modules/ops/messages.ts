import type { CodesOf } from '../../core/errors.ts';
import type { CatalogEntry } from '../../core/catalog.ts';

/** Error texts of the ops module: calendar and dev tools. */
export const messages = {
  'calendar.year_out_of_range': { status: 422, 'zh-CN': '年份超出范围', en: 'The year is out of range' },
  'calendar.day_outside_year': { status: 422, 'zh-CN': '日期不属于所选年份', en: 'A date lies outside the chosen year' },
  'calendar.day_conflict': { status: 422, 'zh-CN': '同一日期不能既是节假日又是调休工作日', en: 'A date cannot be both a holiday and a make-up working day' },
  'calendar.not_found': { status: 404, 'zh-CN': '该日期没有人工设置', en: 'No override exists for this date' },
  'dev.disabled': { status: 404, 'zh-CN': '未找到该页面或资源', en: 'Not found' },
} satisfies Record<string, CatalogEntry>;

declare module '../../core/errors.ts' {
  interface ErrorCodes extends CodesOf<typeof messages> {}
}
