import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import {
  idNumberCheckChar,
  idNumberSchema,
  maskIdNumber,
  maskMiddle,
  maskName,
  maskPhone,
  maskVin,
  organisationCodeCheckChar,
  usccCheckChar,
  usccSchema,
  validateIdNumber,
  validateUscc,
  validateVin,
  vinCheckChar,
  vinSchema,
} from './check-digits.ts';

function issueCodes(result: { success: boolean; error?: z.ZodError }): unknown[] {
  return result.error?.issues.map((i) => (i.code === 'custom' ? i.params?.['code'] : i.code)) ?? [];
}

// ---------------------------------------------------------------------------
// 居民身份证号码 GB 11643-1999
// ---------------------------------------------------------------------------

describe('GB 11643-1999 居民身份证号码', () => {
  // Published examples, each checked with the algorithm before being kept.
  const valid = [
    // The textbook example of GB 11643-1999 (北京市朝阳区, female born 1949-12-31).
    { id: '11010519491231002X', birthDate: '1949-12-31', sex: 'F', src: 'GB 11643-1999 example' },
    // The second example of GB 11643-1999 (广东省汕头市潮阳, male born 1880-01-01).
    { id: '440524188001010014', birthDate: '1880-01-01', sex: 'M', src: 'GB 11643-1999 example' },
    // The doctest of python-stdnum's stdnum/cn/ric.py.
    { id: '360426199101010071', birthDate: '1991-01-01', sex: 'M', src: 'python-stdnum cn.ric' },
  ] as const;

  it.each(valid)('accepts $id ($src)', ({ id, birthDate, sex }) => {
    expect(idNumberCheckChar(id.slice(0, 17))).toBe(id[17]);
    expect(validateIdNumber(id, '2026-06-01')).toEqual({ ok: true, birthDate, sex });
  });

  const invalid = [
    { id: '11010519491231002', reason: 'length', why: '17 characters' },
    { id: '11010519491231002XX', reason: 'length', why: '19 characters' },
    { id: '11010519491231002x', reason: 'charset', why: 'lower-case x is not canonical' },
    { id: '1101051949123100XX', reason: 'charset', why: 'X before the check position' },
    { id: '11010519491231002Y', reason: 'charset', why: 'Y as check character' },
    { id: '110105 9491231002X', reason: 'charset', why: 'a blank' },
    { id: '99010519491231002X', reason: 'region', why: 'province 99 does not exist' },
    { id: '00010519491231002X', reason: 'region', why: 'province 00 does not exist' },
    { id: '110105194902300023', reason: 'birth_date', why: '30 February' },
    { id: '110105194913310023', reason: 'birth_date', why: 'month 13' },
    { id: '110105170001010023', reason: 'birth_date', why: 'year 1700' },
    { id: '110105202701010023', reason: 'birth_date', why: 'born after today (2026-06-01)' },
    { id: '110105194912310021', reason: 'checksum', why: 'textbook example, check X → 1' },
    { id: '11010519491231012X', reason: 'checksum', why: 'textbook example, digit 16 changed' },
    { id: '440524188001010015', reason: 'checksum', why: 'second example, check 4 → 5' },
    { id: '440524188001100014', reason: 'checksum', why: 'second example, day/month digits swapped' },
  ] as const;

  it.each(invalid)('rejects $id: $reason ($why)', ({ id, reason }) => {
    expect(validateIdNumber(id, '2026-06-01')).toEqual({ ok: false, reason });
  });

  it('checks the birth date against today only when today is given', () => {
    const bornTomorrow = `11010520260602002${idNumberCheckChar('11010520260602002')}`;
    expect(validateIdNumber(bornTomorrow, '2026-06-01')).toEqual({ ok: false, reason: 'birth_date' });
    expect(validateIdNumber(bornTomorrow, '2026-06-02')).toMatchObject({ ok: true, birthDate: '2026-06-02' });
    expect(validateIdNumber(bornTomorrow)).toMatchObject({ ok: true });
  });

  it('accepts 29 February only in leap years', () => {
    const leap = `11010520000229002${idNumberCheckChar('11010520000229002')}`;
    const notLeap = `11010519000229002${idNumberCheckChar('11010519000229002')}`;
    expect(validateIdNumber(leap)).toMatchObject({ ok: true, birthDate: '2000-02-29' });
    expect(validateIdNumber(notLeap)).toEqual({ ok: false, reason: 'birth_date' });
  });

  it('idNumberCheckChar refuses anything but 17 digits', () => {
    expect(() => idNumberCheckChar('1101051949123100')).toThrow(RangeError);
    expect(() => idNumberCheckChar('1101051949123100X')).toThrow(RangeError);
  });

  it('property: every single-digit change of a valid number is caught', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]{5}$/),
        fc.integer({ min: 0, max: 16 }),
        fc.integer({ min: 1, max: 9 }),
        (tail, pos, delta) => {
          const body = `110105199001${tail}`;
          const id = body + idNumberCheckChar(body);
          const changed = body.slice(0, pos) + String((Number(body[pos]) + delta) % 10) + body.slice(pos + 1);
          expect(idNumberCheckChar(changed)).not.toBe(id[17]);
        },
      ),
    );
  });
});

// ---------------------------------------------------------------------------
// VIN GB 16735 / ISO 3779
// ---------------------------------------------------------------------------

describe('GB 16735 / ISO 3779 VIN check digit', () => {
  const valid = [
    // The worked example of the Wikipedia article "Vehicle identification number"
    // (check-digit calculation); remainder 10 is written 'X'.
    { vin: '1M8GDM9AXKP042788', src: 'Wikipedia VIN check-digit example' },
    // Honda Accord VIN widely used as the sample in VIN-decoder documentation.
    { vin: '1HGCM82633A004352', src: 'common VIN-decoder sample' },
    // Chevrolet Cruze (上海通用) used as the sample of a public Chinese VIN-lookup API (haoservice).
    { vin: 'LSGPC52U6AF102554', src: 'haoservice VIN API sample' },
    // Changan Ford sample of the open-source "vin-decoder" (车架号查询服务) README.
    { vin: 'LVSHCAMB1CE054249', src: 'vin-decoder README sample' },
    // The all-ones VIN: Σ = 1 × 89 → 89 mod 11 = 1.
    { vin: '11111111111111111', src: 'degenerate, valid by construction' },
  ] as const;

  it.each(valid)('accepts $vin ($src)', ({ vin }) => {
    expect(vinCheckChar(vin)).toBe(vin[8]);
    expect(validateVin(vin)).toEqual({ ok: true });
  });

  const invalid = [
    { vin: '1M8GDM9AXKP04278', reason: 'length', why: '16 characters' },
    { vin: '1M8GDM9AXKP0427888', reason: 'length', why: '18 characters' },
    { vin: '1M8GDM9AXKP04278O', reason: 'charset', why: 'letter O' },
    { vin: 'IM8GDM9AXKP042788', reason: 'charset', why: 'letter I' },
    { vin: '1M8GDM9AXKQ042788', reason: 'charset', why: 'letter Q' },
    { vin: '1m8gdm9axkp042788', reason: 'charset', why: 'lower case is not canonical' },
    { vin: '1M8GDM9A0KP042788', reason: 'checksum', why: 'Wikipedia example, check X → 0' },
    { vin: '1M8GDM9AXKP042789', reason: 'checksum', why: 'Wikipedia example, last digit changed' },
    { vin: '1HGCM82633A004353', reason: 'checksum', why: 'Honda sample, last digit changed' },
    { vin: 'LSGPC52U6AF102555', reason: 'checksum', why: 'haoservice sample, last digit changed' },
    { vin: 'LVSHCAMBXCE054249', reason: 'checksum', why: 'vin-decoder sample, check 1 → X' },
    { vin: 'LVSHCAMB1CE054294', reason: 'checksum', why: 'vin-decoder sample, last two digits swapped' },
  ] as const;

  it.each(invalid)('rejects $vin: $reason ($why)', ({ vin, reason }) => {
    expect(validateVin(vin)).toEqual({ ok: false, reason });
  });

  it('vinCheckChar ignores what stands in position 9', () => {
    expect(vinCheckChar('1M8GDM9A0KP042788')).toBe('X');
    expect(vinCheckChar('1M8GDM9AZKP042788')).toBe('X');
    expect(() => vinCheckChar('1M8GDM9AXKP04278')).toThrow(RangeError);
    expect(() => vinCheckChar('1M8GDM9AXKP04278O')).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------
// 统一社会信用代码 GB 32100-2015
// ---------------------------------------------------------------------------

describe('GB 32100-2015 统一社会信用代码', () => {
  const valid = [
    // The example of GB 32100-2015 (also hutool's CreditCodeUtilTest).
    { uscc: '91350100M000100Y43', src: 'GB 32100-2015 example' },
    // The doctest of python-stdnum's stdnum/cn/uscc.py.
    { uscc: '91110000600037341L', src: 'python-stdnum cn.uscc' },
    // 小米科技有限责任公司, public business-registration record.
    { uscc: '91110108551385082Q', src: '小米科技有限责任公司 (public record)' },
    // 华为技术有限公司, public business-registration record.
    { uscc: '914403001922038216', src: '华为技术有限公司 (public record)' },
  ] as const;

  it.each(valid)('accepts $uscc ($src), organisation code included', ({ uscc }) => {
    expect(usccCheckChar(uscc.slice(0, 17))).toBe(uscc[17]);
    expect(organisationCodeCheckChar(uscc.slice(8, 16))).toBe(uscc[16]);
    expect(validateUscc(uscc)).toEqual({ ok: true });
    expect(validateUscc(uscc, { organisationCode: true })).toEqual({ ok: true });
  });

  const invalid = [
    { uscc: '91350100M000100Y4', reason: 'length', why: '17 characters' },
    { uscc: '91350100M000100Y433', reason: 'length', why: '19 characters' },
    { uscc: '91350100M000100Y4I', reason: 'charset', why: 'letter I' },
    { uscc: '91350100M000100O43', reason: 'charset', why: 'letter O' },
    { uscc: '91350100M000100S43', reason: 'charset', why: 'letter S' },
    { uscc: '91350100M000100V43', reason: 'charset', why: 'letter V' },
    { uscc: '91350100M000100Z43', reason: 'charset', why: 'letter Z' },
    { uscc: '91350100m000100y43', reason: 'charset', why: 'lower case is not canonical' },
    { uscc: '91350100M000100Y44', reason: 'checksum', why: 'standard example, check 3 → 4' },
    { uscc: '91350100M000101Y43', reason: 'checksum', why: 'standard example, one digit changed' },
    { uscc: '91110000600037341A', reason: 'checksum', why: 'python-stdnum example, check L → A' },
    { uscc: '91110108551385028Q', reason: 'checksum', why: 'Xiaomi, two digits swapped' },
  ] as const;

  it.each(invalid)('rejects $uscc: $reason ($why)', ({ uscc, reason }) => {
    expect(validateUscc(uscc)).toEqual({ ok: false, reason });
  });

  it('GB 11714 organisation code is checked only on request', () => {
    // Organisation code body of the standard example with its check character
    // changed (4 → 5), then the USCC check character recomputed.
    const first17 = '91350100M000100Y5';
    const uscc = first17 + usccCheckChar(first17);
    expect(validateUscc(uscc)).toEqual({ ok: true });
    expect(validateUscc(uscc, { organisationCode: true })).toEqual({ ok: false, reason: 'organisation_code' });
  });

  it('GB 11714 maps remainder 10 to X and 11 to 0', () => {
    // Σ(value × weight) for 'D2143569' = 13·3+2·7+1·9+4·10+3·5+5·8+6·4+9·2 = 199, 199 mod 11 = 1 → 10 → X
    expect(organisationCodeCheckChar('D2143569')).toBe('X');
    // '00000000' → Σ = 0 → 11 → '0'
    expect(organisationCodeCheckChar('00000000')).toBe('0');
  });

  it('usccCheckChar maps 31 to 0', () => {
    expect(usccCheckChar('00000000000000000')).toBe('0');
    expect(() => usccCheckChar('0000000000000000')).toThrow(RangeError);
  });

  it('property: every single-character change of a valid code is caught', () => {
    const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 17, maxLength: 17 }),
        fc.integer({ min: 0, max: 16 }),
        fc.integer({ min: 1, max: 30 }),
        (values, pos, delta) => {
          const body = values.map((v) => alphabet[v]).join('');
          const changed = body.slice(0, pos) + alphabet[(values[pos]! + delta) % 31] + body.slice(pos + 1);
          expect(usccCheckChar(changed)).not.toBe(usccCheckChar(body));
        },
      ),
    );
  });
});

// ---------------------------------------------------------------------------
// zod schemas
// ---------------------------------------------------------------------------

describe('zod schemas report validation.* codes in issue.params.code', () => {
  it('idNumberSchema normalises blanks and lower-case x', () => {
    expect(idNumberSchema().parse('  11010519491231002x ')).toBe('11010519491231002X');
  });

  it.each([
    ['1101051949123100', 'validation.id_number_length'],
    ['1101051949123100AX', 'validation.id_number_charset'],
    ['99010519491231002X', 'validation.id_number_region'],
    ['110105194902300023', 'validation.id_number_birth_date'],
    ['110105194912310021', 'validation.id_number_checksum'],
  ])('idNumberSchema: %s → %s', (input, code) => {
    expect(issueCodes(idNumberSchema().safeParse(input))).toEqual([code]);
  });

  it('idNumberSchema rejects a future birth date with the injected today', () => {
    const id = `11010520260602002${idNumberCheckChar('11010520260602002')}`;
    expect(issueCodes(idNumberSchema({ today: () => '2026-06-01' }).safeParse(id))).toEqual([
      'validation.id_number_birth_date',
    ]);
    expect(idNumberSchema({ today: () => '2026-06-02' }).parse(id)).toBe(id);
  });

  it('vinSchema normalises and reports codes', () => {
    expect(vinSchema().parse(' 1m8gdm9axkp042788 ')).toBe('1M8GDM9AXKP042788');
    expect(issueCodes(vinSchema().safeParse('1M8GDM9AXKP04278'))).toEqual(['validation.vin_length']);
    expect(issueCodes(vinSchema().safeParse('1M8GDM9AXKP04278O'))).toEqual(['validation.vin_charset']);
    expect(issueCodes(vinSchema().safeParse('1M8GDM9A0KP042788'))).toEqual(['validation.vin_checksum']);
  });

  it('usccSchema normalises and reports codes', () => {
    expect(usccSchema().parse('91350100m000100y43')).toBe('91350100M000100Y43');
    expect(issueCodes(usccSchema().safeParse('9135010'))).toEqual(['validation.uscc_length']);
    expect(issueCodes(usccSchema().safeParse('91350100M000100S43'))).toEqual(['validation.uscc_charset']);
    expect(issueCodes(usccSchema().safeParse('91350100M000100Y44'))).toEqual(['validation.uscc_checksum']);
    const first17 = '91350100M000100Y5';
    expect(issueCodes(usccSchema({ organisationCode: true }).safeParse(first17 + usccCheckChar(first17)))).toEqual([
      'validation.uscc_organisation_code',
    ]);
  });

  it('schemas compose into request objects and keep the field path', () => {
    const body = z.object({ idNumber: idNumberSchema(), vin: vinSchema(), uscc: usccSchema() });
    const ok = body.parse({ idNumber: '11010519491231002x', vin: '1HGCM82633A004352', uscc: '914403001922038216' });
    expect(ok.idNumber).toBe('11010519491231002X');
    const bad = body.safeParse({ idNumber: '110105194912310021', vin: '1HGCM82633A004352', uscc: '914403001922038216' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['idNumber']);
    expect(issueCodes(bad)).toEqual(['validation.id_number_checksum']);
  });

  it('a non-string keeps zod’s own invalid_type issue', () => {
    expect(issueCodes(vinSchema().safeParse(42))).toEqual(['invalid_type']);
  });
});

// ---------------------------------------------------------------------------
// Masking
// ---------------------------------------------------------------------------

describe('masking for lists and logs', () => {
  it.each([
    [maskIdNumber, '440305199001011234', '440305********1234'],
    [maskIdNumber, '11010519491231002X', '110105********002X'],
    [maskPhone, '13800138000', '138****8000'],
    [maskVin, 'LVSHCAMB1CE054249', 'LVS**********4249'],
    [maskVin, '1M8GDM9AXKP042788', '1M8**********2788'],
    [maskName, '张三丰', '张*丰'],
    [maskName, '张三', '张*'],
    [maskName, '欧阳娜娜', '欧**娜'],
    [maskName, '张', '*'],
    [maskName, '', ''],
  ] as const)('%o(%s) → %s', (mask, input, expected) => {
    expect(mask(input)).toBe(expected);
  });

  it('keeps the length and masks short or malformed values completely', () => {
    expect(maskIdNumber('1234567890')).toBe('**********');
    expect(maskPhone('1380')).toBe('****');
    expect(maskMiddle('abcdefgh', 3, 4)).toBe('abc*efgh');
  });

  it('counts code points, not UTF-16 units', () => {
    expect(maskName('𠮷野家')).toBe('𠮷*家');
  });
});
