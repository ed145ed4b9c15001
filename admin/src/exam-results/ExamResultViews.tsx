import {
  DataTable, FunctionField, List, RadioButtonGroupInput, SaveButton, SelectInput, Show, SimpleShowLayout, TextField, TextInput, required,
  useDataProvider, usePermissions, useRecordContext, useTranslate, FormDataConsumer,
} from 'react-admin';
import { Button } from 'react-admin';
import { Row } from '../account-applications/ui.tsx';
import { Form } from '../shared/forms.tsx';
import type { AdminDataProvider } from '../shared/data-provider.ts';
import { useAction } from '../shared/use-action.ts';
import { toneProps, useConfirm } from '../shared/confirm.tsx';
import { Revealable, ServerExportActions } from '../shared/personal-data.tsx';

const STATUSES = ['applied', 'allocated', 'not_allocated', 'cancelled', 'passed', 'failed', 'absent'];
const Status = () => {
  const r = useRecordContext();
  const t = useTranslate();
  return <span>{r ? t(`exams.status.${String(r.status)}`) : ''}</span>;
};
const Key = () => {
  const r = useRecordContext();
  const t = useTranslate();
  if (!r) return null;
  const k = r.rankKey as { at: string; kind: string };
  return <span>{`${t(`exams.keyKind.${k.kind}`)} · ${new Date(k.at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })}`}</span>;
};

/** 考生名单与成绩: applications of my station's plans (operator) or my city's (管理岗, 受理岗); ID numbers and phones masked. */
export const ExamResultList = () => {
  const t = useTranslate();
  const filters = [
    <SelectInput key="s" source="status" label="exams.field.status" choices={STATUSES.map((id) => ({ id, name: t(`exams.status.${id}`) }))} alwaysOn />,
    <TextInput key="r" source="reference" label="exams.field.reference" alwaysOn />,
    <TextInput key="p" source="planId" label="exams.field.planId" />,
  ];
  const { permissions } = usePermissions<string[]>();
  // 管理岗 exports a plan's results (masked ID numbers, audited; ADR-039)
  const managers = permissions?.includes('review') ?? false;
  return (
    <List title="exams.resources.exam-results" filters={filters} sort={{ field: 'rank', order: 'ASC' }} perPage={25} exporter={false} {...(managers ? { actions: <ServerExportActions create={false} /> } : {})}>
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="reference" label="exams.field.reference" disableSort />
        <DataTable.Col source="examDate" label="exams.field.examDate" disableSort />
        <DataTable.Col source="personName" label="exams.field.person" disableSort />
        <DataTable.Col source="idNumberMasked" label="exams.field.idNumber" disableSort />
        <DataTable.Col source="rank" label="exams.field.rank" />
        <DataTable.Col source="rankKey" label="exams.field.rankKey" disableSort><Key /></DataTable.Col>
        <DataTable.Col source="status" label="exams.field.status" disableSort><Status /></DataTable.Col>
      </DataTable>
    </List>
  );
};

/** 录入成绩: pass; fail with the free retake; absent (a no-show is a fail, X-4.4.5, X-4.4.6). */
const RecordResult = () => {
  const r = useRecordContext();
  const dp = useDataProvider<AdminDataProvider>();
  const act = useAction();
  const t = useTranslate();
  const { permissions } = usePermissions<string[]>();
  if (!r || r.status !== 'allocated' || !permissions?.includes('exam_operator')) return null;
  return (
    <section aria-labelledby="result-heading">
      <h2 id="result-heading" className="section-heading">{t('exams.recordResult')}</h2>
      <Form onSubmit={(v: Record<string, unknown>) => act(() => dp.command('exam-results', r.id, 'result', { first: v.first, retake: v.first === 'fail' ? v.retake : null }), 'exams.resultRecorded')}>
        <RadioButtonGroupInput source="first" label="exams.field.first" choices={['pass', 'fail', 'absent'].map((id) => ({ id, name: t(`exams.outcome.${id}`) }))} validate={required()} />
        <FormDataConsumer>
          {({ formData }) => formData.first === 'fail' ? (
            <RadioButtonGroupInput source="retake" label="exams.field.retake" choices={['pass', 'fail', 'skipped'].map((id) => ({ id, name: t(`exams.retake.${id}`) }))} validate={required()} />
          ) : null}
        </FormDataConsumer>
        <SaveButton label="exams.recordResult" {...toneProps('primary')} alwaysEnable />
      </Form>
    </section>
  );
};

/** 窗口取消: after the cut-off, with the candidate's ID, until the day before the exam (X-4.4.6); confirmed first. */
const CounterCancel = () => {
  const r = useRecordContext();
  const dp = useDataProvider<AdminDataProvider>();
  const act = useAction({ inForm: false });
  const { ask, dialog } = useConfirm();
  const { permissions } = usePermissions<string[]>();
  if (!r || (r.status !== 'allocated' && r.status !== 'applied') || !permissions?.includes('intake')) return null;
  return (
    <>
      <Button label="exams.counterCancel" {...toneProps('destructive')} onClick={async () => {
        const ok = await ask({ title: 'exams.confirm.cancel_title', consequence: 'exams.confirm.cancel', params: { reference: r.reference }, tone: 'destructive' });
        if (ok) await act(() => dp.command('exam-results', r.id, 'counter-cancel'), 'exams.cancelledAtCounter');
      }} />
      {dialog}
    </>
  );
};

/** 管理岗 reveals the full ID number with a reason (audited, in the candidate's access log; ADR-024, ADR-039); the others see it masked. */
const IdNumber = () => {
  const r = useRecordContext();
  const { permissions } = usePermissions<string[]>();
  if (!r) return null;
  return permissions?.includes('review') ? <Revealable value={r.idNumberMasked} field="idNumber" kind="id_number" /> : <span className="mono">{String(r.idNumberMasked)}</span>;
};

export const ExamResultShow = () => (
  <Show title="exams.resources.exam-results">
    <SimpleShowLayout>
      <div className="show-grid">
        <Row label="exams.field.reference"><TextField source="reference" className="mono" /></Row>
        <Row label="exams.field.person"><TextField source="personName" /> <IdNumber /></Row>
        <Row label="exams.field.phone"><TextField source="phoneMasked" emptyText="—" /></Row>
        <Row label="exams.field.examDate"><TextField source="examDate" /> <TextField source="stationName" /></Row>
        <Row label="exams.field.rank"><TextField source="rank" emptyText="—" /></Row>
        <Row label="exams.field.rankKey"><Key /></Row>
        <Row label="exams.field.status"><Status /></Row>
        <Row label="exams.field.result"><FunctionField render={(x: { result: { first: string; retake: string | null } | null }) => (x.result ? `${x.result.first}${x.result.retake ? ` / ${x.result.retake}` : ''}` : '—')} /></Row>
      </div>
      <RecordResult />
      <CounterCancel />
    </SimpleShowLayout>
  </Show>
);
