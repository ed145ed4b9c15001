import { useMemo } from 'react';
import {
  ArrayInput,
  CheckboxGroupInput,
  DateInput,
  Link,
  Loading,
  NumberInput,
  SaveButton,
  SimpleFormIterator,
  TextInput,
  Title,
  maxValue,
  minValue,
  required,
  useGetList,
  useNotify,
  useRedirect,
  useTranslate,
} from 'react-admin';
import { Form } from '../shared/forms.tsx';
import { useConfirm } from '../shared/confirm.tsx';
import { useRefusal } from '../shared/use-refusal.ts';
import { inspectionsApi, type Station } from './api.ts';
import { BRAKE_TYPES, VEHICLE_TYPES, WEEKDAYS, scheduleBody } from './rules.ts';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const timeFormat = (v: unknown) => (typeof v === 'string' && TIME.test(v.slice(0, 5)) ? undefined : 'inspections.schedule.timeFormat');

const ScheduleForm = ({ station }: { station: Station }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const refused = useRefusal();
  const defaults = useMemo(
    () => ({
      openingDays: station.openingDays.length ? station.openingDays : [1, 2, 3, 4, 5, 6],
      times: station.times.length ? station.times : [{ startsAt: '09:00', endsAt: '10:30', capacity: 12 }],
      vehicleTypes: station.vehicleTypes,
      maxAxleLoadKg: station.maxAxleLoadKg,
      brakeTypes: station.brakeTypes,
    }),
    [station],
  );
  const submit = async (values: Record<string, unknown>) => {
    try {
      await inspectionsApi.publishSchedule(station.id, scheduleBody(values));
      notify('inspections.schedule.saved', { type: 'success' });
    } catch (error) {
      return refused(error);
    }
  };
  return (
    <section aria-labelledby="schedule-heading">
      <h2 id="schedule-heading" className="section-heading">
        {translate('inspections.schedule.scheduleHeading')}
      </h2>
      <Form defaultValues={defaults} onSubmit={submit}>
        <CheckboxGroupInput
          source="openingDays"
          label="inspections.schedule.openingDays"
          choices={WEEKDAYS.map((d) => ({ id: d, name: translate(`inspections.weekday.${d}`) }))}
          validate={required()}
        />
        <ArrayInput source="times" label="inspections.schedule.times">
          <SimpleFormIterator inline disableReordering>
            <TextInput source="startsAt" label="inspections.schedule.startsAt" validate={[required(), timeFormat]} helperText="09:00" />
            <TextInput source="endsAt" label="inspections.schedule.endsAt" validate={[required(), timeFormat]} helperText="10:30" />
            <NumberInput source="capacity" label="inspections.schedule.capacity" validate={[required(), minValue(0), maxValue(500)]} step={1} />
          </SimpleFormIterator>
        </ArrayInput>
        <CheckboxGroupInput
          source="vehicleTypes"
          label="inspections.schedule.vehicleTypes"
          choices={VEHICLE_TYPES.map((id) => ({ id, name: id }))}
          validate={required()}
        />
        <NumberInput source="maxAxleLoadKg" label="inspections.schedule.maxAxleLoadKg" validate={[minValue(100), maxValue(100000)]} step={100} />
        <CheckboxGroupInput
          source="brakeTypes"
          label="inspections.schedule.brakeTypes"
          choices={BRAKE_TYPES.map((id) => ({ id, name: translate(`inspections.brakeType.${id}`) }))}
          validate={required()}
        />
        <SaveButton label="inspections.schedule.save" alwaysEnable />
      </Form>
    </section>
  );
};

const PublishForm = ({ station }: { station: Station }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const refused = useRefusal();
  const redirect = useRedirect();
  const { ask, dialog } = useConfirm();
  const submit = async (values: Record<string, unknown>) => {
    const from = String(values.from).slice(0, 10);
    const to = String(values.to).slice(0, 10);
    // issue 18: published slots are bookable at once; they are closed one by one, never unpublished
    const ok = await ask({ title: 'inspections.consequence.publish_title', consequence: 'inspections.consequence.publish', params: { from, to, station: station.name }, confirm: 'inspections.schedule.publish', tone: 'primary' });
    if (!ok) return undefined;
    try {
      const r = await inspectionsApi.publishSlots({ stationId: station.id, from: String(values.from).slice(0, 10), to: String(values.to).slice(0, 10) });
      notify('inspections.schedule.published', { type: 'success', messageArgs: { created: r.created, skipped: r.skipped } });
      redirect('list', 'inspection-slots');
    } catch (error) {
      return refused(error);
    }
  };
  return (
    <section aria-labelledby="publish-heading">
      <h2 id="publish-heading" className="section-heading">
        {translate('inspections.schedule.publishHeading')}
      </h2>
      <p className="muted">{translate('inspections.schedule.publishHint')}</p>
      <Form onSubmit={submit}>
        <div className="inline-fields">
          <DateInput source="from" label="inspections.schedule.from" validate={required()} />
          <DateInput source="to" label="inspections.schedule.to" validate={required()} />
        </div>
        <SaveButton label="inspections.schedule.publish" alwaysEnable />
      </Form>
      {dialog}
    </section>
  );
};

/** the operator edits the station's schedule and publishes slots for a date range. */
export const SchedulePage = () => {
  const translate = useTranslate();
  const { data, isPending } = useGetList<Station>('inspection-stations', { pagination: { page: 1, perPage: 10 }, sort: { field: 'name', order: 'ASC' } });
  if (isPending) return <Loading />;
  const station = data?.[0];
  return (
    <div className="page">
      <Title title="inspections.schedule.title" />
      <h1 className="page-heading">
        {translate('inspections.schedule.title')}
        {station ? `：${station.name}` : ''}
      </h1>
      <p>
        <Link to="/inspection-slots">{translate('inspections.slots.title')}</Link>
      </p>
      {station ? (
        <>
          <PublishForm station={station} />
          <ScheduleForm station={station} />
        </>
      ) : null}
    </div>
  );
};
