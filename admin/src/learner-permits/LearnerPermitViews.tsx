import {
  Create, DataTable, FunctionField, List, ReferenceInput, SelectInput, Show, SimpleForm, SimpleShowLayout, TextField, TextInput, required, useTranslate,
} from 'react-admin';
import { Row } from '../account-applications/ui.tsx';

type Permit = { status: string; class: string; expired: boolean };
type FirstApplication = { personName: string; idNumberMasked: string; classes: string; acceptedAt: string };

/** 学习驾驶证明: the city's learner permits, newest first; ID numbers masked (X-4.4.1, X-4.4.4; ADR-039). */
export const LearnerPermitList = () => {
  const t = useTranslate();
  return (
    <List title="exams.resources.learner-permits" filters={[<TextInput key="q" source="q" label="exams.field.permitQuery" alwaysOn resettable />]} sort={{ field: 'issuedOn', order: 'DESC' }} perPage={25} exporter={false}>
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="issuedOn" label="exams.field.issuedOn" />
        <DataTable.Col source="personName" label="exams.field.person" disableSort />
        <DataTable.Col source="idNumberMasked" label="exams.field.idNumber" disableSort />
        <DataTable.Col source="class" label="exams.field.classes" disableSort />
        <DataTable.Col source="validUntil" label="exams.field.validUntil" disableSort />
        <DataTable.Col source="subject2From" label="exams.field.subject2From" disableSort />
        <DataTable.Col source="status" label="exams.field.status" disableSort>
          <FunctionField render={(r: Permit) => (r.expired && r.status === 'active' ? t('exams.permitStatus.expired') : t(`exams.permitStatus.${r.status}`))} />
        </DataTable.Col>
      </DataTable>
    </List>
  );
};

export const LearnerPermitShow = () => (
  <Show title="exams.resources.learner-permits">
    <SimpleShowLayout>
      <div className="show-grid">
        <Row label="exams.field.person"><TextField source="personName" /> <TextField source="idNumberMasked" className="mono" /></Row>
        <Row label="exams.field.classes"><TextField source="class" /></Row>
        <Row label="exams.field.issuedOn"><TextField source="issuedOn" /></Row>
        <Row label="exams.field.validUntil"><TextField source="validUntil" /></Row>
        <Row label="exams.field.subject2From"><TextField source="subject2From" /></Row>
        <Row label="exams.field.subject3From"><TextField source="subject3From" /></Row>
        <Row label="exams.field.issuedBy"><TextField source="issuedBy" emptyText="—" /></Row>
      </div>
    </SimpleShowLayout>
  </Show>
);

/**
 * 核发学习驾驶证明 (受理岗): pick an accepted first application of the city;
 * the permit starts the waiting periods and its three-year validity (X-4.4.1,
 * Issued once per application (the bff answers 409).
 */
export const LearnerPermitCreate = () => (
  <Create title="exams.issuePermit" redirect="show">
    <SimpleForm>
      <ReferenceInput source="licenceApplicationId" reference="licence-applications" filter={{ status: 'accepted' }} sort={{ field: 'acceptedAt', order: 'DESC' }} perPage={100}>
        <SelectInput
          label="exams.field.firstApplication"
          optionText={(r: FirstApplication) => `${r.personName} · ${r.idNumberMasked} · ${r.classes} · ${r.acceptedAt.slice(0, 10)}`}
          validate={required()}
          helperText="exams.issuePermitHint"
          fullWidth
        />
      </ReferenceInput>
    </SimpleForm>
  </Create>
);
