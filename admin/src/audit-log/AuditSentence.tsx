import type React from 'react';
import { Link, usePermissions, useRecordContext, useTranslate } from 'react-admin';
import { canAccess } from '../auth/access.ts';
import { auditSentence } from './sentence.ts';

/**
 * 林晓 受理了 窗口注册/变更申请 YH… — who did what to which record, the record a
 * link to its page (issue 18). An action the dictionary has no verb for is
 * named by its code, never hidden. The record is a link where the reader may open it.
 */
export const AuditSentenceField = ({ withLink = true }: { withLink?: boolean; label?: string; source?: string }) => {
  const record = useRecordContext();
  const translate = useTranslate();
  const { permissions } = usePermissions<string[]>();
  if (!record) return null;
  const s = auditSentence({
    actorKind: record.actorKind, actorLabel: record.actorLabel, action: record.action, entityType: record.entityType,
    entityId: record.entityId, before: record.before, after: record.after,
  });
  const actor = s.actor.key ? translate(s.actor.key, { label: s.actor.label }) : s.actor.label;
  const verb = translate(s.verbKey, { _: translate('app.audit.unknown_verb', { action: s.fallbackAction }) });
  const entity = translate(s.entityKey, { _: translate('app.audit.unknown_entity', { type: record.entityType }) });
  const what = s.reference ? `${entity} ${s.reference}` : entity;
  // a link only where the reader may open it (an auditor reads the log, not the records)
  const target = s.link ? s.link.split('/')[1]! : '';
  const linked = withLink && s.link && canAccess(permissions ?? [], target, s.link.endsWith('/show') ? 'show' : 'list');
  return (
    <span className="audit-sentence">
      <strong>{actor}</strong> {verb}{' '}
      {linked && s.link ? (
        <Link to={s.link} onClick={(e: React.MouseEvent) => e.stopPropagation()}>
          {what}
        </Link>
      ) : (
        <span>{what}</span>
      )}
    </span>
  );
};
