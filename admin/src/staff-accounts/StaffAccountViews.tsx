import {
  DataTable, List, SaveButton, SelectInput, Show, SimpleShowLayout, TextField, TextInput, maxLength, minLength, required,
  useDataProvider, useRecordContext, useTranslate,
} from 'react-admin';
import { InstantField, StatusChip, type Tone } from '../shared/fields.tsx';
import { MonoColumn } from '../shared/columns.tsx';
import { Form } from '../shared/forms.tsx';
import { ShowGrid } from '../shared/show-grid.tsx';
import type { AdminDataProvider } from '../shared/data-provider.ts';
import { useAction } from '../shared/use-action.ts';
import { toneProps, useConfirm } from '../shared/confirm.tsx';

/** The second-factor states the bff answers (bff/src/modules/auth/staff-accounts.schemas.ts). */
const TOTP_TONES: Record<string, Tone> = { enabled: 'success', pending: 'info', not_enrolled: 'error' };
const STATUS_TONES: Record<string, Tone> = { active: 'success', disabled: 'neutral' };

/** 岗位: the posts, by their names. */
const RolesField = (_props: { label?: string }) => {
  const record = useRecordContext();
  const translate = useTranslate();
  const roles = Array.isArray(record?.roles) ? (record.roles as string[]) : [];
  return <span>{roles.map((r) => translate(`app.roles.${r}`, { _: r })).join(translate('app.common.separator'))}</span>;
};

/** 检验机构 or 单位, for station operators and dealers. */
const PlaceField = (_props: { label?: string }) => {
  const record = useRecordContext();
  const place = (record?.stationName ?? record?.organisationName) as string | null | undefined;
  return place ? <span>{place}</span> : null;
};

/** 工作人员账号: posts, city and second-factor state of every staff account (system administrator; issue 17). */
export const StaffAccountList = () => {
  const translate = useTranslate();
  const totpChoices = ['enabled', 'not_enrolled'].map((id) => ({ id, name: translate(`resources.staff-accounts.totpState.${id}`) }));
  const filters = [
    <TextInput key="q" source="q" alwaysOn resettable />,
    <SelectInput key="totpState" source="totpState" choices={totpChoices} alwaysOn />,
  ];
  return (
    <List filters={filters} sort={{ field: 'username', order: 'ASC' }} perPage={25} exporter={false}>
      <DataTable rowClick="show" bulkActionButtons={false}>
        <MonoColumn source="username" />
        <DataTable.Col source="displayName" />
        <DataTable.Col source="roles" disableSort>
          <RolesField />
        </DataTable.Col>
        <DataTable.Col source="authorityName" disableSort />
        <DataTable.Col source="place" disableSort>
          <PlaceField />
        </DataTable.Col>
        <DataTable.Col source="totpState" disableSort>
          <StatusChip source="totpState" resource="staff-accounts" tones={TOTP_TONES} />
        </DataTable.Col>
        <DataTable.Col source="status" disableSort>
          <StatusChip source="status" resource="staff-accounts" tones={STATUS_TONES} />
        </DataTable.Col>
      </DataTable>
    </List>
  );
};

/** Reset a member's second factor with the reason (audited); the member enrols again at the next sign-in. */
const ResetTotp = () => {
  const record = useRecordContext();
  const t = useTranslate();
  const act = useAction();
  const dp = useDataProvider<AdminDataProvider>();
  const { ask, dialog } = useConfirm();
  if (!record || record.totpState === 'not_enrolled') return null;
  return (
    <section aria-labelledby="reset-totp-heading" style={{ width: '100%' }}>
      <h2 id="reset-totp-heading" className="section-heading">{t('resources.staff-accounts.reset.heading')}</h2>
      <p className="notice notice-warning">{t('resources.staff-accounts.reset.help')}</p>
      <Form
        onSubmit={async (v: Record<string, unknown>) => {
          // issue 18: the consequence in words, not the browser's own box
          const params = { name: `${String(record.displayName)}(${String(record.username)})` };
          const ok = await ask({ title: 'resources.staff-accounts.reset.confirm', consequence: 'resources.staff-accounts.reset.consequence', params, confirm: 'resources.staff-accounts.reset.submit', tone: 'destructive' });
          if (!ok) return undefined;
          return act(() => dp.command('staff-accounts', record.id, 'reset-totp', { reason: String(v.reason ?? '') }), 'resources.staff-accounts.reset.done');
        }}
      >
        <TextInput source="reason" label="resources.staff-accounts.reset.reason" fullWidth multiline validate={[required(), minLength(2), maxLength(500)]} />
        <SaveButton label="resources.staff-accounts.reset.submit" {...toneProps('destructive')} alwaysEnable />
      </Form>
      {dialog}
    </section>
  );
};

export const StaffAccountShow = () => (
  <Show>
    <SimpleShowLayout>
      <ShowGrid label={false}>
        <TextField source="username" className="mono" />
        <TextField source="displayName" />
        <RolesField label="resources.staff-accounts.fields.roles" />
        <TextField source="authorityName" />
        <PlaceField label="resources.staff-accounts.fields.place" />
        <StatusChip source="totpState" resource="staff-accounts" tones={TOTP_TONES} />
        <StatusChip source="status" resource="staff-accounts" tones={STATUS_TONES} />
        <InstantField source="createdAt" />
      </ShowGrid>
      <ResetTotp />
    </SimpleShowLayout>
  </Show>
);
