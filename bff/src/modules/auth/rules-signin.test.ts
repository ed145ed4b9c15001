/**
 * The sign-in rules of auth/rules.ts, pure (issue 18: no surviving mutant in
 * a rules.ts): SMS code limits, password policy, TOTP drift.
 */
import { describe, expect, it } from 'vitest';
import { acceptableTotpSteps, decideNewPassword, decideSmsSend, generateNumericCode, personalWords, smsCodePolicy } from './rules.ts';

const NOW = new Date('2026-11-25T02:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);

describe('SMS codes: one a minute, ten a day', () => {
  it('a first code is sent; another within the minute is too soon; at the minute it is sent', () => {
    expect(decideSmsSend([], NOW)).toEqual({ ok: true });
    expect(decideSmsSend([ago(59_999)], NOW)).toEqual({ ok: false, code: 'auth.sms_code_too_soon' });
    expect(decideSmsSend([ago(60_000)], NOW)).toEqual({ ok: true });
  });

  it('ten codes within 24 hours reach the daily limit; a code sent exactly a day ago no longer counts', () => {
    const ten = Array.from({ length: 10 }, (_, i) => ago((i + 1) * 3600_000));
    expect(decideSmsSend(ten, NOW)).toEqual({ ok: false, code: 'auth.sms_code_daily_limit' });
    expect(decideSmsSend(ten.slice(0, 9), NOW)).toEqual({ ok: true });
    expect(decideSmsSend([...ten.slice(0, 9), ago(24 * 3600_000)], NOW)).toEqual({ ok: true });
    // Old codes (and the minute rule) look only at the last day.
    expect(decideSmsSend(Array.from({ length: 12 }, (_, i) => ago(25 * 3600_000 + i * 60_000)), NOW)).toEqual({ ok: true });
    expect(smsCodePolicy).toMatchObject({ digits: 6, perPhonePerDay: 10, resendAfterMs: 60_000 });
  });

  it('codes are made of digits from the random source', () => {
    let i = 0;
    expect(generateNumericCode(6, (n) => (i++ * 3) % n)).toBe('036925');
    expect(generateNumericCode(0, () => 1)).toBe('');
  });
});

describe('passwords (issue 17)', () => {
  it('the words an attacker knows: phone and its last four, name, username, ID number, its last six and four, the birth date', () => {
    expect(personalWords({ phone: '13800138000', name: '张伟', username: 'zhangwei', idNumber: '440304198503122756' })).toEqual([
      '13800138000', '8000', '张伟', 'zhangwei', '440304198503122756', '122756', '2756', '19850312', '850312',
    ]);
    // Not an 18-character resident ID: no birth date; short ASCII fragments are dropped; repeats once.
    expect(personalWords({ idNumber: 'A123456', username: 'ab', name: 'Li' })).toEqual(['A123456', '123456', '3456']);
    expect(personalWords({ idNumber: '44030419850312275x', phone: null })).toContain('19850312');
    expect(personalWords({ phone: '8000', username: '8000' })).toEqual(['8000']);
    expect(personalWords({})).toEqual([]);
  });

  it('8 to 64 characters, then the guessability check decides', () => {
    expect(decideNewPassword('Kp9$wzR', [])).toEqual({ code: 'auth.weak_password', params: { reason: 'length' } });
    // Eight random characters pass the length rule; zxcvbn finds them guessable.
    expect(decideNewPassword('W9#tq&Lz', [])).toEqual({ code: 'auth.weak_password', params: { reason: 'pattern' } });
    expect(decideNewPassword('Kp9$wz!Rt', [])).toBeNull();
    const long = 'Kp9$wz!Rt-Xylophonist-Bartholomew-Kristofferson-Mcgillicuddy-ab';
    expect([...long]).toHaveLength(63);
    expect(decideNewPassword(`${long}c`, [])).toBeNull();
    expect(decideNewPassword(`${long}cd`, [])).toEqual({ code: 'auth.weak_password', params: { reason: 'length' } });
  });

  it('why a password is refused: common, built from the user’s data, or a pattern', () => {
    for (const p of ['password', 'iloveyou', 'sunshine1', 'P@ssw0rd']) expect(decideNewPassword(p, [])).toEqual({ code: 'auth.weak_password', params: { reason: 'common' } });
    expect(decideNewPassword('13800138000ab', ['13800138000'])).toEqual({ code: 'auth.weak_password', params: { reason: 'personal' } });
    expect(decideNewPassword('13800138000ab', [])).not.toEqual({ code: 'auth.weak_password', params: { reason: 'personal' } });
    for (const p of ['abcdefgh1', 'aaaaaaaa1', 'Algorithm']) expect(decideNewPassword(p, [])).toEqual({ code: 'auth.weak_password', params: { reason: 'pattern' } });
  });
});

describe('TOTP (RFC 6238)', () => {
  it('the current 30-second step and one either side', () => {
    expect(acceptableTotpSteps(new Date(90_000))).toEqual([3, 2, 4]);
    expect(acceptableTotpSteps(new Date(119_999))).toEqual([3, 2, 4]);
    expect(acceptableTotpSteps(new Date(120_000), 60)).toEqual([2, 1, 3]);
  });
});
