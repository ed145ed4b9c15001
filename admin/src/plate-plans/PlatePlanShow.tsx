import { useState } from 'react';
import {
  Labeled,
  NumberField,
  RadioButtonGroupInput,
  SaveButton,
  Show,
  SimpleShowLayout,
  TextField,
  TextInput,
  maxLength,
  minLength,
  required,
  useDataProvider,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from 'react-admin';
import { Form } from '../shared/forms.tsx';
import type { AdminDataProvider } from '../shared/data-provider.ts';
import { EnumField, InstantField, StatusChip } from '../shared/fields.tsx';
import type { FormErrors } from '../shared/problem.ts';
import { ShowGrid } from '../shared/show-grid.tsx';
import { useRefusal } from '../shared/use-refusal.ts';
import { useConfirm } from '../shared/confirm.tsx';
import { CommandButton } from './CommandButton.tsx';
import { PLAN_STATUS_TONES, buildPercent, nextCommand, openButtonState, planConfirmText, type OpenVerdict, type PlanCommand } from './lifecycle.ts';

/** the superior authority's decision, recorded with its document number. */
const ApproveForm = ({ onSubmit, busy }: { onSubmit: (v: { kind: string; documentRef: string }) => Promise<FormErrors | undefined>; busy: boolean }) => {
  const translate = useTranslate();
  const kinds = ['approved', 'filed'].map((id) => ({ id, name: translate(`plates.approval.${id}`) }));
  return (
    <Form defaultValues={{ kind: 'approved', documentRef: '' }} onSubmit={(v: Record<string, unknown>) => onSubmit({ kind: String(v.kind), documentRef: String(v.documentRef ?? '') })}>
      <fieldset style={{ border: 'none', padding: 0, margin: 0 }}>
        <legend className="section-heading">{translate('plates.approval.heading')}</legend>
        <p className="muted">{translate('plates.approval.help')}</p>
        <RadioButtonGroupInput source="kind" label="plates.approval.kind" choices={kinds} validate={required()} />
        <TextInput source="documentRef" label="plates.approval.document_ref" validate={[required(), minLength(2), maxLength(100)]} />
        <SaveButton label="plates.command.approve" icon={<span />} disabled={busy} alwaysEnable />
      </fieldset>
    </Form>
  );
};

/** the authority's open pool with this segment, and the warning before it gets too small. */
const PoolLevelNotice = () => {
  const record = useRecordContext();
  const translate = useTranslate();
  if (!record || !['pool_built', 'open'].includes(record.status)) return null;
  const level = record.poolLevel as 'ok' | 'low' | 'below_minimum';
  const cls = level === 'ok' ? 'notice-info' : level === 'low' ? 'notice-warning' : 'notice-error';
  return (
    <div className={`notice ${cls}`} role={level === 'ok' ? 'status' : 'alert'}>
      <p>{translate(`plates.pool_level.${level}`, { available: Number(record.openPoolAvailable).toLocaleString() })}</p>
    </div>
  );
};

/** The next lifecycle step as one button (named commands, style §6). */
const PlanCommands = () => {
  const record = useRecordContext();
  const dataProvider = useDataProvider<AdminDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const translate = useTranslate();
  const refused = useRefusal();
  const [busy, setBusy] = useState(false);
  const { ask, dialog } = useConfirm();
  if (!record) return null;
  const command = nextCommand(String(record.status));
  // issue 18: the bff's verdict on the open command, from the rule the command applies
  const openState = openButtonState(record.open as OpenVerdict | undefined);

  /** A step with a body comes from the approval form: its refusal goes under the fields it names. */
  const run = async (cmd: PlanCommand, body?: unknown): Promise<FormErrors | undefined> => {
    setBusy(true);
    try {
      await dataProvider.command('plate-plans', record.id, cmd, body);
      notify(`plates.command.${cmd}_done`, { type: 'success' });
      refresh();
      return undefined;
    } catch (error) {
      return refused(error, { inForm: body !== undefined });
    } finally {
      setBusy(false);
    }
  };

  /**
   * issue 18: every step confirms with its consequence first — none has a
   * reverse command. Opening close to the 50,000 minimum says so.
   */
  const confirmThen = async (cmd: PlanCommand, body?: unknown): Promise<FormErrors | undefined> => {
    const params = { available: Number(record.openPoolAvailable ?? 0).toLocaleString(), prefix: record.prefix, day: record.latestPublicationDay };
    const ok = await ask(planConfirmText(cmd, openState, params));
    return ok ? run(cmd, body) : undefined;
  };

  return (
    <section className="plan-commands" aria-labelledby="plan-commands-heading">
      <h2 id="plan-commands-heading" className="section-heading">
        {translate('plates.command.heading')}
      </h2>
      <PoolLevelNotice />
      {command === null && record.status === 'building' ? <p role="status">{translate('plates.build.running')}</p> : null}
      {command === 'approve' ? (
        <ApproveForm busy={busy} onSubmit={(v) => confirmThen('approve', v)} />
      ) : command === 'open' ? (
        <>
          <CommandButton
            label="plates.command.open"
            disabled={busy || !openState.enabled}
            aria-describedby={openState.enabled ? undefined : 'open-refusal'}
            onClick={() => void (openState.enabled ? confirmThen('open') : undefined)}
          />
          {openState.enabled ? null : (
            <p id="open-refusal" className="notice notice-error" data-code={openState.code ?? undefined}>
              {translate('plates.command.open_refused', { reason: openState.reason })}
            </p>
          )}
        </>
      ) : command ? (
        <CommandButton label={`plates.command.${command}`} tone={command === 'close' ? 'destructive' : 'primary'} disabled={busy} onClick={() => void confirmThen(command)} />
      ) : null}
      {dialog}
      {command === 'publish' ? <p className="muted">{translate('plates.command.publish_by', { day: record.latestPublicationDay })}</p> : null}
    </section>
  );
};

/** build progress while the job runs, then the pool by status. */
const PoolPanel = () => {
  const record = useRecordContext();
  const translate = useTranslate();
  if (!record || !record.build?.startedAt) return null;
  const percent = buildPercent(record.build);
  const counts = record.counts as Record<string, number> | null;
  return (
    <section aria-labelledby="pool-heading">
      <h2 id="pool-heading" className="section-heading">
        {translate('plates.build.heading')}
      </h2>
      <label style={{ display: 'flex', flexDirection: 'column', gap: 4, maxWidth: '32em' }}>
        {translate('plates.build.progress', { percent })}
        <progress max={100} value={percent} aria-describedby="pool-progress-detail" />
      </label>
      <p id="pool-progress-detail" className="muted">
        {translate('plates.build.detail', {
          cursor: Number(record.build.cursor).toLocaleString(),
          total: Number(record.build.total).toLocaleString(),
          pool: Number(record.poolSize).toLocaleString(),
          taken: Number(record.build.excludedTaken).toLocaleString(),
          digits: Number(record.build.excludedDigits).toLocaleString(),
        })}
      </p>
      {counts ? (
        <table className="plain-table" style={{ maxWidth: '100%' }}>
          <caption className="muted">{translate('plates.build.counts_caption')}</caption>
          <thead>
            <tr>
              {['free', 'offered', 'reserved', 'issued', 'withheld'].map((s) => (
                <th scope="col" key={s}>
                  {translate(`plates.number_status.${s}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              {['free', 'offered', 'reserved', 'issued', 'withheld'].map((s) => (
                <td key={s}>{(counts[s] ?? 0).toLocaleString()}</td>
              ))}
            </tr>
          </tbody>
        </table>
      ) : null}
      {record.poolDigest ? (
        <p className="muted">
          {translate('plates.build.digest')}: <span className="mono" style={{ wordBreak: 'break-all' }}>{record.poolDigest}</span>
        </p>
      ) : null}
    </section>
  );
};

/** the recorded decision in one line (`source` names it for the grid's label). */
const ApprovalField = ({ source }: { source: string }) => {
  const record = useRecordContext();
  const translate = useTranslate();
  const a = record?.[source];
  if (!a) return <span>{translate('app.common.none')}</span>;
  return (
    <span>
      {translate(`plates.approval.${a.kind}`)} · {a.authorityName} · {a.documentRef} · {a.recordedBy ?? ''}{' '}
      <InstantField source="recordedAt" record={a} />
    </span>
  );
};

// Poll while the pool is being built so the progress moves without a reload.
const pollWhileBuilding = {
  refetchInterval: (query: { state: { data?: { status?: string } } }) => (query.state.data?.status === 'building' ? 1000 : false),
};

/** One plan: its lifecycle, R-25.2 record, pool build progress and counts. */
export const PlatePlanShow = () => (
  <Show queryOptions={pollWhileBuilding as never}>
    <SimpleShowLayout>
      <Labeled source="status">
        <StatusChip source="status" resource="plate-plans" tones={PLAN_STATUS_TONES} />
      </Labeled>
      {/* the next step first: staff act on it, the details are for reference */}
      <PlanCommands />
      <ShowGrid label={false}>
        <TextField source="prefix" />
        <TextField source="pattern" className="mono" />
        <EnumField source="plateKind" resource="plate-plans" />
        <NumberField source="size" />
        <InstantField source="startAt" />
        <TextField source="latestPublicationDay" />
        <TextField source="excludeDigits" emptyText="app.common.none" />
        <ApprovalField source="approval" />
        <InstantField source="publishedAt" emptyText="app.common.none" />
        <InstantField source="openedAt" emptyText="app.common.none" />
        <TextField source="authorityName" />
      </ShowGrid>
      <PoolPanel />
    </SimpleShowLayout>
  </Show>
);
