import { useState } from 'react';
import { Button, Show, SimpleShowLayout, TextField, useRecordContext, useTranslate } from 'react-admin';
import { AuditSentenceField } from './AuditSentence.tsx';
import { InstantField, JsonBlock } from '../shared/fields.tsx';
import { ShowGrid } from '../shared/show-grid.tsx';
import { changedKeys } from './changed-keys.ts';

/** Who acted (staff, citizen, system…), translated (`source` names it for the grid's label). */
const ActorKindField = ({ source }: { source: string }) => {
  const record = useRecordContext();
  const translate = useTranslate();
  const kind = record?.[source];
  return typeof kind === 'string' ? <span>{translate(`app.audit.actor_kind.${kind}`, { _: kind })}</span> : null;
};

/** before → after, side by side, with the changed top-level fields named above. */
const ChangeDiff = () => {
  const record = useRecordContext();
  const translate = useTranslate();
  if (!record) return null;
  const changed = changedKeys(record.before, record.after);
  return (
    <section className="audit-diff" aria-labelledby="audit-diff-heading">
      <h2 id="audit-diff-heading" className="section-heading">
        {translate('app.audit.diff_heading')}
      </h2>
      <p className="muted">
        {changed.length > 0
          ? translate('app.audit.changed_fields', { fields: changed.join(translate('app.common.separator')) })
          : translate('app.audit.no_changes')}
      </p>
      <div className="diff-columns">
        <div>
          <h3 id="audit-before" className="diff-heading">
            {translate('app.audit.before')}
          </h3>
          <JsonBlock value={record.before} labelledBy="audit-before" />
        </div>
        <div>
          <h3 id="audit-after" className="diff-heading">
            {translate('app.audit.after')}
          </h3>
          <JsonBlock value={record.after} labelledBy="audit-after" />
        </div>
      </div>
    </section>
  );
};

/** The codes and the raw diff, behind a toggle: the sentence above says what happened (issue 18). */
const Details = () => {
  const [open, setOpen] = useState(false);
  return (
    <section aria-labelledby="audit-details-heading" style={{ width: '100%' }}>
      <h2 id="audit-details-heading" className="section-heading">{useTranslate()('app.audit.details')}</h2>
      <Button
        label={open ? 'app.audit.hide_details' : 'app.audit.show_details'}
        aria-expanded={open}
        aria-controls="audit-details"
        onClick={() => setOpen(!open)}
      />
      <div id="audit-details" hidden={!open}>
        {open ? (
          <>
            <ShowGrid label={false}>
              <TextField source="action" className="mono" />
              <TextField source="entityType" className="mono" />
              <TextField source="entityId" className="mono" emptyText="app.common.none" />
              <TextField source="requestId" className="mono" emptyText="app.common.none" />
            </ShowGrid>
            <ChangeDiff />
          </>
        ) : null}
      </div>
    </section>
  );
};

export const AuditLogShow = () => (
  <Show>
    <SimpleShowLayout>
      <p className="audit-sentence-lead">
        <AuditSentenceField />
      </p>
      <ShowGrid label={false}>
        <InstantField source="at" />
        <TextField source="actorLabel" emptyText="app.common.none" />
        <ActorKindField source="actorKind" />
      </ShowGrid>
      <Details />
    </SimpleShowLayout>
  </Show>
);
