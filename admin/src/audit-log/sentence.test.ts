import { describe, expect, it } from 'vitest';
import { auditSentence, linkOf, referenceOf } from './sentence.ts';

describe('issue 18 the audit log in words', () => {
  it('says who did what to which record, with a link to its page', () => {
    const s = auditSentence({
      actorKind: 'staff', actorLabel: '深圳受理员 林晓', action: 'accounts.application_accepted', entityType: 'account_application',
      entityId: 'a1b2', before: null, after: { reference: 'YH4403002026112500001', status: 'review' },
    });
    expect(s).toEqual({
      actor: { key: null, label: '深圳受理员 林晓' },
      verbKey: 'app.audit.verb.accounts.application_accepted',
      fallbackAction: 'accounts.application_accepted',
      entityKey: 'app.audit.entity.account_application',
      reference: 'YH4403002026112500001',
      link: '/account-applications/a1b2/show',
    });
  });

  it('names the system and anonymous visitors in words, not codes', () => {
    expect(auditSentence({ actorKind: 'system', actorLabel: 'accounts', action: 'accounts.application_overdue', entityType: 'account_application' }).actor)
      .toEqual({ key: 'app.audit.system_actor', label: 'accounts' });
    expect(auditSentence({ actorKind: 'anonymous', actorLabel: null, action: 'auth.sms_code_requested', entityType: 'phone' }).actor.key).toBe('app.audit.anonymous_actor');
  });

  it('links a record with no page of its own to its list, and nothing without a screen', () => {
    expect(linkOf('temp_plate_blank', 'x')).toBe('/temp-plate-blanks');
    expect(linkOf('session', 'x')).toBeNull();
    expect(linkOf('replacement_application', null)).toBe('/replacements');
  });

  it('finds the reference in after, else before', () => {
    expect(referenceOf({ reference: 'OLD' }, { status: 'x' })).toBe('OLD');
    expect(referenceOf(null, { plateNo: '粤B12345' })).toBe('粤B12345');
    expect(referenceOf(null, null)).toBeNull();
  });
});
