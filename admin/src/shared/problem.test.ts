import { HttpError } from 'react-admin';
import { describe, expect, it } from 'vitest';
import { problemCode, problemToHttpError } from './problem.ts';

const invalidIdNumber = {
  type: 'https://jiaoguan.example/problems/validation.failed',
  code: 'validation.failed',
  status: 422,
  title: '提交的信息有误',
  requestId: 'req-1',
  fields: { idNumber: 'validation.id_number_checksum' },
  fieldMessages: { idNumber: '身份证号码校验位不正确' },
};

describe('problemToHttpError', () => {
  it('uses the localised title as the message and puts field messages where react-admin forms read them', () => {
    const error = problemToHttpError(422, 'Unprocessable Entity', invalidIdNumber);
    expect(error).toBeInstanceOf(HttpError);
    expect(error.message).toBe('提交的信息有误');
    expect(error.status).toBe(422);
    expect(error.body.errors).toEqual({
      idNumber: '身份证号码校验位不正确',
      root: { serverError: '提交的信息有误' },
    });
    expect(error.body.code).toBe('validation.failed');
    expect(error.body.requestId).toBe('req-1');
  });

  it('leaves errors out when no field is named, so the title is notified instead of "form invalid"', () => {
    const error = problemToHttpError(401, 'Unauthorized', {
      code: 'auth.totp_required',
      status: 401,
      title: '请输入动态口令',
    });
    expect(error.message).toBe('请输入动态口令');
    expect(error.body.errors).toBeUndefined();
    expect(problemCode(error)).toBe('auth.totp_required');
  });

  it('falls back to the status text when the answer is not problem+json', () => {
    const error = problemToHttpError(502, 'Bad Gateway', undefined);
    expect(error.message).toBe('Bad Gateway');
    expect(error.body).toBeNull();
    expect(problemCode(error)).toBeUndefined();
  });
});
