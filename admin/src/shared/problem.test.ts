import { HttpError } from 'react-admin';
import { describe, expect, it } from 'vitest';
import type { Problem } from 'bff/client';
import { fieldOfPointer, formErrorsOf, isSessionEnd, problemCode, problemText, problemToHttpError } from './problem.ts';

// refused: one field named, with the refusal's own words (not a format message)
const quotaExceeded: Problem = {
  type: 'https://jiaoguan.example/problems/temp_plates.quota_exceeded',
  code: 'temp_plates.quota_exceeded',
  status: 409,
  title: '超出该销售商可持有的空白临时号牌数量',
  detail: '可持有10块，库存0块，本次最多发放10块。请减少发放数量。',
  requestId: 'req-1',
  params: { quota: 10, inStock: 0, available: 10 },
  errors: [{ pointer: '/quantity', field: 'quantity', code: 'temp_plates.quota_exceeded', detail: '可持有10块，库存0块，本次最多发放10块。请减少发放数量。' }],
};

// a format error: one entry per field, each with the field's message
const invalidRequest: Problem = {
  type: 'https://jiaoguan.example/problems/request.invalid',
  code: 'request.invalid',
  status: 400,
  title: '提交的信息有误',
  detail: '身份证号码校验位不正确；手机号码格式不正确',
  errors: [
    { pointer: '/form/idNumber', field: 'form.idNumber', code: 'validation.id_number_checksum', detail: '身份证号码校验位不正确' },
    { pointer: '/form/phone', field: 'form.phone', code: 'validation.phone', detail: '手机号码格式不正确' },
  ],
};

describe('problemToHttpError', () => {
  it('puts a business refusal’s own words at the field it names, and the title where the form notifies it', () => {
    const error = problemToHttpError(409, 'Conflict', quotaExceeded);
    expect(error).toBeInstanceOf(HttpError);
    expect(error.message).toBe('超出该销售商可持有的空白临时号牌数量');
    expect(error.status).toBe(409);
    expect(error.body.errors).toEqual({
      quantity: '可持有10块，库存0块，本次最多发放10块。请减少发放数量。',
      root: { serverError: '超出该销售商可持有的空白临时号牌数量' },
    });
    expect(JSON.stringify(error.body.errors)).not.toContain('格式不正确');
    expect(error.body.fieldErrors).toEqual(quotaExceeded.errors);
    expect(error.body.code).toBe('temp_plates.quota_exceeded');
    expect(error.body.requestId).toBe('req-1');
    expect(error.body.params).toEqual({ quota: 10, inStock: 0, available: 10 });
  });

  it('puts each format message under its own (nested) field', () => {
    const error = problemToHttpError(400, 'Bad Request', invalidRequest);
    expect(error.body.errors).toEqual({
      'form.idNumber': '身份证号码校验位不正确',
      'form.phone': '手机号码格式不正确',
      root: { serverError: '提交的信息有误' },
    });
    expect(formErrorsOf(error)).toBe(error.body.errors);
  });

  it('reads the field from the JSON pointer when `field` is missing', () => {
    expect(fieldOfPointer('/form/agent/idNumber')).toBe('form.agent.idNumber');
    expect(fieldOfPointer('/a~1b/c~0d')).toBe('a/b.c~d');
    const error = problemToHttpError(400, 'Bad Request', { ...invalidRequest, errors: [{ pointer: '/holidays/3', field: '', code: 'validation.date', detail: '日期格式不正确' }] });
    expect(error.body.errors).toEqual({ 'holidays.3': '日期格式不正确', root: { serverError: '提交的信息有误' } });
  });

  it('leaves errors out when no field is named, so title and detail are notified instead of "form invalid"', () => {
    const error = problemToHttpError(409, 'Conflict', {
      type: 'https://jiaoguan.example/problems/temp_plates.check_pending',
      code: 'temp_plates.check_pending',
      status: 409,
      title: '上次发放的核查尚未完成，暂不能再次发放',
      detail: '核查完成后再发放',
    });
    expect(error.message).toBe('上次发放的核查尚未完成，暂不能再次发放');
    expect(error.body.errors).toBeUndefined();
    expect(formErrorsOf(error)).toBeUndefined();
    expect(problemText(error)).toBe('上次发放的核查尚未完成，暂不能再次发放：核查完成后再发放');
  });

  it('never passes the bff’s errors list on as react-admin form errors', () => {
    const error = problemToHttpError(400, 'Bad Request', { ...invalidRequest, errors: [] });
    expect(error.body.errors).toBeUndefined();
    expect(error.body.fieldErrors).toEqual([]);
  });

  it('falls back to the status text when the answer is not problem+json', () => {
    const error = problemToHttpError(502, 'Bad Gateway', undefined);
    expect(error.message).toBe('Bad Gateway');
    expect(error.body).toBeNull();
    expect(problemCode(error)).toBeUndefined();
    expect(problemText(error)).toBe('Bad Gateway');
    expect(problemText(new TypeError('Failed to fetch'))).toBe('ra.notification.http_error');
  });
});

describe('problemText', () => {
  it('joins title and detail in the language of the title, and says the title once when they agree', () => {
    const en = problemToHttpError(409, 'Conflict', { code: 'x.y', status: 409, title: 'Too many', detail: 'At most 10 now' });
    expect(problemText(en)).toBe('Too many: At most 10 now');
    const same = problemToHttpError(409, 'Conflict', { code: 'x.y', status: 409, title: '已过期', detail: '已过期' });
    expect(problemText(same)).toBe('已过期');
  });
});

describe('isSessionEnd', () => {
  it('is a 401 of a signed-in action, not a refused sign-in', () => {
    expect(isSessionEnd(problemToHttpError(401, 'Unauthorized', { code: 'auth.required', status: 401, title: '请先登录' }))).toBe(true);
    expect(isSessionEnd(problemToHttpError(401, 'Unauthorized', { code: 'auth.totp_required', status: 401, title: '请输入动态口令' }))).toBe(false);
    expect(isSessionEnd(problemToHttpError(401, 'Unauthorized', { code: 'auth.totp_invalid', status: 401, title: '动态口令不正确或已使用' }))).toBe(false);
    expect(isSessionEnd(problemToHttpError(403, 'Forbidden', { code: 'auth.forbidden', status: 403, title: '无权操作' }))).toBe(false);
    expect(problemCode(problemToHttpError(401, 'Unauthorized', { code: 'auth.totp_required', status: 401, title: '请输入动态口令' }))).toBe('auth.totp_required');
  });
});
