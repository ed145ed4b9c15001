import { DataTable, DateInput, List, SelectInput, Show, TextInput, useRecordContext, useTranslate } from 'react-admin';
import { InstantColumn, MonoColumn } from '../shared/columns.tsx';
import { InstantField, JsonBlock } from '../shared/fields.tsx';
import { API_URL } from '../shared/http.ts';
import { EnumText, Fact, ToneChip } from '../replacements/ui.tsx';
import { BUSINESS_TYPES } from './business-types.ts';

const STATUS_TONES = { kept: 'success', destroyed: 'neutral' } as const;

/** 电子档案: search by reference, person (full ID number typed, masked answer), plate, licence, date and type (X-6.1). */
export const RecordList = () => {
  const t = useTranslate();
  const types = BUSINESS_TYPES.map((id) => ({ id, name: t(`archives.business_type.${id}`) }));
  const filters = [
    <TextInput key="q" source="q" label="archives.field.q" alwaysOn />,
    <TextInput key="plateNo" source="plateNo" label="archives.field.plateNo" alwaysOn />,
    <TextInput key="idNumber" source="idNumber" label="archives.field.idNumber" />,
    <TextInput key="licenceNo" source="licenceNo" label="archives.field.licenceNo" />,
    <SelectInput key="businessType" source="businessType" label="archives.field.businessType" choices={types} />,
    <DateInput key="from" source="from" label="archives.field.from" />,
    <DateInput key="to" source="to" label="archives.field.to" />,
  ];
  return (
    <List title="archives.resources.archive-records" filters={filters} sort={{ field: 'finishedAt', order: 'DESC' }} perPage={25} exporter={false}>
      <DataTable rowClick="show" bulkActionButtons={false}>
        <InstantColumn source="finishedAt" label="archives.field.finishedAt" />
        <MonoColumn source="caseRef" label="archives.field.caseRef" />
        <DataTable.Col source="businessType" label="archives.field.businessType">
          <EnumText source="businessType" prefix="archives.business_type" />
        </DataTable.Col>
        <MonoColumn source="personIdNumberMasked" label="archives.field.personIdNumberMasked" disableSort emptyText="—" />
        <MonoColumn source="plateNo" label="archives.field.plateNo" disableSort emptyText="—" />
        <DataTable.Col source="authorityName" label="archives.field.authorityName" disableSort />
        <DataTable.Col source="files" label="archives.field.files" disableSort />
        <DataTable.Col source="status" label="archives.field.status" disableSort>
          <ToneChip source="status" prefix="archives.status" tones={STATUS_TONES} />
        </DataTable.Col>
      </DataTable>
    </List>
  );
};

type TrailEntry = { id: number; at: string; actorKind: string; actorLabel: string | null; action: string; entityType?: string; before: unknown; after: unknown };
type Message = { id: string; channel: string; template: string; status: string; createdAt: string };
type Doc = { position: number; purpose: string; contentType: string; sizeBytes: number; sha256: string; fileName: string | null };

const fmt = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

/** The record, everything in order; printable as one bundle (the page's print styles hide the console). */
const RecordBody = () => {
  const r = useRecordContext();
  const t = useTranslate();
  if (!r) return null;
  const trail = (r.trail ?? []) as TrailEntry[];
  const messages = (r.messages ?? []) as Message[];
  const docs = (r.documents ?? []) as Doc[];
  return (
    <article className="archive-record" aria-labelledby="archive-record-heading">
      <h2 id="archive-record-heading" className="section-heading">
        {t('archives.record.print_heading')} <span className="mono">{r.caseRef}</span>
      </h2>
      <p className="muted no-print">{t('archives.record.viewed_note')}</p>
      <button type="button" className="no-print" onClick={() => window.print()}>{t('archives.record.print')}</button>
      {r.contentOk === false ? <p role="alert" className="chip chip-error">{t('archives.record.content_bad')}</p> : null}
      {r.contentOk === true ? <p className="chip chip-success">{t('archives.record.content_ok')}</p> : null}
      {r.status === 'destroyed' ? <p role="status">{t('archives.record.destroyed_note')}</p> : null}
      <div className="show-grid">
        <Fact label="archives.field.businessType"><EnumText source="businessType" prefix="archives.business_type" /></Fact>
        <Fact label="archives.field.version">{r.version}</Fact>
        <Fact label="archives.field.authorityName">{r.authorityName}</Fact>
        <Fact label="archives.field.personIdNumberMasked"><span className="mono">{r.personIdNumberMasked ?? '—'}</span></Fact>
        <Fact label="archives.field.plateNo"><span className="mono">{r.plateNo ?? '—'}</span></Fact>
        <Fact label="archives.field.licenceNo"><span className="mono">{r.licenceNo ?? '—'}</span></Fact>
        <Fact label="archives.field.finishedAt"><InstantField source="finishedAt" /></Fact>
        <Fact label="archives.field.archivedAt"><InstantField source="archivedAt" /></Fact>
        <Fact label="archives.field.retainUntil">{r.retainUntil ?? '—'}</Fact>
        <Fact label="archives.field.digest"><span className="mono" style={{ wordBreak: 'break-all' }}>{r.digest}</span></Fact>
      </div>

      <h3 id="archive-data">{t('archives.field.data')}</h3>
      <JsonBlock value={r.data} labelledBy="archive-data" />

      <h3>{t('archives.field.documents')}</h3>
      {docs.length === 0 ? <p>{t('app.common.none')}</p> : (
        <ul className="archive-docs">
          {docs.map((d) => {
            const url = `${API_URL}/archive-records/${encodeURIComponent(String(r.id))}/files/${d.position}`;
            return (
              <li key={d.position}>
                <div>{d.purpose} · {d.contentType} · {d.sizeBytes} B · <span className="mono">{d.sha256.slice(0, 12)}…</span></div>
                {d.contentType.startsWith('image/') ? <img src={url} alt={d.purpose} style={{ maxHeight: 200 }} /> : <a href={url} target="_blank" rel="noreferrer">{d.fileName ?? d.purpose}</a>}
              </li>
            );
          })}
        </ul>
      )}

      <h3>{t('archives.field.trail')}</h3>
      <table className="archive-table">
        <thead><tr><th scope="col">{t('archives.field.at')}</th><th scope="col">{t('archives.field.by')}</th><th scope="col">{t('archives.field.event')}</th></tr></thead>
        <tbody>
          {trail.map((e) => (
            <tr key={e.id}><td>{fmt(e.at)}</td><td>{e.actorKind === 'system' ? t('app.audit.system_actor', { label: e.actorLabel ?? '' }) : e.actorKind === 'anonymous' ? t('app.audit.anonymous_actor') : (e.actorLabel ?? '')}</td><td title={e.action}>{t(`app.audit.verb.${e.action}`, { _: t('app.audit.unknown_verb', { action: e.action }) })}{e.entityType ? ` ${t(`app.audit.entity.${e.entityType}`, { _: e.entityType })}` : ''}</td></tr>
          ))}
        </tbody>
      </table>

      <h3>{t('archives.field.messages')}</h3>
      <table className="archive-table">
        <thead><tr><th scope="col">{t('archives.field.at')}</th><th scope="col">{t('archives.field.event')}</th><th scope="col">{t('archives.field.status')}</th></tr></thead>
        <tbody>
          {messages.map((m) => (
            <tr key={m.id}><td>{fmt(m.createdAt)}</td><td className="mono">{m.channel} · {m.template}</td><td>{m.status}</td></tr>
          ))}
        </tbody>
      </table>

      <h3>{t('archives.field.versions')}</h3>
      <ul>
        {((r.versions ?? []) as { id: string; version: number; archivedAt: string }[]).map((v) => (
          <li key={v.id}>{v.id === r.id ? <strong>v{v.version}</strong> : <a href={`#/archive-records/${v.id}/show`}>v{v.version}</a>} · {fmt(v.archivedAt)}</li>
        ))}
      </ul>

      <h3>{t('archives.field.paperFile')}</h3>
      {r.paperFile ? (
        <p><a href={`#/paper-files/${r.paperFile.id}/show`} className="mono">{r.paperFile.fileNo}</a> · {r.paperFile.location} · {t(`archives.status.${r.paperFile.status}`)}</p>
      ) : (
        <p>
          {t('archives.record.no_paper')}{' '}
          <a className="no-print" href={`#/paper-files/create?source=${encodeURIComponent(JSON.stringify({ businessType: r.businessType, caseRef: r.caseRef }))}`}>{t('archives.record.check_in')}</a>
        </p>
      )}
    </article>
  );
};

export const RecordShow = () => (
  <Show title="archives.resources.archive-records">
    <RecordBody />
  </Show>
);
