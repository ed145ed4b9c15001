import { Create, DataTable, List, SaveButton, SelectInput, TextInput, maxLength, minLength, regex, required, useRecordContext, useTranslate } from 'react-admin';
import { InstantColumn, MonoColumn } from '../shared/columns.tsx';
import { Form, SimpleForm } from '../shared/forms.tsx';
import { ConfirmButton } from '../shared/confirm.tsx';
import { EnumText, ToneChip, useCommand } from '../replacements/ui.tsx';
import { BUSINESS_TYPES } from '../archive-records/business-types.ts';

const TRANSFER_TONES = { sent: 'info', received: 'success', refused: 'error' } as const;
const CITIES = [{ id: '440300', name: '深圳市' }, { id: '440100', name: '广州市' }, { id: '440600', name: '佛山市' }];
const place = [required(), maxLength(40)];

/** The receiving city's 档案岗 shelves the files (confirms receipt) or refuses them (ADR-037). */
const ReceiveCommands = () => {
  const r = useRecordContext();
  const t = useTranslate();
  const run = useCommand('paper-file-transfers');
  const refuse = useCommand('paper-file-transfers', { inForm: false });
  // the server says whether this city may decide: the sender sees no receive form (ADR-037)
  if (!r || !r.canReceive) return null;
  return (
    <div style={{ display: 'grid', gap: 8 }}>
      <Form onSubmit={(v: Record<string, unknown>) => run(r.id, 'receive', { room: v.room, cabinet: v.cabinet, shelf: v.shelf, box: v.box }, 'archives.transfer.received_done')} keepDraft={false}>
        <TextInput source="room" label="archives.field.room" validate={place} />
        <TextInput source="cabinet" label="archives.field.cabinet" validate={place} />
        <TextInput source="shelf" label="archives.field.shelf" validate={place} />
        <TextInput source="box" label="archives.field.box" validate={place} />
        <SaveButton label="archives.transfer.receive" alwaysEnable />
      </Form>
      <ConfirmButton label="archives.transfer.refuse" tone="destructive" text={{ title: 'archives.transfer.refuse_title', consequence: 'archives.transfer.refuse_consequence', params: { from: r.fromName } }}
        onConfirm={() => refuse(r.id, 'refuse', { reason: t('archives.transfer.refuse_reason') }, 'archives.transfer.refused_done')} />
    </div>
  );
};

/** 档案移交: a person's files sent to another city, confirmed by that city (ADR-037). */
export const TransferList = () => (
  <List title="archives.resources.paper-file-transfers" sort={{ field: 'sentAt', order: 'DESC' }} exporter={false}>
    <DataTable bulkActionButtons={false}>
      <InstantColumn source="sentAt" label="archives.field.sentAt" />
      <MonoColumn source="personIdNumberMasked" label="archives.field.personIdNumberMasked" disableSort />
      <DataTable.Col source="fromName" label="archives.field.fromName" disableSort />
      <DataTable.Col source="toName" label="archives.field.toName" disableSort />
      <DataTable.Col source="files" label="archives.field.fileNo" disableSort>
        <FilesCell />
      </DataTable.Col>
      <DataTable.Col source="status" label="archives.field.status" disableSort>
        <ToneChip source="status" prefix="archives.status" tones={TRANSFER_TONES} />
      </DataTable.Col>
      <DataTable.Col label="archives.field.action" disableSort>
        <ReceiveCommands />
      </DataTable.Col>
    </DataTable>
  </List>
);

const FilesCell = () => {
  const r = useRecordContext();
  return r ? <span className="mono">{(r.files as string[]).join(' ')}</span> : null;
};

export const TransferCreate = () => (
  <Create title="archives.transfer.send" redirect="list">
    <SimpleForm>
      <TextInput source="idNumber" label="archives.field.idNumber" validate={[required(), regex(/^[0-9A-Za-z]{6,30}$/, 'archives.transfer.id_help')]} />
      <SelectInput source="toAuthorityId" label="archives.field.toAuthorityId" choices={CITIES} validate={required()} />
      <TextInput source="reason" label="archives.field.reason" validate={[required(), minLength(2), maxLength(200)]} />
    </SimpleForm>
  </Create>
);

/** 交回证件: destroyed, or 恢复证芯 / 退办 of its case. */
export const CertificateList = () => (
  <List title="archives.resources.returned-certificates" sort={{ field: 'at', order: 'DESC' }} exporter={false}>
    <DataTable bulkActionButtons={false}>
      <InstantColumn source="at" label="archives.field.at" />
      <MonoColumn source="caseRef" label="archives.field.caseRef" disableSort />
      <DataTable.Col source="businessType" label="archives.field.businessType" disableSort>
        <EnumText source="businessType" prefix="archives.business_type" />
      </DataTable.Col>
      <DataTable.Col source="certificate" label="archives.field.certificate" disableSort>
        <EnumText source="certificate" prefix="archives.certificate" />
      </DataTable.Col>
      <MonoColumn source="serial" label="archives.field.serial" disableSort />
      <DataTable.Col source="action" label="archives.field.action" disableSort>
        <EnumText source="action" prefix="archives.certificate_action" />
      </DataTable.Col>
      <DataTable.Col source="by" label="archives.field.by" disableSort />
    </DataTable>
  </List>
);

export const CertificateCreate = () => {
  const t = useTranslate();
  const types = BUSINESS_TYPES.map((id) => ({ id, name: t(`archives.business_type.${id}`) }));
  const certificates = ['plate', 'vehicle_licence', 'driving_licence', 'inspection_sticker', 'temp_plate'].map((id) => ({ id, name: t(`archives.certificate.${id}`) }));
  const actions = ['destroyed', 'core_restored', 'case_withdrawn'].map((id) => ({ id, name: t(`archives.certificate_action.${id}`) }));
  return (
    <Create title="archives.resources.returned-certificates" redirect="list">
      <SimpleForm>
        <SelectInput source="businessType" label="archives.field.businessType" choices={types} validate={required()} />
        <TextInput source="caseRef" label="archives.field.caseRef" validate={[required(), maxLength(100)]} />
        <SelectInput source="certificate" label="archives.field.certificate" choices={certificates} validate={required()} />
        <TextInput source="serial" label="archives.field.serial" validate={[required(), maxLength(40)]} />
        <SelectInput source="action" label="archives.field.action" choices={actions} validate={required()} />
        <TextInput source="reason" label="archives.field.reason" validate={[required(), minLength(2), maxLength(200)]} />
      </SimpleForm>
    </Create>
  );
};
