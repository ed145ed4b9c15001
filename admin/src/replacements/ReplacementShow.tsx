import {
  BooleanInput, SaveButton, Show, TextInput, maxLength, minLength, required, usePermissions, useRecordContext, useTranslate, type RaRecord,
} from 'react-admin';
import { Form } from '../shared/forms.tsx';
import { API_URL } from '../shared/http.ts';
import { InstantField } from '../shared/fields.tsx';
import { Revealable } from '../shared/personal-data.tsx';
import { commandRequest, commandsFor, INSURANCE_CHECKS, REPLACEMENT_STATUS_TONES, type Command } from './statuses.ts';
import { compact, EnumText, Fact, ToneChip, useCommand } from './ui.tsx';
import { toneProps, useConfirm, type CommandTone } from '../shared/confirm.tsx';
import { Deadline } from '../shared/deadline-field.tsx';

/** Steps that end or refuse the application are destructive (red); accepting is the one primary step (issue 18). */
const DESTRUCTIVE: readonly Command[] = ['reject', 'refuse', 'not_collected', 'withdraw', 'restore_core_number'];
export const stepTone = (c: Command): CommandTone => (DESTRUCTIVE.includes(c) ? 'destructive' : c === 'accept' ? 'primary' : 'neutral');

type Event = { at: string; status: string; note: string | null };

const Details = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  if (!r) return null;
  const yes = (b: boolean | null) => (b === null ? null : translate(b ? 'replacements.yes' : 'replacements.no'));
  return (
    <div className="show-grid">
      <Fact label="replacements.fields.reference"><span className="mono">{r.reference}</span></Fact>
      <Fact label="replacements.fields.status"><ToneChip source="status" prefix="replacements.status" tones={REPLACEMENT_STATUS_TONES} /></Fact>
      <Fact label="replacements.fields.acceptDeadline">
        <Deadline value={r.acceptDeadline ?? r.acceptLastDay} overdue={typeof r.overdue === 'boolean' ? r.overdue : undefined} done={r.status !== 'submitted'} />
      </Fact>
      <Fact label="replacements.fields.item"><EnumText source="item" prefix="replacements.item" /></Fact>
      <Fact label="replacements.fields.kind"><EnumText source="kind" prefix="replacements.kind" /></Fact>
      <Fact label="replacements.fields.plateNo">{r.plateNo}</Fact>
      <Fact label="replacements.fields.brandModel">{r.brandModel} <span className="mono">{r.vinMasked}</span></Fact>
      <Fact label="replacements.fields.applicant">
        {r.applicantNameMasked} <Revealable value={r.applicantPhoneMasked} field="applicantPhone" kind="phone" />{' '}
        <Revealable value={r.applicantIdNumberMasked} field="applicantIdNumber" kind="id_number" />
      </Fact>
      <Fact label="replacements.fields.delivery"><EnumText source="delivery" prefix="replacements.delivery" /></Fact>
      {r.delivery === 'post' ? (
        <Fact label="replacements.fields.address">
          {r.recipientName ?? ''} <Revealable value={r.recipientPhoneMasked} field="recipientPhone" kind="phone" />{' '}
          <Revealable value={r.postalAddress} field="postalAddress" kind="postal_address" /> {r.postcode ?? ''}
        </Fact>
      ) : (
        <Fact label="replacements.fields.pickupLastDay">{r.pickupLastDay}</Fact>
      )}
      <Fact label="replacements.fields.reasonNote">{r.reasonNote || null}</Fact>
      <Fact label="replacements.fields.tempPlate">{r.tempPlateRequested ? (r.tempPlateNo ?? translate('replacements.yes')) : translate('replacements.no')}</Fact>
      <Fact label="replacements.fields.coreNumber">{r.coreNumber ? <span className="mono">{r.coreNumber}</span> : null}</Fact>
      {r.post ? (
        <Fact label="replacements.fields.post">
          {translate(`resources.outbox.status.${r.post.status}`, { _: r.post.status })} <span className="mono">{r.post.trackingNo ?? ''}</span>
        </Fact>
      ) : null}
      {r.oldItemHandOverRequired ? <Fact label="replacements.fields.oldItemHandedOver">{yes(r.oldItemHandedOver)}</Fact> : null}
      {r.oldItemDestroyedAt ? <Fact label="replacements.fields.oldItemDestroyedAt"><InstantField source="oldItemDestroyedAt" /></Fact> : null}
      <Fact label="replacements.fields.archivedAt">{r.archivedAt ? <InstantField source="archivedAt" /> : null}</Fact>
      {r.rejectionReason ? <Fact label="replacements.fields.rejectionReason">{r.rejectionReason}</Fact> : null}
      {r.closingStep ? <Fact label="replacements.fields.closingStep">{translate(`replacements.command.${r.closingStep}`)}</Fact> : null}
    </div>
  );
};

/** the uploaded 交强险 certificate, opened from the bff (same origin, staff cookie). */
const InsuranceCertificate = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  if (!r?.insuranceCertificate) return null;
  const href = `${API_URL}/replacements/${encodeURIComponent(String(r.id))}/insurance-certificate`;
  return (
    <section aria-labelledby="insurance-heading">
      <h2 id="insurance-heading" className="section-heading">{translate('replacements.insurance.heading')}</h2>
      <p>
        <a href={href} target="_blank" rel="noopener noreferrer">{translate('replacements.insurance.open', { name: r.insuranceCertificate.fileName })}</a>{' '}
        <span className="muted mono">sha256 {String(r.insuranceCertificate.sha256).slice(0, 16)}…</span>
      </p>
      {r.insuranceCheck ? (
        <ul>
          {INSURANCE_CHECKS.map((k) => (
            <li key={k}>{translate(`replacements.insurance.${k}`)}：{translate(r.insuranceCheck[k] ? 'replacements.yes' : 'replacements.no')}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
};

const Progress = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  const events: Event[] = Array.isArray(r?.events) ? r.events : [];
  return (
    <section aria-labelledby="progress-heading">
      <h2 id="progress-heading" className="section-heading">{translate('replacements.progress')}</h2>
      <table className="plain-table">
        <thead>
          <tr>
            <th scope="col">{translate('replacements.fields.at')}</th>
            <th scope="col">{translate('replacements.fields.status')}</th>
            <th scope="col">{translate('replacements.fields.note')}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e, i) => (
            <tr key={`${e.at}-${i}`}>
              <td><InstantField source="at" record={e as unknown as RaRecord} /></td>
              <td>{translate(`replacements.status.${e.status}`, { _: translate(`replacements.command.${e.status}`, { _: e.status }) })}</td>
              <td>{e.note ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
};

/** One step as a small form: the fields it needs and one button. */
const StepForm = ({ command }: { command: Command }) => {
  const r = useRecordContext();
  const translate = useTranslate();
  const run = useCommand('replacements');
  const { ask, dialog } = useConfirm();
  if (!r) return null;
  const { action, body } = commandRequest(command);
  const handOver = r.oldItemHandOverRequired && (command === 'deliver' || command === 'pick_up');
  const sticker = r.item === 'inspection_sticker';
  // Only this step's own fields travel (the form is initialised from the shown record).
  const own: Partial<Record<Command, string[]>> = {
    reject: ['reason'], produce: ['coreNumber', 'tempPlateNo'], deliver: ['oldItemHandedOver'], pick_up: ['oldItemHandedOver'],
    refuse: ['note'], restore_core_number: ['note'], withdraw: ['note'],
  };
  const label = command === 'send' ? `replacements.command.send_${r.delivery}` : `replacements.command.${command}`;
  const tone = stepTone(command);
  const submit = async (values: Record<string, unknown>) => {
    // Every step is irreversible: it says what will happen before it is sent (issue 18).
    const ok = await ask({
      title: 'replacements.consequence.title', consequence: `replacements.consequence.${command}`,
      params: { command: translate(label), reference: r.reference }, confirm: label, tone,
    });
    if (!ok) return undefined;
    if (command === 'accept' && sticker) {
      return run(r.id, action, { insuranceCheck: Object.fromEntries(INSURANCE_CHECKS.map((k) => [k, values[k] === true])) }, 'replacements.done');
    }
    const v = compact(Object.fromEntries((own[command] ?? []).map((k) => [k, values[k]])));
    return run(r.id, action, { ...body, ...v }, 'replacements.done');
  };
  return (
    <section aria-labelledby={`step-${command}`} className="step-form">
      <h3 id={`step-${command}`} className="section-heading">{translate(label)}</h3>
      {translate(`replacements.help.${command}`, { _: '' }) ? <p className="muted">{translate(`replacements.help.${command}`, { _: '' })}</p> : null}
      <Form record={{}} onSubmit={submit} defaultValues={handOver ? { oldItemHandedOver: false } : {}}>
        {command === 'accept' && sticker
          ? INSURANCE_CHECKS.map((k) => <BooleanInput key={k} source={k} label={`replacements.insurance.${k}`} />)
          : null}
        {command === 'reject' ? <TextInput source="reason" label="replacements.fields.rejectionReason" validate={[required(), minLength(2), maxLength(200)]} fullWidth /> : null}
        {command === 'produce' ? (
          <>
            <TextInput source="coreNumber" label="replacements.fields.coreNumber" validate={[required(), maxLength(30)]} helperText="replacements.help.coreNumber" />
            {r.tempPlateRequested ? <TextInput source="tempPlateNo" label="replacements.fields.tempPlateNo" validate={[required(), maxLength(20)]} /> : null}
          </>
        ) : null}
        {handOver ? <BooleanInput source="oldItemHandedOver" label="replacements.fields.oldItemHandedOver" /> : null}
        {command === 'refuse' || command === 'restore_core_number' || command === 'withdraw' ? (
          <TextInput source="note" label="replacements.fields.note" validate={maxLength(200)} fullWidth />
        ) : null}
        <SaveButton label={label} icon={<span />} {...toneProps(tone)} alwaysEnable />
      </Form>
      {dialog}
    </section>
  );
};

const Steps = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  const { permissions, isPending } = usePermissions<string[]>();
  if (!r || isPending) return null;
  const commands = commandsFor(permissions ?? [], Array.isArray(r.allowedCommands) ? r.allowedCommands : []);
  return (
    <section aria-labelledby="steps-heading">
      <h2 id="steps-heading" className="section-heading">{translate('replacements.steps')}</h2>
      {commands.length === 0 ? <p className="muted">{translate('replacements.no_steps')}</p> : commands.map((c) => <StepForm key={c} command={c} />)}
    </section>
  );
};

/** One application: what was asked, its progress, and the steps this post may take now. */
export const ReplacementShow = () => (
  <Show title="replacements.title" emptyWhileLoading>
    <div className="page">
      <Details />
      <InsuranceCertificate />
      <Steps />
      <Progress />
    </div>
  </Show>
);

