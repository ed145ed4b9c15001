import { useState } from 'react';
import { Button, DataTable, DateInput, List, useNotify, useRefresh, useTranslate } from 'react-admin';
import { useRefusal } from '../shared/use-refusal.ts';
import { rosterApi, rosterStatus, type RosterEntry, type RosterMark } from './api.ts';
import '../inspection-slots/inspections.css';

const tone: Record<string, string> = { booked: '', arrived: 'chip-success', completed: 'chip-success', no_show: 'chip-error', cancelled: '', moved: '' };

const StatusChip = ({ r }: { r: RosterEntry }) => {
  const translate = useTranslate();
  const s = rosterStatus(r);
  return <span className={`chip ${tone[s] ?? ''}`}>{translate(`inspections.roster.bookingStatus.${s}`)}</span>;
};

/** 到场 / 检验完成 / 未到检 for one booking; the bff decides which marks are possible now. */
const Marks = ({ r }: { r: RosterEntry }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const refused = useRefusal();
  const refresh = useRefresh();
  const [busy, setBusy] = useState(false);
  const mark = async (m: RosterMark) => {
    setBusy(true);
    try {
      await rosterApi.mark(r.id, m);
      notify('inspections.roster.marked', { type: 'success', messageArgs: { mark: translate(`inspections.roster.mark.${m}`) } });
      refresh();
    } catch (error) {
      refused(error, { inForm: false });
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="roster-marks">
      {r.marks.map((m) => (
        <Button
          key={m}
          label={`inspections.roster.mark.${m}`}
          aria-label={translate('inspections.roster.markLabel', { plate: r.plateNo ?? '', code: r.code, mark: translate(`inspections.roster.mark.${m}`) })}
          disabled={busy}
          onClick={() => void mark(m)}
        />
      ))}
    </span>
  );
};

const filters = [<DateInput key="day" source="day" label="inspections.roster.day" alwaysOn />];

const Empty = () => {
  const translate = useTranslate();
  return <p className="muted">{translate('inspections.roster.empty')}</p>;
};

const Hint = () => {
  const translate = useTranslate();
  return <p className="muted">{translate('inspections.roster.hint')}</p>;
};

/** 当日预约名册: the station's bookings of a day (today unless a day is chosen), personal data masked, with the day's marks. */
export const RosterList = () => (
  <>
    <List filters={filters} sort={{ field: 'startsAt', order: 'ASC' }} perPage={100} title="inspections.roster.title" empty={<Empty />}>
      <Hint />
      <DataTable bulkActionButtons={false} rowClick={false}>
        <DataTable.Col source="startsAt" label="inspections.fields.time" render={(r: RosterEntry) => `${r.day} ${r.startsAt}–${r.endsAt}`} />
        <DataTable.Col source="code" label="inspections.roster.code" disableSort />
        <DataTable.Col source="plateNo" label="inspections.roster.plate" disableSort />
        <DataTable.Col source="brandModel" label="inspections.roster.vehicle" disableSort />
        <DataTable.Col source="bookerNameMasked" label="inspections.roster.booker" disableSort />
        <DataTable.Col source="phoneMasked" label="inspections.roster.phone" disableSort />
        <DataTable.Col label="inspections.roster.status" disableSort render={(r: RosterEntry) => <StatusChip r={r} />} />
        <DataTable.Col label="inspections.roster.marks" disableSort render={(r: RosterEntry) => <Marks r={r} />} />
      </DataTable>
    </List>
  </>
);
