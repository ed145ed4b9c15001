import { useState } from 'react';
import {
  Create, DataTable, List, NumberInput, SaveButton, SelectInput, Show, SimpleForm, TextInput, BooleanInput, maxLength, minValue, maxValue, required, regex,
  useNotify, usePermissions, useRecordContext, useRefresh, useTranslate, type RaRecord,
} from 'react-admin';
import { InstantColumn, MonoColumn } from '../shared/columns.tsx';
import { DeadlineField, Deadline } from '../shared/deadline-field.tsx';
import { InstantField, JsonBlock } from '../shared/fields.tsx';
import { Form } from '../shared/forms.tsx';
import { API_URL, httpClient } from '../shared/http.ts';
import { Revealable, ServerExportActions } from '../shared/personal-data.tsx';
import { toneProps, useConfirm } from '../shared/confirm.tsx';
import { EnumText, Fact, ToneChip, useCommand, compact } from '../replacements/ui.tsx';
import { formatFen } from '../payments/money.ts';

export const VIOLATION_STATUSES = ['pending_review', 'open', 'objected', 'handling', 'handled', 'cleared', 'rejected'] as const;
export const VIOLATION_TONES = { pending_review: 'info', open: 'neutral', objected: 'info', handling: 'info', handled: 'success', cleared: 'neutral', rejected: 'error' } as const;

const Fen = ({ source }: { source: string; label?: string }) => {
  const r = useRecordContext();
  return <span className="mono">{formatFen(r?.[source])}</span>;
};

/**
 * 受理岗's queue of camera records: the review deadline first (five
 * working days from capture, SLA timer with its overdue flag); 管理岗 reads and
 * filters the flagged non-owner handlings. Owners' phones masked.
 */
export const ViolationList = () => {
  const translate = useTranslate();
  const filters = [
    <SelectInput key="status" source="status" label="violations.fields.status" choices={VIOLATION_STATUSES.map((id) => ({ id, name: translate(`violations.status.${id}`) }))} alwaysOn />,
    <TextInput key="q" source="q" label="violations.fields.q" resettable alwaysOn />,
    <BooleanInput key="flagged" source="flagged" label="violations.fields.flagged" />,
  ];
  return (
    <List title="violations.title" filters={filters} sort={{ field: 'reviewDueAt', order: 'ASC' }} perPage={25} actions={<ServerExportActions />}>
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="reviewDueAt" label="violations.fields.reviewDueAt">
          <DeadlineField source="reviewDueAt" overdueSource="reviewOverdue" doneWhen={(r) => r.status !== 'pending_review'} />
        </DataTable.Col>
        <MonoColumn source="reference" label="violations.fields.reference" />
        <DataTable.Col source="status" label="violations.fields.status"><ToneChip source="status" prefix="violations.status" tones={VIOLATION_TONES} /></DataTable.Col>
        <DataTable.Col source="plateNo" label="violations.fields.plateNo" />
        <InstantColumn source="occurredAt" label="violations.fields.occurredAt" />
        <DataTable.Col source="act" label="violations.fields.act" disableSort />
        <DataTable.Col source="fineFen" label="violations.fields.fine" disableSort><Fen source="fineFen" /></DataTable.Col>
        <DataTable.Col source="points" label="violations.fields.points" disableSort />
        <DataTable.Col source="ownerPhoneMasked" label="violations.fields.ownerPhone" disableSort />
      </DataTable>
    </List>
  );
};

type Trail = { at: string; action: string; actor: string | null; before: unknown; after: unknown };

/** the electronic case file (电子案卷): record, photos, decision and payment, objections, SMS, audit trail. */
const CaseFile = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  if (!r) return null;
  const d = r.decision as Record<string, unknown> | null;
  return (
    <div className="page">
      <div className="show-grid">
        <Fact label="violations.fields.reference"><span className="mono">{r.reference}</span></Fact>
        <Fact label="violations.fields.status"><ToneChip source="status" prefix="violations.status" tones={VIOLATION_TONES} /></Fact>
        <Fact label="violations.fields.reviewDueAt"><Deadline value={r.reviewDueAt} overdue={r.reviewOverdue} done={r.status !== 'pending_review'} /></Fact>
        <Fact label="violations.fields.notifyDueAt">{r.notifyDueAt ? <Deadline value={r.notifyDueAt} overdue={r.notifyOverdue} done={!!r.notifiedAt} /> : null}</Fact>
        <Fact label="violations.fields.source"><EnumText source="source" prefix="violations.source" /></Fact>
        <Fact label="violations.fields.plateNo">{r.plateNo}</Fact>
        <Fact label="violations.fields.occurredAt"><InstantField source="occurredAt" /></Fact>
        <Fact label="violations.fields.place">{r.place}</Fact>
        <Fact label="violations.fields.act"><span className="mono">{r.actCode}</span> {r.act}</Fact>
        <Fact label="violations.fields.fine">{formatFen(r.fineFen)}</Fact>
        <Fact label="violations.fields.points">{r.points}</Fact>
        <Fact label="violations.fields.deviceNo">{r.deviceNo}</Fact>
        <Fact label="violations.fields.owner">
          {r.ownerNameMasked} <Revealable value={r.ownerPhoneMasked} field="ownerPhone" kind="phone" />{' '}
          <Revealable value={r.ownerIdNumberMasked} field="ownerIdNumber" kind="id_number" />
        </Fact>
        {r.clearedReason ? <Fact label="violations.fields.clearedReason">{r.clearedReason}</Fact> : null}
      </div>
      {Array.isArray(r.photos) && r.photos.length > 0 ? (
        <section aria-labelledby="photos-heading">
          <h2 id="photos-heading" className="section-heading">{translate('violations.photos')}</h2>
          {r.photos.map((p: { position: number; url: string }) => (
            <img key={p.position} src={p.url} alt={translate('violations.photo_alt', { n: p.position })} width={288} height={180} />
          ))}
        </section>
      ) : null}
      {d ? (
        <section aria-labelledby="decision-heading">
          <h2 id="decision-heading" className="section-heading">{translate('violations.decision')}</h2>
          <div className="show-grid">
            <Fact label="violations.fields.decisionNo"><span className="mono">{String(d.decisionNo)}</span></Fact>
            <Fact label="violations.fields.holder">{String(d.holderNameMasked)} {String(d.licenceNoMasked)}</Fact>
            <Fact label="violations.fields.decisionStatus">{translate(`violations.decision_status.${String(d.status)}`)}</Fact>
            <Fact label="violations.fields.paid">{d.paidFen != null ? `${formatFen(Number(d.paidFen))}（${translate('violations.fields.lateFee')} ${formatFen(Number(d.lateFeeFen))}）` : null}</Fact>
            {d.flagged ? <Fact label="violations.fields.flagged"><span className="chip chip-error">{translate('violations.flag', { reason: String(d.flagReason) })}</span></Fact> : null}
          </div>
        </section>
      ) : null}
      {Array.isArray(r.objections) && r.objections.length > 0 ? (
        <section aria-labelledby="obj-heading">
          <h2 id="obj-heading" className="section-heading">{translate('violations.objections')}</h2>
          <ul>
            {r.objections.map((o: Record<string, string>) => (
              <li key={o.id}>{translate(`violations.ground.${o.ground}`)} · {translate(`violations.objection_status.${o.status}`)} · {o.statement}{o.decisionNote ? ` · ${o.decisionNote}` : ''}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="sms-heading">
        <h2 id="sms-heading" className="section-heading">{translate('violations.messages')}</h2>
        <ul>{(r.messages ?? []).map((m: Record<string, string>, i: number) => <li key={i}><InstantField source="at" record={m as unknown as RaRecord} /> {m.template} {m.recipientMasked} {m.status}</li>)}</ul>
      </section>
      <section aria-labelledby="trail-heading">
        <h2 id="trail-heading" className="section-heading">{translate('violations.trail')}</h2>
        <table className="plain-table">
          <thead><tr><th scope="col">{translate('violations.fields.at')}</th><th scope="col">{translate('violations.fields.action')}</th><th scope="col">{translate('violations.fields.actor')}</th><th scope="col">{translate('violations.fields.change')}</th></tr></thead>
          <tbody>
            {(r.trail as Trail[] ?? []).map((t, i) => (
              <tr key={i}><td><InstantField source="at" record={t as unknown as RaRecord} /></td><td className="mono">{t.action}</td><td>{t.actor}</td><td><JsonBlock value={{ before: t.before, after: t.after }} /></td></tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
};

/** The steps the status allows, for this post: 受理岗 reviews or voids; 管理岗 clears exemptions. Each confirms first. */
const Steps = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  const run = useCommand('violations');
  const { ask, dialog } = useConfirm();
  const { permissions } = usePermissions<string[]>();
  if (!r) return null;
  const mine = (r.allowedSteps as string[]).filter((s) => (s === 'clear' ? permissions?.includes('review') : permissions?.includes('intake')));
  if (mine.length === 0) return null;
  return (
    <section aria-labelledby="steps-heading">
      <h2 id="steps-heading" className="section-heading">{translate('violations.steps')}</h2>
      {mine.map((step) => (
        <Form key={step} record={{}} onSubmit={async (v: Record<string, unknown>) => {
          const tone = step === 'review' ? 'primary' : 'destructive';
          const ok = await ask({ title: 'violations.confirm.title', consequence: `violations.confirm.${step}`, params: { reference: r.reference }, confirm: `violations.step.${step}`, tone });
          return ok ? run(r.id, step, step === 'review' ? {} : compact({ note: v.note }), 'violations.done') : undefined;
        }}>
          {step !== 'review' ? <TextInput source="note" label="violations.fields.note" validate={[required(), maxLength(500)]} fullWidth /> : null}
          <SaveButton label={`violations.step.${step}`} icon={<span />} {...toneProps(step === 'review' ? 'primary' : 'destructive')} alwaysEnable />
        </Form>
      ))}
      {dialog}
    </section>
  );
};

export const ViolationShow = () => (
  <Show title="violations.title" emptyWhileLoading>
    <Steps />
    <CaseFile />
  </Show>
);

/** a CSV export of the cameras, all rows or none; the refusal names the line and column. */
const ImportCsv = () => {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const [csv, setCsv] = useState('plate_no,occurred_at,place,act_code,act,fine_yuan,points,device_no,captured_at\n');
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setError(null);
    try {
      const res = await httpClient(`${API_URL}/violations/import`, { method: 'POST', body: JSON.stringify({ csv }) });
      notify('violations.imported', { type: 'success', messageArgs: { count: (res.json as { imported: number }).imported } });
      refresh();
    } catch (e) {
      const err = e as { message?: string; body?: { detail?: string } };
      setError([err.message, err.body?.detail].filter(Boolean).join(' '));
    }
  };
  return (
    <section aria-labelledby="import-heading" className="page">
      <h2 id="import-heading" className="section-heading">{translate('violations.import')}</h2>
      <p className="muted">{translate('violations.import_help')}</p>
      <label htmlFor="violation-csv">{translate('violations.import_label')}</label>
      <textarea id="violation-csv" rows={6} style={{ width: '100%' }} value={csv} onChange={(e) => setCsv(e.target.value)} aria-describedby={error ? 'violation-csv-error' : undefined} aria-invalid={error ? true : undefined} />
      {error ? <p id="violation-csv-error" role="alert" className="field-error">{error}</p> : null}
      <button type="button" className="MuiButton-root" onClick={submit}>{translate('violations.import_button')}</button>
    </section>
  );
};

/** 受理岗 enters one camera record (fine in 元 → integer fen) or imports a CSV. */
export const ViolationCreate = () => (
  <Create title="violations.enter" redirect="show" transform={(v: Record<string, unknown>) => compact({
    ...v, fineFen: Math.round(Number(v.fineYuan) * 100), fineYuan: undefined,
    occurredAt: v.occurredAt ? `${String(v.occurredAt)}:00+08:00` : undefined,
  })}>
    <SimpleForm>
      <TextInput source="plateNo" label="violations.fields.plateNo" validate={[required(), regex(/^[\u4e00-\u9fa5][A-Z][0-9A-HJ-NP-Z]{5,6}$/, 'violations.plate_format')]} />
      <TextInput source="occurredAt" label="violations.fields.occurredAt" type="datetime-local" validate={required()} />
      <TextInput source="place" label="violations.fields.place" validate={[required(), maxLength(200)]} fullWidth />
      <TextInput source="actCode" label="violations.fields.actCode" validate={[required(), regex(/^[0-9]{4,5}$/, 'violations.act_code_format')]} />
      <TextInput source="act" label="violations.fields.act" validate={[required(), maxLength(200)]} fullWidth />
      <NumberInput source="fineYuan" label="violations.fields.fineYuan" validate={[required(), minValue(0)]} />
      <NumberInput source="points" label="violations.fields.points" validate={[required(), minValue(0), maxValue(12)]} />
      <TextInput source="deviceNo" label="violations.fields.deviceNo" validate={maxLength(60)} />
    </SimpleForm>
    <ImportCsv />
  </Create>
);
