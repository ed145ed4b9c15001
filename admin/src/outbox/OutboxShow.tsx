import { Labeled, NumberField, Show, SimpleShowLayout, TextField, useRecordContext, useTranslate } from 'react-admin';
import { EnumField, InstantField, StatusChip } from '../shared/fields.tsx';
import { OUTBOX_STATUS_TONES } from './statuses.ts';

type DeliveryEvent = { at: string; status: string; detail: string | null };

/** The delivery receipts (outbox_event), oldest first, as the bff lists them. */
const DeliveryEvents = () => {
  const record = useRecordContext();
  const translate = useTranslate();
  const events: DeliveryEvent[] = Array.isArray(record?.events) ? record.events : [];
  return (
    <section aria-labelledby="outbox-events">
      <h2 id="outbox-events" className="section-heading">
        {translate('resources.outbox.fields.events')}
      </h2>
      {events.length === 0 ? (
        <p className="json-empty">{translate('app.common.none')}</p>
      ) : (
        <table className="plain-table">
          <thead>
            <tr>
              <th scope="col">{translate('resources.outbox.event.at')}</th>
              <th scope="col">{translate('resources.outbox.event.status')}</th>
              <th scope="col">{translate('resources.outbox.event.detail')}</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e, i) => (
              <tr key={`${e.at}-${i}`}>
                <td>
                  <InstantField source="at" record={e} />
                </td>
                <td>{translate(`resources.outbox.status.${e.status}`, { _: e.status })}</td>
                <td>{e.detail ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
};

/** One message: the recipient arrives masked from the bff. */
export const OutboxShow = () => (
  <Show>
    <SimpleShowLayout>
      <div className="show-grid">
        <Labeled source="channel">
          <EnumField source="channel" resource="outbox" />
        </Labeled>
        <Labeled source="recipient">
          <TextField source="recipient" className="mono" />
        </Labeled>
        <Labeled source="template">
          <TextField source="template" />
        </Labeled>
        <Labeled source="status">
          <StatusChip source="status" resource="outbox" tones={OUTBOX_STATUS_TONES} />
        </Labeled>
        <Labeled source="attempts">
          <NumberField source="attempts" />
        </Labeled>
        <Labeled source="provider">
          <TextField source="provider" emptyText="app.common.none" />
        </Labeled>
        <Labeled source="providerRef">
          <TextField source="providerRef" className="mono" emptyText="app.common.none" />
        </Labeled>
        <Labeled source="createdAt">
          <InstantField source="createdAt" />
        </Labeled>
        <Labeled source="updatedAt">
          <InstantField source="updatedAt" />
        </Labeled>
      </div>
      <Labeled source="lastError" fullWidth>
        <TextField source="lastError" emptyText="app.common.none" />
      </Labeled>
      <DeliveryEvents />
    </SimpleShowLayout>
  </Show>
);
