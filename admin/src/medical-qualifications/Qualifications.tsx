import type { ReactNode } from 'react';
import {
  BooleanInput, Create, CreateButton, DataTable, FileField, FileInput, List, Loading, SaveButton, SelectInput, Show, TextInput,
  maxLength, minLength, required, usePermissions, useRecordContext, useTranslate,
} from 'react-admin';
import { InstantColumn } from '../shared/columns.tsx';
import { Form, SimpleForm } from '../shared/forms.tsx';
import { API_URL } from '../shared/http.ts';
import { InstantField } from '../shared/fields.tsx';
import { compact, Fact, ToneChip, useCommand } from '../replacements/ui.tsx';
import { uploadFile } from '../temp-plates/upload.ts';
import { Deadline, DeadlineField } from '../shared/deadline-field.tsx';
import { toneProps, useConfirm, type CommandTone } from '../shared/confirm.tsx';
import { DOCUMENT_KINDS, QUALIFICATION_STATUSES, QUALIFICATION_TONES, qualificationCommands } from './statuses.ts';

const R = 'medical-qualifications';

/** PD-12: the practice licence number and the five documents, uploaded in chunks on save. */
const ApplicationInputs = () => (
  <>
    <TextInput source="practiceLicenceNo" label="medical.fields.practiceLicenceNo" helperText="medical.help.practiceLicenceNo" validate={[required(), minLength(4), maxLength(60)]} />
    {DOCUMENT_KINDS.map((k) => (
      <FileInput key={k} source={k} label={`medical.document.${k}`} accept={{ 'application/pdf': ['.pdf'], 'image/jpeg': ['.jpg', '.jpeg'], 'image/png': ['.png'] }} maxSize={5 * 1024 * 1024} validate={required()}>
        <FileField source="src" title="title" />
      </FileInput>
    ))}
  </>
);

/** Uploads the chosen files; answers the bff body `{ practiceLicenceNo, documents }`. */
async function applicationBody(values: Record<string, unknown>) {
  const documents: Record<string, string> = {};
  for (const k of DOCUMENT_KINDS) {
    const file = (values[k] as { rawFile?: File } | undefined)?.rawFile;
    if (file) documents[k] = await uploadFile(file, '/medical-qualification-uploads');
  }
  return { practiceLicenceNo: String(values.practiceLicenceNo ?? '').trim(), documents };
}

const Intro = ({ text }: { text: string }) => {
  const translate = useTranslate();
  return <p className="muted">{translate(text)}</p>;
};

export const QualificationCreate = () => (
  <Create title="medical.qualification.apply" transform={applicationBody} redirect="show">
    <SimpleForm>
      <Intro text="medical.help.apply" />
      <ApplicationInputs />
    </SimpleForm>
  </Create>
);

const NoQualification = ({ operator }: { operator: boolean }) => {
  const translate = useTranslate();
  return (
    <div className="page">
      <p>{translate(operator ? 'medical.qualification.none' : 'medical.qualification.none_staff')}</p>
      {operator ? <CreateButton label="medical.qualification.apply" variant="contained" /> : null}
    </div>
  );
};

/**
 * The institution's own entrustment, or 管理岗's list of their authority's —
 * pending reviews first by their deadline (the SLA timer, ADR-031).
 */
export const QualificationList = () => {
  const translate = useTranslate();
  const { permissions, isPending } = usePermissions<string[]>();
  if (isPending) return <Loading />;
  const operator = (permissions ?? []).includes('medical_operator');
  const filters = [
    <SelectInput key="status" source="status" label="medical.fields.status" choices={QUALIFICATION_STATUSES.map((id) => ({ id, name: translate(`medical.status.${id}`) }))} alwaysOn />,
    <BooleanInput key="reviewPending" source="reviewPending" label="medical.fields.reviewPending" alwaysOn />,
    <TextInput key="q" source="q" label="medical.fields.organisationName" resettable />,
  ];
  return (
    <List title="medical.qualification.title" filters={operator ? undefined : filters} sort={{ field: 'reviewDueAt', order: 'ASC' }}
      empty={<NoQualification operator={operator} />}
      actions={operator ? <CreateButton label="medical.qualification.apply" /> : false}>
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="organisationName" label="medical.fields.organisationName" />
        <DataTable.Col source="status" label="medical.fields.status">
          <ToneChip source="status" prefix="medical.status" tones={QUALIFICATION_TONES} />
        </DataTable.Col>
        {/* the review's deadline, five working days (PD-2), with the time left while it runs */}
        <DataTable.Col source="reviewDueAt" label="medical.fields.reviewDueAt">
          <DeadlineField source="reviewDueAt" />
        </DataTable.Col>
        <DataTable.Col source="validUntil" label="medical.fields.validUntil">
          <DeadlineField source="validUntil" doneWhen={(q) => q.status !== 'active'} />
        </DataTable.Col>
        <DataTable.Col source="certificateCount" label="medical.fields.certificateCount" disableSort />
        <InstantColumn source="appliedAt" label="medical.fields.appliedAt" />
      </DataTable>
    </List>
  );
};

const QualificationDetails = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  if (!r) return null;
  return (
    <>
      <div className="show-grid">
        <Fact label="medical.fields.organisationName">{r.organisationName}</Fact>
        <Fact label="medical.fields.organisationCode"><span className="mono">{r.organisationCode}</span></Fact>
        <Fact label="medical.fields.practiceLicenceNo"><span className="mono">{r.practiceLicenceNo}</span></Fact>
        <Fact label="medical.fields.legalRep">{r.legalRepName} {r.legalRepPhoneMasked}</Fact>
        <Fact label="medical.fields.status"><ToneChip source="status" prefix="medical.status" tones={QUALIFICATION_TONES} /></Fact>
        <Fact label="medical.fields.validity">
          {r.validFrom ? (<>{r.validFrom} ~ <Deadline value={r.validUntil} done={r.status !== 'active'} /></>) : null}
        </Fact>
        <Fact label="medical.fields.renewalWindow">{r.renewalWindow ? `${r.renewalWindow.opensOn} ~ ${r.renewalWindow.closesOn}` : null}</Fact>
        <Fact label="medical.fields.certificateCount">{r.certificateCount}</Fact>
        {r.reviewDueAt ? <Fact label="medical.fields.reviewDueAt"><Deadline value={r.reviewDueAt} /></Fact> : null}
        {r.reapplyAfter ? <Fact label="medical.fields.reapplyAfter">{r.reapplyAfter}</Fact> : null}
        {r.endReason ? <Fact label="medical.fields.endReason">{r.endReason}</Fact> : null}
      </div>
      <p className={r.maySubmit ? 'notice' : 'notice notice-warning'} role="status">
        {translate(r.maySubmit ? 'medical.qualification.may_submit' : 'medical.qualification.may_not_submit')}
      </p>
    </>
  );
};

const Documents = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  if (!r?.pendingReview) return null;
  return (
    <section aria-labelledby="docs-heading">
      <h2 id="docs-heading" className="section-heading">{translate(`medical.review.${r.pendingReview.kind}`)} · {translate('medical.review.documents')}</h2>
      <ul>
        {(r.pendingReview.documents as { kind: string; fileName: string }[]).map((d) => (
          <li key={d.kind}>
            <a href={`${API_URL}/${R}/${encodeURIComponent(String(r.id))}/documents/${d.kind}`} target="_blank" rel="noopener noreferrer">
              {translate(`medical.document.${d.kind}`)}（{d.fileName}）
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
};

const TONES: Record<string, CommandTone> = { approve: 'primary', reject: 'destructive', revoke: 'destructive', renew: 'primary' };

/** A command with its form; the 管理岗 commands confirm with their consequence first (issue 18). */
const CommandForm = ({ action, label, fields, children }: { action: string; label: string; fields: string[]; children?: ReactNode }) => {
  const r = useRecordContext();
  const translate = useTranslate();
  const run = useCommand(R);
  const { ask, dialog } = useConfirm();
  if (!r) return null;
  const tone = TONES[action] ?? 'neutral';
  const confirms = action !== 'renew';
  return (
    <section aria-labelledby={`cmd-${action}`} className="step-form">
      <h3 id={`cmd-${action}`} className="section-heading">{translate(label)}</h3>
      <Form record={{}} onSubmit={async (v: Record<string, unknown>) => {
        if (confirms) {
          const ok = await ask({
            title: 'medical.consequence.title', consequence: `medical.consequence.${action}`,
            params: { command: translate(label), name: r.organisationName, count: r.certificateCount }, confirm: label, tone,
          });
          if (!ok) return undefined;
        }
        return run(r.id, action, action === 'renew' ? await applicationBody(v) : compact(Object.fromEntries(fields.map((k) => [k, v[k]]))), 'medical.done');
      }}>
        {children}
        <SaveButton label={label} icon={<span />} {...toneProps(tone)} alwaysEnable />
      </Form>
      {dialog}
    </section>
  );
};

const Commands = () => {
  const r = useRecordContext();
  const { permissions, isPending } = usePermissions<string[]>();
  if (!r || isPending) return null;
  const c = qualificationCommands(permissions ?? [], { status: r.status, pendingReview: r.pendingReview !== null, mayRenew: r.mayRenew === true });
  const initial = r.pendingReview?.kind === 'initial';
  return (
    <>
      {c.approve ? (
        <CommandForm action="approve" fields={['note']} label={initial ? 'medical.command.approve' : 'medical.command.approve_renewal'}>
          <TextInput source="note" label="medical.fields.note" validate={maxLength(200)} fullWidth />
        </CommandForm>
      ) : null}
      {c.reject ? (
        <CommandForm action="reject" fields={['note']} label="medical.command.reject">
          <TextInput source="note" label="medical.fields.note" validate={[required(), minLength(2), maxLength(200)]} fullWidth />
        </CommandForm>
      ) : null}
      {c.revoke ? (
        <CommandForm action="revoke" fields={['reason']} label="medical.command.revoke">
          <TextInput source="reason" label="medical.fields.reason" helperText="medical.help.revoke" validate={[required(), minLength(2), maxLength(500)]} multiline fullWidth />
        </CommandForm>
      ) : null}
      {c.renew ? (
        <CommandForm action="renew" fields={[]} label="medical.command.renew">
          <ApplicationInputs />
        </CommandForm>
      ) : null}
    </>
  );
};

const Reviews = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  if (!r?.reviews?.length) return null;
  return (
    <section aria-labelledby="reviews-heading">
      <h2 id="reviews-heading" className="section-heading">{translate('medical.review.history')}</h2>
      <table className="plain-table">
        <thead>
          <tr>
            <th scope="col">{translate('medical.review.kind')}</th>
            <th scope="col">{translate('medical.fields.status')}</th>
            <th scope="col">{translate('medical.review.submittedAt')}</th>
            <th scope="col">{translate('medical.review.dueAt')}</th>
            <th scope="col">{translate('medical.fields.note')}</th>
          </tr>
        </thead>
        <tbody>
          {(r.reviews as { id: string; kind: string; status: string; submittedAt: string; dueAt: string; note: string }[]).map((v) => (
            <tr key={v.id}>
              <td>{translate(`medical.review.${v.kind}`)}</td>
              <td>{translate(`medical.review.status.${v.status}`)}</td>
              <td><InstantField source="submittedAt" record={{ id: v.id, submittedAt: v.submittedAt }} /></td>
              <td><Deadline value={v.dueAt} done={v.status !== 'pending'} /></td>
              <td>{v.note}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
};

export const QualificationShow = () => (
  <Show title="medical.qualification.title" emptyWhileLoading>
    <div className="page">
      <QualificationDetails />
      <Documents />
      <Commands />
      <Reviews />
    </div>
  </Show>
);
