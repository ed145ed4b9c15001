import { describe, expect, it } from 'vitest';
import { flattenFormErrors, placeFormErrors } from './form-errors.ts';

const shownIn = (...names: string[]) => (name: string) => names.includes(name);

describe('placeFormErrors', () => {
  it('keeps a message at the field the form shows', () => {
    const placed = placeFormErrors({ quantity: '本次最多发放10块', root: { serverError: '超出可持有数量' } }, shownIn('quantity', 'qualificationId'));
    expect(placed).toEqual({ quantity: '本次最多发放10块', root: { serverError: '超出可持有数量' } });
  });

  it('moves a message to the nearest field the form shows (an item of a list typed in one box)', () => {
    const placed = placeFormErrors({ 'withheldSerials.3': '序号超出号段', root: { serverError: '提交的信息有误' } }, shownIn('withheldSerials'));
    expect(placed).toEqual({ withheldSerials: '序号超出号段', root: { serverError: '提交的信息有误' } });
  });

  it('adds what no shown field can carry to the notified message, so the form is not left with an error it cannot clear', () => {
    const placed = placeFormErrors(
      { returnedDamagedNos: '未交回的损毁号牌：粤B临00002', root: { serverError: '核查未通过' } },
      shownIn('returnedDamagedText', 'quantity'),
    );
    expect(placed).toEqual({ root: { serverError: '核查未通过：未交回的损毁号牌：粤B临00002' } });
    const en = placeFormErrors({ returnedDamagedNos: 'damaged blanks not returned', root: { serverError: 'Check failed' } }, shownIn());
    expect(en).toEqual({ root: { serverError: 'Check failed: damaged blanks not returned' } });
  });

  it('reads nested errors as dotted paths', () => {
    expect(flattenFormErrors({ form: { idNumber: '校验位不正确', agent: { phone: { type: 'server', message: '手机号码格式不正确' } } }, root: { serverError: 't' } })).toEqual({
      'form.idNumber': '校验位不正确',
      'form.agent.phone': '手机号码格式不正确',
    });
    const placed = placeFormErrors({ form: { idNumber: '校验位不正确' } }, shownIn('form.idNumber'));
    expect(placed).toEqual({ 'form.idNumber': '校验位不正确' });
  });
});
