import { useState } from 'react';
import {
  Button,
  SaveButton,
  SelectInput,
  TextInput,
  maxLength,
  required,
  useGetList,
  useNotify,
  useRefresh,
  useTranslate,
} from 'react-admin';
import { Form } from '../shared/forms.tsx';
import { useRefusal } from '../shared/use-refusal.ts';
import { ConfirmButton, toneProps } from '../shared/confirm.tsx';
import { Revealable } from '../shared/personal-data.tsx';
import { inspectionsApi, type StaffBooking, type Station, type StationStatus, type StatusReason } from './api.ts';
import { ModalDialog } from './ModalDialog.tsx';
import { statusActions } from './rules.ts';

const tone: Record<StationStatus, string> = { active: 'chip-success', suspended: 'chip-error', withdrawn: 'chip-neutral' };

/** R-36.6: suspend / withdraw / resume, with the reason published as a notice. */
const StatusDialog = ({ station, to, reasons, onClose }: { station: Station; to: StationStatus; reasons: StatusReason[]; onClose: () => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const refused = useRefusal();
  const refresh = useRefresh();
  const action = translate(`inspections.statusTo.${to}`);
  const submit = async (v: { reason?: StatusReason; note?: string }) => {
    try {
      const r = await inspectionsApi.changeStationStatus(station.id, { status: to, reason: v.reason ?? reasons[0]!, note: v.note ?? '' });
      notify('inspections.statusDialog.done', { type: 'success', messageArgs: { action, count: r.pending.length } });
      onClose();
      refresh();
    } catch (error) {
      return refused(error);
    }
  };
  return (
    <>
      <h2 id="status-dialog-title" className="section-heading">
        {action}：{station.name}
      </h2>
      {/* issue 18: this dialog is the confirmation — what happens, in words, before 确认 */}
      <p className={`notice ${to === 'active' ? 'notice-info' : 'notice-warning'}`} id="status-dialog-consequence">
        {translate(`inspections.consequence.${to}`)}
      </p>
      <Form defaultValues={{ reason: reasons[0], note: '' }} onSubmit={(v: Record<string, unknown>) => submit(v as { reason?: StatusReason; note?: string })}>
        <SelectInput
          source="reason"
          label="inspections.statusDialog.reason"
          choices={reasons.map((id) => ({ id, name: translate(`inspections.statusReason.${id}`) }))}
          validate={required()}
        />
        <TextInput source="note" label="inspections.statusDialog.note" multiline fullWidth validate={maxLength(500)} />
        <div className="dialog-actions">
          <SaveButton label="inspections.statusDialog.submit" icon={<span />} {...toneProps(to === 'active' ? 'primary' : 'destructive')} aria-describedby="status-dialog-consequence" alwaysEnable />
          <Button label="inspections.statusDialog.cancel" onClick={onClose} />
        </div>
      </Form>
    </>
  );
};

/** R-36.6 "督促…及时": the active bookings the station can no longer serve, with the nearest free slot for each. */
const PendingBookings = ({ station }: { station: Station }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const refused = useRefusal();
  const refresh = useRefresh();
  const { data, isPending } = useGetList<StaffBooking & { id: string }>('inspection-bookings', {
    filter: { pending: true, stationId: station.id },
    pagination: { page: 1, perPage: 100 },
    sort: { field: 'day', order: 'ASC' },
  });
  if (isPending) return null;
  const rows = data ?? [];
  const cancel = async (b: StaffBooking) => {
    try {
      await inspectionsApi.endBooking(b.id, { outcome: 'cancelled', note: '' });
      notify('inspections.pending.cancelled', { type: 'success', messageArgs: { code: b.code } });
      refresh();
    } catch (error) {
      refused(error, { inForm: false });
    }
  };
  return (
    <section aria-labelledby={`pending-${station.id}`}>
      <h3 id={`pending-${station.id}`} className="section-heading">
        {translate('inspections.pending.heading')}
      </h3>
      {rows.length === 0 ? (
        <p className="muted">{translate('inspections.pending.empty')}</p>
      ) : (
        <div className="table-scroll" tabIndex={0} aria-labelledby={`pending-${station.id}`}>
          <table className="plain-table" data-testid="pending-bookings">
            <thead>
              <tr>
                <th scope="col">{translate('inspections.pending.code')}</th>
                <th scope="col">{translate('inspections.pending.plate')}</th>
                <th scope="col">{translate('inspections.pending.phone')}</th>
                <th scope="col">{translate('inspections.pending.time')}</th>
                <th scope="col">{translate('inspections.pending.disruption')}</th>
                <th scope="col">{translate('inspections.pending.suggestion')}</th>
                <th scope="col">
                  <span className="sr-only">{translate('inspections.pending.cancel')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((b) => (
                <tr key={b.id}>
                  <td className="mono">{b.code}</td>
                  <td>{b.plateNo}</td>
                  <td><Revealable value={b.phoneMasked} field="phone" kind="phone" resource="inspection-bookings" id={b.id} /></td>
                  <td>
                    {b.day} {b.startsAt}–{b.endsAt}
                  </td>
                  <td>{b.disruption ? translate(`inspections.disruption.${b.disruption}`) : ''}</td>
                  <td>
                    {b.suggestion
                      ? `${b.suggestion.stationName} ${b.suggestion.day} ${b.suggestion.startsAt}${b.suggestion.distanceKm !== null ? `（${b.suggestion.distanceKm} km）` : ''}`
                      : translate('inspections.pending.none')}
                  </td>
                  <td>
                    <ConfirmButton
                      label="inspections.pending.cancel"
                      tone="destructive"
                      text={{ title: 'inspections.consequence.cancel_booking_title', consequence: 'inspections.consequence.cancel_booking', params: { code: b.code, plate: b.plateNo } }}
                      onConfirm={() => cancel(b)}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
};

const weekdays = (days: number[], translate: (k: string) => string) => days.map((d) => translate(`inspections.weekday.${d}`)).join('、');

/** The operator's station: booking-service status with its actions, the schedule, and the pending bookings. */
export const StationPanel = () => {
  const translate = useTranslate();
  const { data: stations } = useGetList<Station>('inspection-stations', { pagination: { page: 1, perPage: 50 }, sort: { field: 'name', order: 'ASC' } });
  const [dialog, setDialog] = useState<{ station: Station; to: StationStatus; reasons: StatusReason[] } | null>(null);
  return (
    <div className="station-panels">
      {(stations ?? []).map((s) => (
        <section key={s.id} className="station-panel" aria-labelledby={`station-${s.id}`}>
          <h2 id={`station-${s.id}`} className="section-heading">
            {s.name} <span className={`chip ${tone[s.status]}`}>{translate(`inspections.stationStatus.${s.status}`)}</span>
          </h2>
          <p className="muted">
            {s.times.length > 0
              ? translate('inspections.station.schedule', {
                  days: weekdays(s.openingDays, translate),
                  times: s.times.map((t) => `${t.startsAt}–${t.endsAt}×${t.capacity}`).join('、'),
                })
              : translate('inspections.station.noSchedule')}
            <br />
            {translate('inspections.station.tests', {
              types: s.vehicleTypes.join('、'),
              axle: s.maxAxleLoadKg ?? '—',
              brakes: s.brakeTypes.map((b) => translate(`inspections.brakeType.${b}`)).join('、'),
            })}
          </p>
          <div className="dialog-actions">
            {statusActions(s.status).map((a) => (
              <Button key={a.to} variant="outlined" label={translate(`inspections.statusTo.${a.to}`)} onClick={() => setDialog({ station: s, ...a })} />
            ))}
          </div>
          <PendingBookings station={s} />
        </section>
      ))}
      <ModalDialog open={dialog !== null} onClose={() => setDialog(null)} labelledBy="status-dialog-title">
        {dialog ? <StatusDialog {...dialog} onClose={() => setDialog(null)} /> : null}
      </ModalDialog>
    </div>
  );
};
