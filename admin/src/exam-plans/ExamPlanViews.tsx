import {
  CheckboxGroupInput, Create, DataTable, Link, DateInput, FunctionField, List, NumberInput, SelectInput, Show, SimpleForm, SimpleShowLayout, TextField,
  maxValue, minValue, required, useRecordContext, useTranslate,
} from 'react-admin';
import { InstantColumn } from '../shared/columns.tsx';
import { Row } from '../account-applications/ui.tsx';

export const CLASSES = ['A1', 'A2', 'A3', 'B1', 'B2', 'C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'D', 'E', 'F'];

export const PlanLine = () => {
  const r = useRecordContext();
  const t = useTranslate();
  if (!r) return null;
  return <span>{`${t(`exams.subject.s${r.subject}`)} · ${r.examDate} ${t(`exams.session.${r.session}`)} · ${(r.classes as string[]).join('/')}`}</span>;
};

const Anomalies = () => {
  const r = useRecordContext();
  const t = useTranslate();
  const list = (r?.anomalies as string[] | undefined) ?? [];
  return <span>{list.length === 0 ? '—' : list.map((a) => t(`exams.anomaly.${a}`)).join('；')}</span>;
};

/** 考试计划: the station's own plans (operator) or the city's (管理岗), newest exam day first (X-4.4.7). */
export const ExamPlanList = () => {
  const t = useTranslate();
  const filters = [
    <SelectInput key="s" source="status" label="exams.field.status" choices={['open', 'allocated', 'cancelled'].map((id) => ({ id, name: t(`exams.planStatus.${id}`) }))} alwaysOn />,
  ];
  return (
    <List title="exams.resources.exam-plans" filters={filters} sort={{ field: 'examDate', order: 'DESC' }} perPage={25} exporter={false}>
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="examDate" label="exams.field.plan"><PlanLine /></DataTable.Col>
        <DataTable.Col source="stationName" label="exams.field.station" disableSort />
        <DataTable.Col source="seats" label="exams.field.seats" disableSort />
        <DataTable.Col source="applicants" label="exams.field.applicants" disableSort />
        <DataTable.Col source="status" label="exams.field.status" disableSort>
          <FunctionField render={(r: { status: string }) => t(`exams.planStatus.${r.status}`)} />
        </DataTable.Col>
        <InstantColumn source="closesAt" label="exams.field.closesAt" disableSort />
        <DataTable.Col source="anomalies" label="exams.field.anomalies" disableSort><Anomalies /></DataTable.Col>
      </DataTable>
    </List>
  );
};

/** 发布考试计划: at least ten days ahead; its allocation runs by itself at the cut-off (X-4.4.7, ADR-033). */
export const ExamPlanCreate = () => {
  const t = useTranslate();
  return (
    <Create title="exams.publish" redirect="show">
      <SimpleForm defaultValues={{ subject: 2, session: 'am', classes: ['C1', 'C2'], seats: 20 }}>
        <SelectInput source="subject" label="exams.field.subject" choices={[1, 2, 3].map((id) => ({ id, name: t(`exams.subject.s${id}`) }))} validate={required()} />
        <CheckboxGroupInput source="classes" label="exams.field.classes" choices={CLASSES.map((id) => ({ id, name: id }))} validate={required()} />
        <DateInput source="examDate" label="exams.field.examDate" validate={required()} helperText="exams.publishHint" />
        <SelectInput source="session" label="exams.field.session" choices={['am', 'pm'].map((id) => ({ id, name: t(`exams.session.${id}`) }))} validate={required()} />
        <NumberInput source="seats" label="exams.field.seats" validate={[required(), minValue(1), maxValue(10000)]} />
      </SimpleForm>
    </Create>
  );
};

/** The plan's candidates and results (where 管理岗 exports them, ADR-039). */
const CandidatesLink = () => {
  const r = useRecordContext();
  const t = useTranslate();
  if (!r) return null;
  return <Link to={`/exam-results?filter=${encodeURIComponent(JSON.stringify({ planId: r.id }))}`}>{t('exams.candidates')}</Link>;
};

export const ExamPlanShow = () => {
  const t = useTranslate();
  return (
    <Show title="exams.resources.exam-plans">
      <SimpleShowLayout>
        <div className="show-grid">
          <Row label="exams.field.plan"><PlanLine /></Row>
          <Row label="exams.field.station"><TextField source="stationName" /></Row>
          <Row label="exams.field.seats"><TextField source="seats" /></Row>
          <Row label="exams.field.applicants"><TextField source="applicants" /></Row>
          <Row label="exams.field.status"><FunctionField render={(r: { status: string }) => t(`exams.planStatus.${r.status}`)} /></Row>
          <Row label="exams.field.closesAt"><FunctionField render={(r: { closesAt: string; extended: boolean }) => `${new Date(r.closesAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })}${r.extended ? ` (${t('exams.extended')})` : ''}`} /></Row>
          <Row label="exams.field.digest"><FunctionField render={(r: { allocation: { digest: string } | null }) => <span className="mono">{r.allocation?.digest ?? '—'}</span>} /></Row>
          <Row label="exams.field.check"><FunctionField render={(r: { check?: { matches: boolean } | null }) => (r.check ? t(r.check.matches ? 'exams.checkOk' : 'exams.checkBad') : '—')} /></Row>
          <Row label="exams.field.anomalies"><Anomalies /></Row>
        </div>
        <CandidatesLink />
      </SimpleShowLayout>
    </Show>
  );
};
