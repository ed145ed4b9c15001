import { expect, it } from 'vitest';
import { summaryItems } from './form-errors.ts';

const order = ['name', 'idNumber', 'phone'];

it('lists field messages in page order', () => {
  expect(
    summaryItems({ title: '请求有误', fields: { phone: '手机号格式不正确', name: '请输入姓名' } }, order, 'name'),
  ).toEqual([
    { field: 'name', message: '请输入姓名' },
    { field: 'phone', message: '手机号格式不正确' },
  ]);
});

it('links a problem without fields, or with fields this form lacks, to the first field', () => {
  expect(summaryItems({ title: '手机号或密码不正确', fields: {} }, order, 'phone')).toEqual([
    { field: 'phone', message: '手机号或密码不正确' },
  ]);
  expect(summaryItems({ title: 'x', fields: { captcha: '验证失败' } }, order, 'name')).toEqual([
    { field: 'name', message: '验证失败' },
  ]);
  expect(summaryItems(null, order, 'name')).toEqual([]);
});
