import { DataTable, FunctionField, List, useTranslate } from 'react-admin';
import { PlanLine } from '../exam-plans/ExamPlanViews.tsx';

/** 分配结果: plans past their cut-off, each batch with its digest and the anomalies, for 管理岗 (X-4.4.8, ADR-033). */
export const ExamAllocationList = () => {
  const t = useTranslate();
  return (
    <List title="exams.resources.exam-allocations" sort={{ field: 'examDate', order: 'DESC' }} perPage={25} exporter={false}>
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="examDate" label="exams.field.plan"><PlanLine /></DataTable.Col>
        <DataTable.Col source="stationName" label="exams.field.station" disableSort />
        <DataTable.Col source="seats" label="exams.field.seats" disableSort />
        <DataTable.Col source="applicants" label="exams.field.applicants" disableSort />
        <DataTable.Col source="allocation" label="exams.field.allocated" disableSort>
          <FunctionField render={(r: { allocation: { allocated: number } | null }) => (r.allocation ? String(r.allocation.allocated) : '—')} />
        </DataTable.Col>
        <DataTable.Col source="anomalies" label="exams.field.anomalies" disableSort>
          <FunctionField render={(r: { anomalies: string[] }) => (r.anomalies.length ? r.anomalies.map((a) => t(`exams.anomaly.${a}`)).join('；') : '—')} />
        </DataTable.Col>
      </DataTable>
    </List>
  );
};
