import { BooleanInput, SaveButton, Show, TextInput, maxLength, minLength, required, usePermissions, useRecordContext, useTranslate, type RaRecord } from 'react-admin';
import { Form } from '../shared/forms.tsx';
import { InstantField } from '../shared/fields.tsx';
import { Revealable } from '../shared/personal-data.tsx';
import { toneProps, useConfirm, type CommandTone } from '../shared/confirm.tsx';
import { Deadline } from '../shared/deadline-field.tsx';
import { compact, EnumText, Fact, ToneChip, useCommand } from '../replacements/ui.tsx';
import { licenceCommandRequest, licenceCommandsFor, LICENCE_STATUS_TONES, type LicenceCommand } from './statuses.ts';

const DESTRUCTIVE: readonly LicenceCommand[] = ['reject', 'refuse', 'not_collected', 'withdraw', 'restore_core_number'];
const toneOf = (c: LicenceCommand): CommandTone => (DESTRUCTIVE.includes(c) ? 'destructive' : c === 'accept' ? 'primary' : 'neutral');

type Event = { at: string; status: string; note: string | null };

const Details = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  if (!r) return null;
  const yes = (b: boolean | null) => (b === null ? null : translate(b ? 'licences.yes' : 'licences.no'));
  return (
    <div className="show-grid">
      <Fact label="licences.fields.reference"><span className="mono">{r.reference}</span></Fact>
      <Fact label="licences.fields.status"><ToneChip source="status" prefix="licences.status" tones={LICENCE_STATUS_TONES} /></Fact>
      <Fact label="licences.fields.acceptDeadline">
        <Deadline value={r.acceptDeadline} overdue={typeof r.overdue === 'boolean' ? r.overdue : undefined} done={r.status !== 'submitted'} />
      </Fact>
      <Fact label="licences.fields.kind"><EnumText source="kind" prefix="licences.kind" /></Fact>
      <Fact label="licences.fields.licenceNo"><span className="mono">{r.licenceNoMasked}</span></Fact>
      <Fact label="licences.fields.classes">{r.classesBefore} → {r.classesAfter}</Fact>
      <Fact label="licences.fields.validUntil">{r.validUntilBefore}{r.newValidUntil ? ` → ${r.newValidUntil}` : ''}</Fact>
      <Fact label="licences.fields.healthCertificate">{r.healthCertificateId ? <span className="mono">{String(r.healthCertificateId).slice(0, 8)}</span> : null}</Fact>
      <Fact label="licences.fields.applicant">
        {r.applicantNameMasked} <Revealable value={r.applicantPhoneMasked} field="applicantPhone" kind="phone" />{' '}
        <Revealable value={r.applicantIdNumberMasked} field="applicantIdNumber" kind="id_number" />
      </Fact>
      <Fact label="licences.fields.delivery"><EnumText source="delivery" prefix="licences.delivery" /></Fact>
      {r.delivery === 'post' ? (
        <Fact label="licences.fields.address">
          {r.recipientName ?? ''} <Revealable value={r.recipientPhoneMasked} field="recipientPhone" kind="phone" />{' '}
          <Revealable value={r.postalAddress} field="postalAddress" kind="postal_address" /> {r.postcode ?? ''}
        </Fact>
      ) : (
        <Fact label="licences.fields.pickupLastDay">{r.pickupLastDay}</Fact>
      )}
      <Fact label="licences.fields.coreNumber">{r.coreNumber ? <span className="mono">{r.coreNumber}</span> : null}</Fact>
      {r.post ? <Fact label="licences.fields.post">{translate(`resources.outbox.status.${r.post.status}`, { _: r.post.status })}</Fact> : null}
      {r.oldLicenceHandInRequired ? <Fact label="licences.fields.oldLicenceHandedOver">{yes(r.oldLicenceHandedOver)}</Fact> : null}
      {r.oldLicenceDestroyedAt ? <Fact label="licences.fields.oldLicenceDestroyedAt"><InstantField source="oldLicenceDestroyedAt" /></Fact> : null}
      {r.rejectionReason ? <Fact label="licences.fields.rejectionReason">{r.rejectionReason}</Fact> : null}
      {r.closingStep ? <Fact label="licences.fields.closingStep">{translate(`licences.command.${r.closingStep}`)}</Fact> : null}
    </div>
  );
};

const Progress = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  const events: Event[] = Array.isArray(r?.events) ? r.events : [];
  return (
    <section aria-labelledby="progress-heading">
      <h2 id="progress-heading" className="section-heading">{translate('licences.progress')}</h2>
      <table className="plain-table">
        <thead>
          <tr>
            <th scope="col">{translate('licences.fields.at')}</th>
            <th scope="col">{translate('licences.fields.status')}</th>
            <th scope="col">{translate('licences.fields.note')}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e, i) => (
            <tr key={`${e.at}-${i}`}>
              <td><InstantField source="at" record={e as unknown as RaRecord} /></td>
              <td>{translate(`licences.status.${e.status}`, { _: translate(`licences.command.${e.status}`, { _: e.status }) })}</td>
              <td>{e.note ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
};

const StepForm = ({ command }: { command: LicenceCommand }) => {
  const r = useRecordContext();
  const translate = useTranslate();
  const run = useCommand('licence-services');
  const { ask, dialog } = useConfirm();
  if (!r) return null;
  const { action, body } = licenceCommandRequest(command);
  const handOver = r.oldLicenceHandInRequired && (command === 'deliver' || command === 'pick_up');
  const own: Partial<Record<LicenceCommand, string[]>> = {
    reject: ['reason'], produce: ['coreNumber'], deliver: ['oldLicenceHandedOver'], pick_up: ['oldLicenceHandedOver'],
    refuse: ['note'], restore_core_number: ['note'], withdraw: ['note'],
  };
  const label = command === 'send' ? `licences.command.send_${r.delivery}` : `licences.command.${command}`;
  const tone = toneOf(command);
  const submit = async (values: Record<string, unknown>) => {
    const ok = await ask({ title: 'licences.consequence.title', consequence: `licences.consequence.${command}`, params: { command: translate(label), reference: r.reference }, confirm: label, tone });
    if (!ok) return undefined;
    const v = compact(Object.fromEntries((own[command] ?? []).map((k) => [k, values[k]])));
    return run(r.id, action, { ...body, ...v }, 'licences.done');
  };
  return (
    <section aria-labelledby={`step-${command}`} className="step-form">
      <h3 id={`step-${command}`} className="section-heading">{translate(label)}</h3>
      <Form record={{}} onSubmit={submit} defaultValues={handOver ? { oldLicenceHandedOver: false } : {}}>
        {command === 'reject' ? <TextInput source="reason" label="licences.fields.rejectionReason" validate={[required(), minLength(2), maxLength(200)]} fullWidth /> : null}
        {command === 'produce' ? <TextInput source="coreNumber" label="licences.fields.coreNumber" validate={[required(), maxLength(30)]} helperText="licences.help.coreNumber" /> : null}
        {handOver ? <BooleanInput source="oldLicenceHandedOver" label="licences.fields.oldLicenceHandedOver" /> : null}
        {command === 'refuse' || command === 'restore_core_number' || command === 'withdraw' ? <TextInput source="note" label="licences.fields.note" validate={maxLength(200)} fullWidth /> : null}
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
  const commands = licenceCommandsFor(permissions ?? [], Array.isArray(r.allowedCommands) ? r.allowedCommands : []);
  return (
    <section aria-labelledby="steps-heading">
      <h2 id="steps-heading" className="section-heading">{translate('licences.steps')}</h2>
      {commands.length === 0 ? <p className="muted">{translate('licences.no_steps')}</p> : commands.map((c) => <StepForm key={c} command={c} />)}
    </section>
  );
};

/** One licence application: what was asked, the steps this post may take now, its progress. */
export const LicenceServiceShow = () => (
  <Show title="licences.services.title" emptyWhileLoading>
    <div className="page">
      <Details />
      <Steps />
      <Progress />
    </div>
  </Show>
);
