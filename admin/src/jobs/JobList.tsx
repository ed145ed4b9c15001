import { DataTable, List, SelectInput, TextField, TextInput, useTranslate } from 'react-admin';
import { InstantColumn } from '../shared/columns.tsx';
import { StatusChip, type Tone } from '../shared/fields.tsx';

/** The CHECK list of job.status (db/migrations/0001_foundation.sql). */
const JOB_STATUSES = ['queued', 'done', 'failed', 'cancelled'] as const;
const JOB_STATUS_TONES: Record<(typeof JOB_STATUSES)[number], Tone> = {
  queued: 'info',
  done: 'success',
  failed: 'error',
  cancelled: 'neutral',
};

/** 后台任务: the durable job queue, soonest run first; failures show their last error. */
export const JobList = () => {
  const translate = useTranslate();
  const statuses = JOB_STATUSES.map((id) => ({ id, name: translate(`resources.jobs.status.${id}`, { _: id }) }));
  const filters = [
    <SelectInput key="status" source="status" choices={statuses} alwaysOn />,
    <TextInput key="kind" source="kind" alwaysOn resettable />,
  ];
  return (
    <List filters={filters} sort={{ field: 'runAt', order: 'DESC' }} perPage={25} exporter={false}>
      <DataTable bulkActionButtons={false} rowClick={false}>
        {/* sortable columns are the bff's whitelist (bff/src/modules/ops/admin.routes.ts); others would answer 400 */}
        <DataTable.Col source="kind" disableSort />
        <DataTable.Col source="status">
          <StatusChip source="status" resource="jobs" tones={JOB_STATUS_TONES} />
        </DataTable.Col>
        <InstantColumn source="runAt" />
        <DataTable.NumberCol source="attempts" disableSort />
        <DataTable.Col source="lastError" disableSort>
          <TextField source="lastError" className="cell-wrap" emptyText="" />
        </DataTable.Col>
      </DataTable>
    </List>
  );
};
