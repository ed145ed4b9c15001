import { describe, expect, it } from 'vitest';
import { checkCertificateAction, checkChecklist, checkDueBackDay, isOverdue, locationText, paperFileNo, requiredDocuments, retentionOver } from './rules.ts';

/** The pure decisions of the archives (X-6; ADR-036, ADR-037), each at its edges. */
describe('archives rules', () => {
  it('X-6.3 ADR-036 a record is due for destruction only from the day after its retain-until day; a permanent one never', () => {
    expect(retentionOver('2036-05-20', '2036-05-19')).toBe(false);
    expect(retentionOver('2036-05-20', '2036-05-20')).toBe(false); // its last day: still kept
    expect(retentionOver('2036-05-20', '2036-05-21')).toBe(true);
    expect(retentionOver(null, '2999-12-31')).toBe(false);
    expect(retentionOver(null, '')).toBe(false);
    // whatever form "today" is written in, a permanent record is never over (JavaScript would compare null as 0 with a compact day)
    expect(retentionOver(null, '20991231')).toBe(false);
  });

  it('R-12.3 R-13.3 X-6.2 the checklist: a unit registration has its own; an unknown business the default; the missing ones are named', () => {
    expect(requiredDocuments('account_registration', 'person')).toEqual(['application_form_original', 'identity_document_copy']);
    expect(requiredDocuments('account_registration', 'organisation')).toHaveLength(4);
    expect(requiredDocuments('account_change', 'organisation')).toEqual(['application_form_original', 'identity_document_copy']);
    expect(requiredDocuments('something_else', null)).toEqual(['application_form_original', 'identity_document_copy']);
    expect(checkChecklist(['a', 'b'], ['b', 'a', 'c'])).toEqual({ ok: true });
    expect(checkChecklist(['a', 'b', 'c'], ['b'])).toEqual({ ok: false, code: 'archives.checklist_incomplete', params: { missing: 'a, c' } });
  });

  it('X-6.2 ADR-037 a loan is due back from tomorrow to 30 days on; overdue once the moment has passed and it is not back', () => {
    expect(checkDueBackDay('2026-12-06', '2026-12-07')).toEqual({ ok: true });
    expect(checkDueBackDay('2026-12-06', '2027-01-05')).toEqual({ ok: true });
    expect(checkDueBackDay('2026-12-06', '2026-12-06')).toMatchObject({ ok: false, code: 'archives.due_back_invalid' });
    expect(checkDueBackDay('2026-12-06', '2027-01-06')).toMatchObject({ ok: false, params: { today: '2026-12-06', dueDay: '2027-01-06' } });
    expect(checkDueBackDay('2026-12-06', 'soon')).toMatchObject({ ok: false });
    const due = new Date('2026-12-10T16:00:00Z');
    expect(isOverdue({ due_back: due, returned_at: null }, new Date('2026-12-10T16:00:00Z'))).toBe(false);
    expect(isOverdue({ due_back: due, returned_at: null }, new Date('2026-12-10T16:00:00.001Z'))).toBe(true);
    expect(isOverdue({ due_back: due, returned_at: new Date('2026-12-09T00:00:00Z') }, new Date('2027-01-01T00:00:00Z'))).toBe(false);
  });

  it('R-29.2.3 恢复证芯编号 only for an archived case, 退办 only for one that is not; destruction always', () => {
    expect(checkCertificateAction('core_restored', true)).toEqual({ ok: true });
    expect(checkCertificateAction('core_restored', false)).toEqual({ ok: false, code: 'archives.core_restore_needs_archive', params: {} });
    expect(checkCertificateAction('case_withdrawn', false)).toEqual({ ok: true });
    expect(checkCertificateAction('case_withdrawn', true)).toEqual({ ok: false, code: 'archives.withdraw_needs_no_archive', params: {} });
    expect(checkCertificateAction('destroyed', true)).toEqual({ ok: true });
    expect(checkCertificateAction('destroyed', false)).toEqual({ ok: true });
  });

  it('X-6.2 a file number and a shelf place read the same everywhere', () => {
    expect(paperFileNo('440300', '2026', 7)).toBe('DA-440300-2026-000007');
    expect(paperFileNo('440100', '2027', 1234567)).toBe('DA-440100-2027-1234567');
    expect(locationText({ room: 'A101', cabinet: '03', shelf: '2', box: '0415' })).toBe('A101 / 03 / 2 / 0415');
  });
});
