import { Labeled, NumberField, Show, SimpleShowLayout, TextField, useRecordContext, useTranslate } from 'react-admin';
import { EnumField, InstantField, StatusChip } from '../shared/fields.tsx';
import { ShowGrid } from '../shared/show-grid.tsx';
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
      <ShowGrid label={false}>
        <EnumField source="channel" resource="outbox" />
        <TextField source="recipient" className="mono" />
        <TextField source="template" />
        <StatusChip source="status" resource="outbox" tones={OUTBOX_STATUS_TONES} />
        <NumberField source="attempts" />
        <TextField source="provider" emptyText="app.common.none" />
        <TextField source="providerRef" className="mono" emptyText="app.common.none" />
        <InstantField source="createdAt" />
        <InstantField source="updatedAt" />
      </ShowGrid>
      <Labeled source="lastError" fullWidth>
        <TextField source="lastError" emptyText="app.common.none" />
      </Labeled>
      <DeliveryEvents />
    </SimpleShowLayout>
  </Show>
);
