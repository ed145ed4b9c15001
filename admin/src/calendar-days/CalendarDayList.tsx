import {
  CreateButton,
  DataTable,
  DeleteButton,
  Link,
  List,
  NumberInput,
  TopToolbar,
  useLocale,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { beijingYear } from '../calendar-year/calendar-status.ts';
import { weekdayName } from '../calendar-year/date-list.ts';
import { EnumField } from '../shared/fields.tsx';

const Actions = () => {
  const translate = useTranslate();
  return (
    <TopToolbar>
      <Link to="/calendar-year" className="toolbar-link">
        {translate('app.calendar.title')}
      </Link>
      <CreateButton />
    </TopToolbar>
  );
};

/** issue 18: the delete confirms with its consequence — the day falls back to the package's calendar. */
const DeleteDay = (_props: { label?: string }) => {
  const record = useRecordContext();
  if (!record) return null;
  return (
    <DeleteButton
      mutationMode="pessimistic"
      confirmTitle="app.calendar.delete_title"
      confirmContent="app.calendar.delete_consequence"
      translateOptions={{ day: String(record.day) }}
      confirmColor="warning"
    />
  );
};

/**
 * 工作日历调整: single days that differ from the package's calendar.
 * Deleting asks first (a wrong click would move staff deadlines) and says
 * "deleted" only once the bff has answered: react-admin's default undoable
 * mode would say so before sending, also when the session has ended.
 */
export const CalendarDayList = () => {
  const locale = useLocale();
  const filters = [<NumberInput key="year" source="year" alwaysOn min={2000} max={2100} step={1} />];
  return (
    <List
      filters={filters}
      filterDefaultValues={{ year: beijingYear(new Date()) }}
      sort={{ field: 'day', order: 'ASC' }}
      perPage={50}
      actions={<Actions />}
    >
      <DataTable bulkActionButtons={false} rowClick={false}>
        {/* sortable columns are the bff's whitelist (bff/src/modules/ops/admin.routes.ts); others would answer 400 */}
        <DataTable.Col source="day" />
        <DataTable.Col label="app.calendar.weekday" disableSort render={(r) => weekdayName(String(r.day), locale)} />
        <DataTable.Col source="kind" disableSort>
          <EnumField source="kind" resource="calendar-days" />
        </DataTable.Col>
        <DataTable.Col source="note" disableSort />
        <DataTable.Col label="ra.action.delete" disableSort>
          <DeleteDay />
        </DataTable.Col>
      </DataTable>
    </List>
  );
};

