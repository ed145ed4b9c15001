import { DataTable, List, useDataProvider, useRecordContext, useTranslate } from 'react-admin';
import { InstantColumn, MonoColumn } from '../shared/columns.tsx';
import type { AdminDataProvider } from '../shared/data-provider.ts';
import { ConfirmButton } from '../shared/confirm.tsx';
import { useAction } from '../shared/use-action.ts';
import { EnumText, ToneChip } from '../replacements/ui.tsx';

/** 档案校验: every digest chain of the city walked; the first faulty record of each (X-6.1, ADR-036). */
export const ChainList = () => (
  <List title="archives.resources.archive-chains" pagination={false} exporter={false} perPage={500}>
    <DataTable bulkActionButtons={false}>
      <MonoColumn source="id" label="archives.field.chain" disableSort />
      <DataTable.Col source="businessType" label="archives.field.businessType" disableSort>
        <EnumText source="businessType" prefix="archives.business_type" />
      </DataTable.Col>
      <DataTable.Col source="records" label="archives.field.records" disableSort />
      <DataTable.Col source="ok" label="archives.field.ok" disableSort>
        <ChainState />
      </DataTable.Col>
    </DataTable>
  </List>
);

const ChainState = () => {
  const r = useRecordContext();
  const t = useTranslate();
  if (!r) return null;
  if (r.ok) return <span className="chip chip-success">{t('archives.chain.ok')}</span>;
  return (
    <span role="alert">
      <span className="chip chip-error">{t('archives.chain.broken')}</span>{' '}
      {t(`archives.reason.${r.brokenAt.reason}`)} · #{r.brokenAt.seq}{' '}
      {r.brokenAt.recordId ? <a href={`#/archive-records/${r.brokenAt.recordId}/show`}>{t('app.common.open')}</a> : null}
    </span>
  );
};

const DESTRUCTION_TONES = { proposed: 'info', approved: 'neutral', kept: 'success' } as const;

/** 档案销毁计划: the durable job proposes records past retention; 档案岗 destroys or keeps each (ADR-036). */
export const DestructionList = () => (
  <List title="archives.resources.archive-destructions" filterDefaultValues={{ status: 'proposed' }} sort={{ field: 'proposedAt', order: 'ASC' }} exporter={false}>
    <DataTable bulkActionButtons={false}>
      <InstantColumn source="proposedAt" label="archives.field.proposedAt" />
      <MonoColumn source="caseRef" label="archives.field.caseRef" disableSort />
      <DataTable.Col source="businessType" label="archives.field.businessType" disableSort>
        <EnumText source="businessType" prefix="archives.business_type" />
      </DataTable.Col>
      <DataTable.Col source="retainUntil" label="archives.field.retainUntil" disableSort />
      <DataTable.Col source="status" label="archives.field.status" disableSort>
        <ToneChip source="status" prefix="archives.status" tones={DESTRUCTION_TONES} />
      </DataTable.Col>
      <DataTable.Col label="archives.field.action" disableSort>
        <DestructionCommands />
      </DataTable.Col>
    </DataTable>
  </List>
);

const DestructionCommands = () => {
  const r = useRecordContext();
  const dp = useDataProvider<AdminDataProvider>();
  const act = useAction({ inForm: false });
  if (!r || r.status !== 'proposed') return null;
  const params = { caseRef: r.caseRef };
  return (
    <span style={{ display: 'inline-flex', gap: 8 }}>
      <ConfirmButton label="archives.destruction.approve" tone="destructive" text={{ title: 'archives.destruction.approve_title', consequence: 'archives.destruction.approve_consequence', params }}
        onConfirm={() => act(() => dp.command('archive-destructions', r.id, 'approve', { note: '' }), 'archives.destruction.approved')} />
      <ConfirmButton label="archives.destruction.keep" tone="neutral" text={{ title: 'archives.destruction.keep_title', consequence: 'archives.destruction.keep_consequence', params }}
        onConfirm={() => act(() => dp.command('archive-destructions', r.id, 'keep', { note: '' }), 'archives.destruction.kept')} />
    </span>
  );
};
