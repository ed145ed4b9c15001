import { useState } from 'react';
import {
  Button, SaveButton, SelectInput, Show, SimpleShowLayout, TextInput, maxLength, minLength, required, useDataProvider, usePermissions, useRecordContext, useTranslate,
} from 'react-admin';
import { Form } from '../shared/forms.tsx';
import type { AdminDataProvider } from '../shared/data-provider.ts';
import { InstantField } from '../shared/fields.tsx';
import { useAction } from '../shared/use-action.ts';
import { toneProps, useConfirm, useUndoable } from '../shared/confirm.tsx';
import { UploadInput } from './UploadInput.tsx';
import { requiredUploads } from './intake-form.ts';
import { Revealable, type DataKind } from '../shared/personal-data.tsx';
import { approveApplication, rejectApplication, resubmitApplication, returnApplication, uploadUrl } from './commands.ts';
import { DeadlineCell, KindCell } from './ApplicationList.tsx';
import { PERSON_FIELDS } from './intake-form.ts';
import { APPLICATION_STATUS_TONES, CHECK_STATUS_TONES } from './statuses.ts';
import { AccountChip, Row } from './ui.tsx';

type Doc = { purpose: string; uploadId: string; contentType: string; size: number; sha256: string };

/** The form's fields the bff masks and reveals one at a time with a reason (issue 17, ADR-024). */
const PERSONAL: Record<string, DataKind> = {
  idNumber: 'id_number', phone: 'phone', email: 'email', postalAddress: 'postal_address',
  legalRepPhone: 'phone', 'agent.idNumber': 'id_number', 'agent.phone': 'phone', 'agent.email': 'email',
};
/** Corrected fields staff saw masked: sent only when changed, else the application keeps them. */
const MASKED_IN_CORRECTION = ['phone', 'email', 'postalAddress'] as const;
type Step = { step: string; at: string; dueBy?: string; reason?: string };

/** The entered data beside what 人口信息库 says (R-12.2.1–2): a mismatch is a reason to return the case. */
const FormData = () => {
  const record = useRecordContext();
  const t = useTranslate();
  if (!record) return null;
  const form = record.form as Record<string, unknown>;
  const registry = record.registry as Record<string, string> | null;
  const groups: Record<string, string> = { sex: 'sex', idType: 'id_type', organisationKind: 'org_kind', 'agent.sex': 'sex', 'agent.idType': 'id_type' };
  const shown = (k: string, v: unknown) => (v === null || v === undefined || v === '' ? '—' : groups[k] ? t(`accounts.${groups[k]}.${String(v)}`, { _: String(v) }) : String(v));
  const flat = record.subject === 'organisation'
    ? { ...Object.fromEntries(Object.entries(form).filter(([k]) => k !== 'agent')), ...Object.fromEntries(Object.entries((form.agent ?? {}) as Record<string, unknown>).map(([k, v]) => [`agent.${k}`, v])) }
    : form;
  return (
    <section aria-labelledby="form-heading" style={{ width: '100%' }}>
      <h2 id="form-heading" className="section-heading">{t('accounts.application.form')}</h2>
      <table className="compare-table">
        <thead>
          <tr>
            <th scope="col">{t('accounts.application.field')}</th>
            <th scope="col">{t('accounts.application.entered')}</th>
            {registry ? <th scope="col">{t('accounts.application.registry')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {Object.entries(flat).map(([k, v]) => {
            const reg = registry?.[k];
            const differs = reg !== undefined && reg !== v;
            return (
              <tr key={k}>
                <th scope="row">{t(`accounts.field.${k.replace('agent.', '')}`, { _: k })}{k.startsWith('agent.') ? ` (${t('accounts.intake.agent')})` : ''}</th>
                <td className={k === 'idNumber' || k === 'phone' ? 'mono' : undefined}>
                  {PERSONAL[k] && v ? <Revealable value={v} field={k} kind={PERSONAL[k]} /> : shown(k, v)}
                </td>
                {registry ? <td>{reg === undefined ? '' : shown(k, reg)}{differs ? <span className="chip chip-error">{t('accounts.application.differs')}</span> : null}</td> : null}
              </tr>
            );
          })}
        </tbody>
      </table>
      {record.vehicle ? <p>{t('accounts.application.vehicle', { plateNo: record.vehicle.plateNo, brandModel: record.vehicle.brandModel })}</p> : null}
      {(record.photoPrompts as string[]).map((p) => (
        <p key={p} className="notice notice-warning">{t(`accounts.photo_prompt.${p}`)}</p>
      ))}
    </section>
  );
};

const Documents = () => {
  const record = useRecordContext();
  const t = useTranslate();
  if (!record) return null;
  return (
    <section aria-labelledby="docs-heading">
      <h2 id="docs-heading" className="section-heading">{t('accounts.application.documents')}</h2>
      <ul>
        {(record.documents as Doc[]).map((d) => (
          <li key={d.purpose}>
            <a href={uploadUrl(d.uploadId)} target="_blank" rel="noreferrer">{t(`accounts.upload.${d.purpose}`)}</a>{' '}
            <span className="muted mono">{d.contentType} · {Math.ceil(d.size / 1024)} KB · sha256 {d.sha256.slice(0, 12)}…</span>
            {d.purpose === 'onsite_photo' && d.contentType !== 'application/pdf' ? (
              <div><img src={uploadUrl(d.uploadId)} alt={t('accounts.upload.onsite_photo')} style={{ maxHeight: 160, marginTop: 4 }} /></div>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
};

const Timeline = () => {
  const record = useRecordContext();
  const t = useTranslate();
  if (!record) return null;
  return (
    <section aria-labelledby="timeline-heading">
      <h2 id="timeline-heading" className="section-heading">{t('accounts.application.timeline')}</h2>
      <ol>
        {(record.timeline as Step[]).map((s, i) => (
          <li key={i}>
            {new Date(s.at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })} — {t(`accounts.step.${s.step}`)}
            {s.reason ? `：${s.reason}` : ''}
          </li>
        ))}
      </ol>
    </section>
  );
};

/**
 * 管理岗 (R-12.2.4–6, R-19.2.4–6): approve, reject with the reason, or return to 受理岗 with a note.
 * Each confirms with its consequence (issue 18); approval has no reverse command, so it waits a
 * few seconds with 撤销 / Undo before it is sent.
 */
const ReviewActions = () => {
  const record = useRecordContext();
  const t = useTranslate();
  const dp = useDataProvider<AdminDataProvider>();
  const act = useAction();
  const later = useUndoable();
  const { ask, dialog } = useConfirm();
  const { permissions } = usePermissions<string[]>();
  const [mode, setMode] = useState<'reject' | 'return' | null>(null);
  if (!record || record.status !== 'review' || !(permissions ?? []).includes('review')) return null;
  const blocked = record.checkStatus !== 'passed';
  const params = { reference: record.reference };
  const approve = async () => {
    if (!(await ask({ title: 'accounts.confirm.approve_title', consequence: 'accounts.confirm.approve', params, confirm: 'accounts.review.approve', tone: 'primary' }))) return;
    later(() => approveApplication(dp, record.id), 'accounts.confirm.approve_pending', 'accounts.review.approved', params);
  };
  return (
    <section aria-labelledby="review-heading" style={{ width: '100%' }}>
      <h2 id="review-heading" className="section-heading">{t('accounts.review.heading')}</h2>
      {record.checkStatus === 'pending' ? <p className="notice notice-warning" role="status">{t('accounts.review.check_pending')}</p> : null}
      {record.checkStatus === 'failed' ? <p className="notice notice-error" role="status">{t('accounts.review.check_failed')}</p> : null}
      <div className="command-row">
        <Button label="accounts.review.approve" {...toneProps('primary')} disabled={blocked} onClick={() => void approve()} />
        <Button label="accounts.review.return" {...toneProps('neutral')} onClick={() => setMode('return')} />
        <Button label="accounts.review.reject" {...toneProps('destructive')} onClick={() => setMode('reject')} />
      </div>
      {mode ? (
        <Form
          key={mode}
          onSubmit={async (v: Record<string, unknown>) => {
            const ok = await ask(
              mode === 'reject'
                ? { title: 'accounts.confirm.reject_title', consequence: 'accounts.confirm.reject', params, confirm: 'accounts.review.confirm_reject', tone: 'destructive' }
                : { title: 'accounts.confirm.return_title', consequence: 'accounts.confirm.return', params, confirm: 'accounts.review.confirm_return', tone: 'neutral' },
            );
            if (!ok) return undefined;
            return act(
              () => (mode === 'reject' ? rejectApplication(dp, record.id, String(v.text)) : returnApplication(dp, record.id, String(v.text))),
              mode === 'reject' ? 'accounts.review.rejected' : 'accounts.review.returned',
            );
          }}
        >
          <TextInput source="text" label={mode === 'reject' ? 'accounts.review.reason' : 'accounts.review.note'} multiline fullWidth validate={[required(), minLength(2), maxLength(500)]} />
          <SaveButton label={mode === 'reject' ? 'accounts.review.confirm_reject' : 'accounts.review.confirm_return'} {...toneProps(mode === 'reject' ? 'destructive' : 'neutral')} alwaysEnable />
        </Form>
      ) : null}
      {dialog}
    </section>
  );
};

/**
 * 受理岗 corrects a returned case and sends it back to review; the note says what 管理岗 found.
 * New scans (issue 18) replace the returned ones, one document at a time; the others are kept.
 */
const CorrectionForm = () => {
  const record = useRecordContext();
  const t = useTranslate();
  const dp = useDataProvider<AdminDataProvider>();
  const act = useAction();
  const { ask, dialog } = useConfirm();
  const { permissions } = usePermissions<string[]>();
  if (!record || record.status !== 'returned' || !(permissions ?? []).includes('intake')) return null;
  const form = record.form as Record<string, unknown>;
  const purposes = requiredUploads('person', record.changeKind ?? null);
  return (
    <section aria-labelledby="correct-heading" style={{ width: '100%' }}>
      <h2 id="correct-heading" className="section-heading">{t('accounts.correct.heading')}</h2>
      <p className="notice notice-error" role="status">{t('accounts.correct.note', { note: record.returnedNote })}</p>
      <Form
        defaultValues={{ form: Object.fromEntries(PERSON_FIELDS.map((k) => [k, form[k] ?? ''])), note: '' }}
        onSubmit={async (v: Record<string, unknown>) => {
          const f = v.form as Record<string, unknown>;
          // The identity document cannot change in a correction: the bff keeps it, as it keeps every
          // masked value left as it was shown (issue 17).
          const corrected: Record<string, unknown> = { ...f, email: f.email ? f.email : null };
          delete corrected.idType;
          delete corrected.idNumber;
          for (const k of MASKED_IN_CORRECTION) if ((corrected[k] ?? null) === (form[k] ?? null)) delete corrected[k];
          const documents = Object.fromEntries(Object.entries((v.documents ?? {}) as Record<string, unknown>).filter(([, id]) => typeof id === 'string' && id));
          const body = { form: corrected, ...(Object.keys(documents).length ? { documents } : {}), ...(v.note ? { note: v.note } : {}) };
          const ok = await ask({ title: 'accounts.confirm.resubmit_title', consequence: 'accounts.confirm.resubmit', params: { reference: record.reference }, confirm: 'accounts.correct.submit', tone: 'primary' });
          if (!ok) return undefined;
          return act(() => resubmitApplication(dp, record.id, body), 'accounts.correct.done');
        }}
      >
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(16em, 1fr))', columnGap: 16, width: '100%' }}>
          {PERSON_FIELDS.map((k) =>
            k === 'sex' ? (
              <SelectInput key={k} source="form.sex" label="accounts.field.sex" choices={[{ id: 'M', name: 'accounts.sex.M' }, { id: 'F', name: 'accounts.sex.F' }]} />
            ) : (
              <TextInput key={k} source={`form.${k}`} label={`accounts.field.${k}`} disabled={k === 'idType' || k === 'idNumber'} />
            ),
          )}
        </div>
        <fieldset className="rescan" style={{ width: '100%' }}>
          <legend>{t('accounts.correct_scans.heading')}</legend>
          <p className="muted">{t('accounts.correct_scans.help')}</p>
          {purposes.map((p) => <UploadInput key={p} purpose={p} />)}
        </fieldset>
        <TextInput source="note" label="accounts.correct.comment" fullWidth />
        <SaveButton label="accounts.correct.submit" alwaysEnable />
      </Form>
      {dialog}
    </section>
  );
};

export const ApplicationShow = () => (
  <Show title="accounts.resources.account-applications">
    <SimpleShowLayout>
      <div className="show-grid">
        <Row label="accounts.field.reference"><RecordText source="reference" mono /></Row>
        <Row label="accounts.field.status"><AccountChip source="status" group="status" tones={APPLICATION_STATUS_TONES} /></Row>
        <Row label="accounts.field.checkStatus"><AccountChip source="checkStatus" group="check_status" tones={CHECK_STATUS_TONES} /></Row>
        <Row label="accounts.field.kind"><KindCell /></Row>
        <Row label="accounts.field.reviewDueAt"><DeadlineCell /></Row>
        <Row label="accounts.field.acceptedAt"><InstantField source="acceptedAt" /></Row>
        <Row label="accounts.field.acceptedBy"><RecordText source="acceptedBy" /></Row>
        <Row label="accounts.field.rejectReason"><RecordText source="rejectReason" /></Row>
      </div>
      <FormData />
      <Documents />
      <ReviewActions />
      <CorrectionForm />
      <Timeline />
    </SimpleShowLayout>
  </Show>
);

const RecordText = ({ source, mono }: { source: string; mono?: boolean }) => {
  const record = useRecordContext();
  const v = record?.[source];
  return <span className={mono ? 'mono' : undefined}>{v === null || v === undefined || v === '' ? '—' : String(v)}</span>;
};
