import { useMemo } from 'react';
import {
  AccessDenied,
  CanAccess,
  FormDataConsumer,
  Link,
  Loading,
  NumberInput,
  SaveButton,
  TextInput,
  Title,
  maxValue,
  minValue,
  required,
  useDataProvider,
  useLocale,
  useNotify,
  useTranslate,
} from 'react-admin';
import { Form } from '../shared/forms.tsx';
import type { AdminDataProvider, CalendarStatus } from '../shared/data-provider.ts';
import { useRefusal } from '../shared/use-refusal.ts';
import { defaultEntryYear } from './calendar-status.ts';
import { checkYear, weekdayName, type DateProblem, type YearCheck } from './date-list.ts';
import { useCalendarStatus } from './use-calendar-status.ts';

type Values = { year?: number | null; holidays?: string; workdays?: string };

const messageOf = (problem: DateProblem, year: number) => ({
  message: `app.calendar.${problem.code}`,
  args: { value: problem.value, year },
});

/** Record-level validation: the first problem beside each field, all of them in the preview below it. */
const validate = (values: Values) => {
  const year = Number(values.year);
  if (!Number.isInteger(year)) return {};
  const check = checkYear(year, values.holidays ?? '', values.workdays ?? '');
  const errors: Record<string, ReturnType<typeof messageOf>> = {};
  const [firstHoliday] = check.errors.holidays;
  const [firstWorkday] = check.errors.workdays;
  if (firstHoliday) errors.holidays = messageOf(firstHoliday, year);
  if (firstWorkday) errors.workdays = messageOf(firstWorkday, year);
  return errors;
};

/** The bff may name `holidays.3`; the form has one box per list. */
const toFormErrors = (errors: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(errors).map(([key, value]) => [key === 'root' ? key : (key.split('.')[0] ?? key), value]),
  );

const ProblemList = ({ problems, year, id }: { problems: DateProblem[]; year: number; id: string }) => {
  const translate = useTranslate();
  if (problems.length === 0) return null;
  return (
    <ul id={id} className="problem-list">
      {problems.map((p) => (
        <li key={`${p.code}-${p.value}`}>{translate(`app.calendar.${p.code}`, { value: p.value, year })}</li>
      ))}
    </ul>
  );
};

/** "Check your answers": every day that will be sent, with its weekday and kind. */
const Preview = ({ check, year }: { check: YearCheck; year: number }) => {
  const translate = useTranslate();
  const locale = useLocale();
  const rows = [
    ...check.holidays.map((day) => ({ day, kind: 'holiday' as const })),
    ...check.workdays.map((day) => ({ day, kind: 'workday' as const })),
  ].sort((a, b) => a.day.localeCompare(b.day));
  return (
    <section className="calendar-preview" aria-labelledby="calendar-preview-heading">
      <h2 id="calendar-preview-heading" className="section-heading">
        {translate('app.calendar.preview_heading')}
      </h2>
      <p aria-live="polite">
        {translate('app.calendar.holidays')}：{translate('app.calendar.parsed', { days: check.holidays.length })}；
        {translate('app.calendar.workdays')}：{translate('app.calendar.parsed', { days: check.workdays.length })}
      </p>
      <ProblemList problems={check.warnings} year={year} id="calendar-warnings" />
      {rows.length > 0 ? (
        <div className="table-scroll" tabIndex={0} aria-labelledby="calendar-preview-heading">
          <table className="plain-table">
            <thead>
              <tr>
                <th scope="col">{translate('resources.calendar-days.fields.day')}</th>
                <th scope="col">{translate('app.calendar.weekday')}</th>
                <th scope="col">{translate('resources.calendar-days.fields.kind')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.kind}-${r.day}`} className={r.kind === 'workday' ? 'row-workday' : undefined}>
                  <td className="mono">{r.day}</td>
                  <td>{weekdayName(r.day, locale)}</td>
                  <td>{translate(`resources.calendar-days.kind.${r.kind}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
};

const YearForm = ({ status, initialYear, onSaved }: { status: CalendarStatus | null; initialYear: number; onSaved: () => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const dataProvider = useDataProvider<AdminDataProvider>();
  const refused = useRefusal();
  const defaultValues = useMemo(() => ({ year: initialYear, holidays: '', workdays: '' }), [initialYear]);

  const submit = async (values: Values) => {
    const year = Number(values.year);
    const check = checkYear(year, values.holidays ?? '', values.workdays ?? '');
    try {
      await dataProvider.enterCalendarYear({ year, holidays: check.holidays, workdays: check.workdays });
      notify('app.calendar.saved', { type: 'success', messageArgs: { year } });
      onSaved();
      return undefined;
    } catch (error) {
      const errors = refused(error);
      return errors ? toFormErrors(errors) : undefined;
    }
  };

  return (
    <Form defaultValues={defaultValues} validate={validate} onSubmit={(v: Values) => submit(v)} noValidate>
      <div className="calendar-form">
        <NumberInput
          source="year"
          label="app.calendar.year"
          validate={[required(), minValue(2000), maxValue(2100)]}
          step={1}
        />
        <FormDataConsumer<Values>>
          {({ formData }) => {
            const year = Number(formData.year);
            const entry = status?.years.find((y) => y.year === year);
            return entry && entry.source !== 'missing' ? (
              <p className="notice notice-warning" role="status">
                {translate('app.calendar.overwrite', {
                  year,
                  source: translate(`app.calendar.source.${entry.source}`),
                })}
              </p>
            ) : null;
          }}
        </FormDataConsumer>
        <TextInput
          source="holidays"
          label="app.calendar.holidays"
          helperText="app.calendar.dates_help"
          multiline
          minRows={4}
          fullWidth
        />
        <TextInput
          source="workdays"
          label="app.calendar.workdays"
          helperText="app.calendar.dates_help"
          multiline
          minRows={2}
          fullWidth
        />
        <FormDataConsumer<Values>>
          {({ formData }) => {
            const year = Number(formData.year);
            if (!Number.isInteger(year)) return null;
            const check = checkYear(year, formData.holidays ?? '', formData.workdays ?? '');
            return (
              <>
                <ProblemList
                  problems={check.errors.holidays.filter((p) => p.code !== 'holidays_empty')}
                  year={year}
                  id="holiday-problems"
                />
                <ProblemList problems={check.errors.workdays} year={year} id="workday-problems" />
                <Preview check={check} year={year} />
              </>
            );
          }}
        </FormDataConsumer>
        <SaveButton label="app.calendar.submit" alwaysEnable />
      </div>
    </Form>
  );
};

const StatusTable = ({ status, failed }: { status: CalendarStatus | null; failed: boolean }) => {
  const translate = useTranslate();
  return (
    <section className="calendar-status" aria-labelledby="calendar-status-heading">
      <h2 id="calendar-status-heading" className="section-heading">
        {translate('app.calendar.status_heading')}
      </h2>
      {failed ? <p className="notice notice-error">{translate('app.dashboard.calendar_unavailable')}</p> : null}
      {status && status.years.length > 0 ? (
        <table className="plain-table">
          <thead>
            <tr>
              <th scope="col">{translate('app.calendar.status_year')}</th>
              <th scope="col">{translate('app.calendar.status_source')}</th>
            </tr>
          </thead>
          <tbody>
            {[...status.years]
              .sort((a, b) => a.year - b.year)
              .map((y) => (
                <tr key={y.year}>
                  <td>{y.year}</td>
                  <td>
                    <span className={`chip chip-${y.source === 'missing' ? 'error' : y.source === 'staff' ? 'info' : 'success'}`}>
                      {translate(`app.calendar.source.${y.source}`)}
                    </span>
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      ) : !failed ? (
        <p>{translate('app.calendar.status_empty')}</p>
      ) : null}
      <p>
        <Link to="/calendar-days">{translate('app.calendar.open_day_list')}</Link>
      </p>
    </section>
  );
};

const CalendarYearScreen = () => {
  const translate = useTranslate();
  const { status, error, loading, reload } = useCalendarStatus();
  if (loading && !status && !error) return <Loading />;
  const initialYear = defaultEntryYear(status, new Date());
  return (
    <div className="page">
      <Title title="app.calendar.title" />
      <p className="lead">{translate('app.calendar.intro')}</p>
      <div className="calendar-layout">
        <YearForm key={initialYear} status={status} initialYear={initialYear} onSaved={reload} />
        <StatusTable status={status} failed={error != null} />
      </div>
    </div>
  );
};

/** /calendar-year: enter a whole year of 节假日 and 调休上班 days (system_admin). */
export const CalendarYearPage = () => (
  <CanAccess resource="calendar-year" action="access" accessDenied={<AccessDenied />}>
    <CalendarYearScreen />
  </CanAccess>
);
