import { useState } from 'react';
import {
  SaveButton,
  SelectInput,
  Show,
  SimpleShowLayout,
  TextField,
  TextInput,
  maxLength,
  required,
  useDataProvider,
  useNotify,
  usePermissions,
  useRecordContext,
  useRefresh,
  useTranslate,
} from 'react-admin';
import { Form } from '../shared/forms.tsx';
import type { AdminDataProvider } from '../shared/data-provider.ts';
import { EnumField, InstantField, StatusChip } from '../shared/fields.tsx';
import { ShowGrid } from '../shared/show-grid.tsx';
import { Revealable, type DataKind } from '../shared/personal-data.tsx';
import { useRefusal } from '../shared/use-refusal.ts';
import { useConfirm } from '../shared/confirm.tsx';
import { DeadlineField } from '../shared/deadline-field.tsx';
import { OWNER_ID_TYPES, PRESELECTION_STATUS_TONES } from './statuses.ts';

type Facts = { vin: string; ownerIdType: string; ownerIdNumber: string; ownerName: string; phone: string; brandModel?: string; vehicleType?: string };
type Outcome = { outcome: 'issued' | 'mismatch'; mismatchFields: string[] };

/**
 * 受理岗: register the vehicle with the reserved number. The data come from the
 * registration application; the bff compares them with the reservation.
 */
const RegisterForm = () => {
  const record = useRecordContext();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const dataProvider = useDataProvider<AdminDataProvider>();
  const refused = useRefusal();
  const [result, setResult] = useState<Outcome | null>(null);
  const { ask, dialog } = useConfirm();
  if (!record) return null;
  const idTypes = OWNER_ID_TYPES.map((id) => ({ id, name: translate(`plates.id_type.${id}`) }));

  const submit = async (values: Facts) => {
    // issue 18: a mismatch cancels the number and bars online preselection — say so before it is sent
    const ok = await ask({ title: 'plates.register.confirm_title', consequence: 'plates.register.confirm', params: { plateNo: record.plateNo }, confirm: 'plates.register.submit', tone: 'primary' });
    if (!ok) return undefined;
    try {
      // The form also carries the shown record (react-admin fills it from context): send only the application's facts.
      const keys: (keyof Facts)[] = ['vin', 'ownerIdType', 'ownerIdNumber', 'ownerName', 'phone', 'brandModel', 'vehicleType'];
      const body = Object.fromEntries(keys.map((k) => [k, values[k]]).filter(([, v]) => typeof v === 'string' && v.trim() !== ''));
      const { data } = await dataProvider.command<Outcome>('plate-preselections', record.id, 'register', body);
      setResult(data);
      notify(data.outcome === 'issued' ? 'plates.register.issued' : 'plates.register.mismatch', {
        type: data.outcome === 'issued' ? 'success' : 'warning',
        messageArgs: { plateNo: record.plateNo },
      });
      refresh();
      return undefined;
    } catch (error) {
      return refused(error);
    }
  };

  return (
    <section aria-labelledby="register-heading">
      <h2 id="register-heading" className="section-heading">
        {translate('plates.register.heading')}
      </h2>
      <p className="muted">{translate('plates.register.help')}</p>
      <Form defaultValues={{ vin: '', ownerIdType: 'resident_id', ownerIdNumber: '', ownerName: '', phone: '', brandModel: '', vehicleType: '' }} onSubmit={(v: Record<string, unknown>) => submit(v as Facts)}>
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(16em, 1fr))', columnGap: 16 }}>
          <TextInput source="vin" label="plates.register.vin" validate={[required(), maxLength(17)]} />
          <SelectInput source="ownerIdType" label="plates.register.owner_id_type" choices={idTypes} validate={required()} />
          <TextInput source="ownerIdNumber" label="plates.register.owner_id_number" validate={[required(), maxLength(40)]} />
          <TextInput source="ownerName" label="plates.register.owner_name" validate={[required(), maxLength(60)]} />
          <TextInput source="phone" label="plates.register.phone" validate={[required(), maxLength(11)]} />
          <TextInput source="brandModel" label="plates.register.brand_model" validate={maxLength(60)} />
          <TextInput source="vehicleType" label="plates.register.vehicle_type" validate={maxLength(4)} />
        </div>
        <SaveButton label="plates.register.submit" alwaysEnable />
      </Form>
      {dialog}
      {result?.outcome === 'mismatch' ? (
        <div className="notice notice-error" role="alert">
          <p>
            {translate('plates.register.mismatch_fields', {
              fields: result.mismatchFields.map((f) => translate(`plates.register.field.${f}`)).join(translate('app.common.separator')),
            })}
          </p>
        </div>
      ) : null}
    </section>
  );
};

const BanNotice = () => {
  const record = useRecordContext();
  const translate = useTranslate();
  if (!record?.ban) return null;
  return (
    <div className="notice notice-error" role="status">
      <p>
        {translate(`plates.ban.${record.ban.reason}`)} {translate('plates.preselection.ban_until', { day: record.ban.endsOn })}
      </p>
    </div>
  );
};

const Registration = () => {
  const record = useRecordContext();
  const { permissions } = usePermissions<string[]>();
  if (!record || record.status !== 'reserved' || !(permissions ?? []).includes('intake')) return null;
  if (record.overdue) return null;
  return <RegisterForm />;
};

/** A masked field, revealed with a reason (issue 17, ADR-024); ShowGrid labels it by `source`. */
const RevealableSource = ({ source, field, kind }: { source: string; field: string; kind: DataKind }) => {
  const record = useRecordContext();
  return <Revealable value={record?.[source]} field={field} kind={kind} />;
};

export const PlatePreselectionShow = () => (
  <Show>
    <SimpleShowLayout>
      <ShowGrid label={false}>
        <TextField source="plateNo" className="mono" emptyText="app.common.none" />
        <StatusChip source="status" resource="plate-preselections" tones={PRESELECTION_STATUS_TONES} />
        <TextField source="reference" />
        <EnumField source="mode" resource="plate-preselections" />
        <DeadlineField source="deadline" overdueSource="overdue" doneWhen={(r) => r.status !== 'reserved'} />
        <TextField source="lastDay" emptyText="app.common.none" />
        <TextField source="vinMasked" className="mono" />
        <TextField source="ownerNameMasked" />
        <RevealableSource source="ownerIdNumberMasked" field="ownerIdNumber" kind="id_number" />
        <RevealableSource source="phoneMasked" field="phone" kind="phone" />
        <InstantField source="createdAt" />
        <InstantField source="registeredAt" emptyText="app.common.none" />
      </ShowGrid>
      <BanNotice />
      <Registration />
    </SimpleShowLayout>
  </Show>
);
