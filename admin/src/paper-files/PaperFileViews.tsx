import { useEffect, useState } from 'react';
import {
  BooleanInput, CheckboxGroupInput, Create, DataTable, DateInput, FormDataConsumer, List, SaveButton, SelectInput, Show, TextInput,
  maxLength, minLength, required, useGetList, useParams, useRecordContext, useTranslate,
} from 'react-admin';
import { InstantColumn, MonoColumn } from '../shared/columns.tsx';
import { Form, SimpleForm } from '../shared/forms.tsx';
import { InstantField } from '../shared/fields.tsx';
import { getJson } from '../shared/http.ts';
import { useConfirm } from '../shared/confirm.tsx';
import { EnumText, Fact, ToneChip, compact, useCommand } from '../replacements/ui.tsx';
import { BUSINESS_TYPES, REQUIRED_DOCUMENTS } from '../archive-records/business-types.ts';

/** A form inside a record's page starts from the record: send only the command's own fields. */
const pick = (v: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.filter((k) => k in v).map((k) => [k, v[k]]));

const STATUS_TONES = { on_shelf: 'success', on_loan: 'info', in_transfer: 'neutral' } as const;
const place = [required(), maxLength(40)];

const LoanCell = () => {
  const r = useRecordContext();
  const t = useTranslate();
  if (!r?.loan) return <span>—</span>;
  return (
    <span>
      {r.loan.borrower} · {new Date(r.loan.dueBack).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' })}
      {r.loan.overdue ? <> <span className="chip chip-error">{t('archives.field.overdue')}</span></> : null}
    </span>
  );
};

/** 纸质档案: where each file is, who has it since when; overdue loans by filter. */
export const PaperFileList = () => {
  const t = useTranslate();
  const statuses = ['on_shelf', 'on_loan', 'in_transfer'].map((id) => ({ id, name: t(`archives.status.${id}`) }));
  const filters = [
    <TextInput key="q" source="q" label="archives.field.fileNo" alwaysOn />,
    <SelectInput key="status" source="status" label="archives.field.status" choices={statuses} alwaysOn />,
    <SelectInput key="overdue" source="overdue" label="archives.paper.overdue_only" choices={[{ id: 'true', name: t('archives.field.overdue') }]} alwaysOn />,
  ];
  return (
    <List title="archives.resources.paper-files" filters={filters} sort={{ field: 'checkedInAt', order: 'DESC' }} exporter={false}>
      <DataTable rowClick="show" bulkActionButtons={false}>
        <MonoColumn source="fileNo" label="archives.field.fileNo" />
        <MonoColumn source="caseRef" label="archives.field.caseRef" />
        <DataTable.Col source="businessType" label="archives.field.businessType" disableSort>
          <EnumText source="businessType" prefix="archives.business_type" />
        </DataTable.Col>
        <DataTable.Col source="location" label="archives.field.location" disableSort />
        <DataTable.Col source="status" label="archives.field.status">
          <ToneChip source="status" prefix="archives.status" tones={STATUS_TONES} />
        </DataTable.Col>
        <DataTable.Col source="loan" label="archives.field.loan" disableSort>
          <LoanCell />
        </DataTable.Col>
        <InstantColumn source="checkedInAt" label="archives.field.checkedInAt" />
      </DataTable>
    </List>
  );
};

const checklistOf = (type: string | undefined) => {
  if (!type) return [];
  const base = REQUIRED_DOCUMENTS[type] ?? REQUIRED_DOCUMENTS.default!;
  return type === 'account_registration' ? [...new Set([...base, ...REQUIRED_DOCUMENTS.account_registration_organisation!])] : [...base];
};

/** 入库: reconcile with the system (the case must be archived electronically), check the documents, bind, shelve. */
export const PaperFileCreate = () => {
  const t = useTranslate();
  const types = BUSINESS_TYPES.map((id) => ({ id, name: t(`archives.business_type.${id}`) }));
  return (
    <Create title="archives.paper.check_in" redirect="show">
      <SimpleForm defaultValues={{ bound: true, checkedDocuments: [] }}>
        <SelectInput source="businessType" label="archives.field.businessType" choices={types} validate={required()} />
        <TextInput source="caseRef" label="archives.field.caseRef" validate={[required(), maxLength(100)]} />
        <FormDataConsumer>
          {({ formData }) => (
            <CheckboxGroupInput source="checkedDocuments" label="archives.paper.checklist" row={false}
              choices={checklistOf(formData.businessType as string | undefined).map((id) => ({ id, name: t(`archives.document.${id}`) }))} />
          )}
        </FormDataConsumer>
        <BooleanInput source="bound" label="archives.field.bound" />
        <TextInput source="room" label="archives.field.room" validate={place} />
        <TextInput source="cabinet" label="archives.field.cabinet" validate={place} />
        <TextInput source="shelf" label="archives.field.shelf" validate={place} />
        <TextInput source="box" label="archives.field.box" validate={place} />
      </SimpleForm>
    </Create>
  );
};

/** 借出: to a member of the city, with the reason and the day it is due back. */
const LendForm = () => {
  const r = useRecordContext();
  const t = useTranslate();
  const run = useCommand('paper-files');
  const { ask, dialog } = useConfirm();
  const { data: staff } = useGetList('paper-file-borrowers', { pagination: { page: 1, perPage: 200 }, sort: { field: 'id', order: 'ASC' } });
  if (!r || r.status !== 'on_shelf') return null;
  const submit = async (v: Record<string, unknown>) =>
    (await ask({ title: 'archives.paper.lend_title', consequence: 'archives.paper.lend_consequence', params: { fileNo: r.fileNo }, confirm: 'archives.paper.lend', tone: 'primary' }))
      ? run(r.id, 'lend', compact(pick(v, ['borrowerId', 'reason', 'dueBack'])), 'archives.paper.lent')
      : undefined;
  return (
    <section aria-labelledby="lend-heading">
      <h3 id="lend-heading">{t('archives.paper.lend')}</h3>
      <Form onSubmit={submit} keepDraft={false}>
        <SelectInput source="borrowerId" label="archives.field.borrower" choices={(staff ?? []).map((s) => ({ id: s.id, name: `${s.name}（${s.username}）` }))} validate={required()} />
        <TextInput source="reason" label="archives.field.reason" validate={[required(), minLength(2), maxLength(200)]} />
        <DateInput source="dueBack" label="archives.field.dueBack" helperText="archives.paper.due_help" />
        <SaveButton label="archives.paper.lend" alwaysEnable />
      </Form>
      {dialog}
    </section>
  );
};

const ReturnForm = () => {
  const r = useRecordContext();
  const t = useTranslate();
  const run = useCommand('paper-files');
  const { ask, dialog } = useConfirm();
  if (!r || r.status !== 'on_loan') return null;
  const submit = async (v: Record<string, unknown>) =>
    (await ask({ title: 'archives.paper.return_title', consequence: 'archives.paper.return_consequence', params: { fileNo: r.fileNo, location: r.location }, confirm: 'archives.paper.give_back', tone: 'primary' }))
      ? run(r.id, 'return', compact(pick(v, ['note'])), 'archives.paper.returned')
      : undefined;
  return (
    <section aria-labelledby="return-heading">
      <h3 id="return-heading">{t('archives.paper.give_back')}</h3>
      <Form onSubmit={submit} keepDraft={false}>
        <TextInput source="note" label="archives.field.note" validate={maxLength(200)} />
        <SaveButton label="archives.paper.give_back" alwaysEnable />
      </Form>
      {dialog}
    </section>
  );
};

const MoveForm = () => {
  const r = useRecordContext();
  const t = useTranslate();
  const run = useCommand('paper-files');
  if (!r || r.status !== 'on_shelf') return null;
  return (
    <section aria-labelledby="move-heading">
      <h3 id="move-heading">{t('archives.paper.move')}</h3>
      <Form onSubmit={(v: Record<string, unknown>) => run(r.id, 'move', pick(v, ['room', 'cabinet', 'shelf', 'box', 'reason']), 'archives.paper.moved')} keepDraft={false} defaultValues={{ room: r.room, cabinet: r.cabinet, shelf: r.shelf, box: r.box }}>
        <TextInput source="room" label="archives.field.room" validate={place} />
        <TextInput source="cabinet" label="archives.field.cabinet" validate={place} />
        <TextInput source="shelf" label="archives.field.shelf" validate={place} />
        <TextInput source="box" label="archives.field.box" validate={place} />
        <TextInput source="reason" label="archives.field.reason" validate={[required(), minLength(2), maxLength(200)]} />
        <SaveButton label="archives.paper.move" alwaysEnable />
      </Form>
    </section>
  );
};

type FileEvent = { id: string; kind: string; at: string; by: string; counterpart: string | null; reason: string; dueBack: string | null; city: string };

const History = () => {
  const r = useRecordContext();
  const t = useTranslate();
  if (!r) return null;
  const fmt = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
  return (
    <section aria-labelledby="history-heading">
      <h3 id="history-heading">{t('archives.paper.history')}</h3>
      <table className="archive-table">
        <thead>
          <tr>
            <th scope="col">{t('archives.field.at')}</th><th scope="col">{t('archives.field.event')}</th><th scope="col">{t('archives.field.by')}</th>
            <th scope="col">{t('archives.field.borrower')}</th><th scope="col">{t('archives.field.reason')}</th><th scope="col">{t('archives.field.dueBack')}</th><th scope="col">{t('archives.field.city')}</th>
          </tr>
        </thead>
        <tbody>
          {((r.events ?? []) as FileEvent[]).map((e) => (
            <tr key={e.id}>
              <td>{fmt(e.at)}</td><td>{t(`archives.event.${e.kind}`, { _: e.kind })}</td><td>{e.by}</td><td>{e.counterpart ?? '—'}</td><td>{e.reason || '—'}</td>
              <td>{e.dueBack ? fmt(e.dueBack) : '—'}</td><td>{e.city}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
};

const FileFacts = () => {
  const r = useRecordContext();
  const t = useTranslate();
  if (!r) return null;
  return (
    <>
      <div className="show-grid">
        <Fact label="archives.field.fileNo"><span className="mono">{r.fileNo}</span></Fact>
        <Fact label="archives.field.caseRef">
          {r.archiveRecordId ? <a className="mono" href={`#/archive-records/${r.archiveRecordId}/show`}>{r.caseRef}</a> : <span className="mono">{r.caseRef}</span>}
        </Fact>
        <Fact label="archives.field.businessType"><EnumText source="businessType" prefix="archives.business_type" /></Fact>
        <Fact label="archives.field.status"><ToneChip source="status" prefix="archives.status" tones={STATUS_TONES} /></Fact>
        <Fact label="archives.field.location">{r.location}</Fact>
        <Fact label="archives.field.loan"><LoanCell /></Fact>
        <Fact label="archives.field.bound">{r.bound ? '✓' : '—'}</Fact>
        <Fact label="archives.field.checkedDocuments">{((r.checkedDocuments ?? []) as string[]).map((d) => t(`archives.document.${d}`, { _: d })).join('、')}</Fact>
        <Fact label="archives.field.checkedInAt"><InstantField source="checkedInAt" /></Fact>
        <Fact label="archives.field.checkedInBy">{r.checkedInBy ?? '—'}</Fact>
      </div>
      <p><a href={`#/paper-files/${r.id}/label`}>{t('archives.paper.label')}</a></p>
    </>
  );
};

export const PaperFileShow = () => (
  <Show title="archives.resources.paper-files">
    <div style={{ padding: 16, display: 'grid', gap: 16 }}>
      <FileFacts />
      <LendForm />
      <ReturnForm />
      <MoveForm />
      <History />
    </div>
  </Show>
);

type Label = { id: string; fileNo: string; authorityName: string; businessType: string; caseRef: string; plateNo: string | null; location: string; url: string; qrDataUrl: string };

/** 档案标签: file number, case, place and a QR code of the file's page, printable. */
export const PaperFileLabelPage = () => {
  const { id } = useParams();
  const t = useTranslate();
  const [label, setLabel] = useState<Label | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    getJson(`/paper-files/${encodeURIComponent(String(id))}/label`).then((r) => setLabel(r.json as Label), () => setFailed(true));
  }, [id]);
  if (failed) return <p role="alert">{t('ra.page.not_found')}</p>;
  if (!label) return <p role="status">{t('ra.page.loading')}</p>;
  return (
    <main className="paper-label-page" aria-labelledby="label-heading">
      <h1 id="label-heading" className="no-print">{t('archives.paper.label_heading')}</h1>
      <div className="paper-label" style={{ border: '1px solid #333', padding: 12, display: 'flex', gap: 16, width: 'fit-content', background: '#fff', color: '#000' }}>
        <img src={label.qrDataUrl} alt={label.url} width={140} height={140} />
        <div>
          <div className="mono" style={{ fontSize: '1.3em', fontWeight: 700 }}>{label.fileNo}</div>
          <div>{label.authorityName} · {t(`archives.business_type.${label.businessType}`, { _: label.businessType })}</div>
          <div className="mono">{label.caseRef}{label.plateNo ? ` · ${label.plateNo}` : ''}</div>
          <div>{t('archives.field.location')}：{label.location}</div>
        </div>
      </div>
      <p className="muted no-print">{t('archives.paper.label_help')}</p>
      <p className="no-print"><a href={label.url}>{label.url}</a></p>
      <button type="button" className="no-print" onClick={() => window.print()}>{t('archives.paper.print')}</button>
    </main>
  );
};
