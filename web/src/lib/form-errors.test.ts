import type { Problem } from 'bff/client';
import { describe, expect, it } from 'vitest';
import { problemToFormError, SIGN_IN_AGAIN_FIELD, summaryItems } from './form-errors.ts';

const order = ['name', 'idNumber', 'phone'];

describe('summaryItems', () => {
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

  it('puts the detail of a refusal about no field under its title', () => {
    expect(summaryItems({ title: '该时段已约满', detail: '请选择其他时段。', fields: {} }, order, 'name')).toEqual([
      { field: 'name', message: '该时段已约满', detail: '请选择其他时段。' },
    ]);
  });

  it('links an expired session to the sign-in form', () => {
    expect(summaryItems({ title: '请先登录', fields: {}, signIn: true }, order, 'name')).toEqual([
      { field: SIGN_IN_AGAIN_FIELD, message: '请先登录', signIn: true },
    ]);
  });
});

const problem = (p: Partial<Problem> & Pick<Problem, 'code' | 'status' | 'title'>): Problem => ({
  type: `https://jiaoguan.example/problems/${p.code}`,
  ...p,
});

describe('problemToFormError', () => {
  it('keeps the server’s own words for a business refusal at the field it names', () => {
    const refusal = problem({
      code: 'plates.not_own_vehicle',
      status: 422,
      title: '只能为本人或本单位需办理注册登记的机动车预选号牌',
      detail: '身份证明号码与您账户登记的不一致，请填写本人的身份证明号码。',
      errors: [
        {
          pointer: '/ownerIdNumber',
          field: 'ownerIdNumber',
          code: 'plates.not_own_vehicle',
          detail: '身份证明号码与您账户登记的不一致，请填写本人的身份证明号码。',
        },
      ],
    });
    const error = problemToFormError(refusal);
    expect(error.fields).toEqual({ ownerIdNumber: '身份证明号码与您账户登记的不一致，请填写本人的身份证明号码。' });
    expect(Object.values(error.fields).join()).not.toContain('格式不正确');
    expect(summaryItems(error, ['vin', 'ownerIdNumber'], 'vin')).toEqual([
      { field: 'ownerIdNumber', message: '身份证明号码与您账户登记的不一致，请填写本人的身份证明号码。' },
    ]);
  });

  it('never shows a generic format message for a refusal that is not about format', () => {
    const legacy = problem({
      code: 'plates.number_taken',
      status: 409,
      title: '该号码已被选用，请换一个号码',
      errors: [{ pointer: '/serial', field: 'serial', code: 'validation.invalid', detail: '格式不正确' }],
    });
    expect(problemToFormError(legacy).fields).toEqual({ serial: '该号码已被选用，请换一个号码' });
  });

  it('lands a refusal about no field in the summary, with its title and detail', () => {
    const refusal = problem({
      code: 'plates.banned',
      status: 403,
      title: '您两年内不能通过互联网预选号牌',
      detail: '2028-11-30 前不能通过互联网预选号牌号码。',
    });
    const error = problemToFormError(refusal);
    expect(error).toEqual({ title: refusal.title, detail: refusal.detail, fields: {} });
    expect(summaryItems(error, order, 'name')).toEqual([{ field: 'name', message: refusal.title, detail: refusal.detail }]);
  });

  it('puts each format error at its field, named as the page names its inputs', () => {
    const invalid = problem({
      code: 'request.invalid',
      status: 400,
      title: '请检查填写的内容',
      detail: '身份证号码校验位不正确，请核对；请输入11位中国大陆手机号码',
      errors: [
        { pointer: '/form/idNumber', field: 'form.idNumber', code: 'validation.id_number_checksum', detail: '身份证号码校验位不正确，请核对' },
        { pointer: '/form/phone', field: 'form.phone', code: 'validation.phone', detail: '请输入11位中国大陆手机号码' },
        { pointer: '/form/phone', field: 'form.phone', code: 'validation.too_long', detail: '内容太长' },
      ],
    });
    const error = problemToFormError(invalid);
    expect(error.fields).toEqual({ idNumber: '身份证号码校验位不正确，请核对', phone: '请输入11位中国大陆手机号码' });
    expect(summaryItems(error, order, 'name').map((i) => i.field)).toEqual(['idNumber', 'phone']);
    expect(problemToFormError(invalid, (path) => path.replace('form.', 'agent-')).fields).toHaveProperty('agent-idNumber');
  });

  it('asks to sign in again when the session ended during the action, not when a password was wrong', () => {
    expect(problemToFormError(problem({ code: 'auth.required', status: 401, title: '请先登录' })).signIn).toBe(true);
    expect(problemToFormError(problem({ code: 'auth.invalid_credentials', status: 401, title: '账号或密码不正确' })).signIn).toBeUndefined();
  });
});
