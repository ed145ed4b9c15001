import {
  CreateButton,
  DataTable,
  DeleteButton,
  Link,
  List,
  NumberInput,
  TopToolbar,
  useLocale,
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
          <DeleteButton mutationMode="pessimistic" />
        </DataTable.Col>
      </DataTable>
    </List>
  );
};

