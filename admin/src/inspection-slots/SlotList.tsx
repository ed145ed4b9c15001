import { useState } from 'react';
import {
  Button,
  CreateButton,
  DataTable,
  DateInput,
  List,
  NumberInput,
  RadioButtonGroupInput,
  SaveButton,
  SelectInput,
  TextInput,
  TopToolbar,
  FormDataConsumer,
  maxLength,
  minValue,
  required,
  useGetList,
  useListContext,
  useNotify,
  useRefresh,
  useTranslate,
  useUnselectAll,
  type RaRecord,
} from 'react-admin';
import { Form } from '../shared/forms.tsx';
import { toneProps } from '../shared/confirm.tsx';
import { useRefusal } from '../shared/use-refusal.ts';
import { inspectionsApi, type ClosureReason } from './api.ts';
import { ModalDialog } from './ModalDialog.tsx';
import './inspections.css';
import { StationPanel } from './StationPanel.tsx';

type Slot = RaRecord & {
  stationId: string;
  stationName: string;
  day: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
  booked: number;
  crossCityBooked: number;
  free: number;
  status: 'open' | 'closed' | 'suspended';
  closureReason: string | null;
};

/** A translated text inside a DataTable `render` (render functions cannot call hooks). */
const Translated = ({ k }: { k: string }) => {
  const translate = useTranslate();
  return <>{translate(k)}</>;
};

const slotTone = { open: 'chip-success', closed: 'chip-error', suspended: 'chip-error' } as const;

const CapacityForm = ({ slot, onClose }: { slot: Slot; onClose: () => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const refused = useRefusal();
  const refresh = useRefresh();
  const { data: sameDay } = useGetList<Slot>('inspection-slots', {
    filter: { day: slot.day, status: 'open', stationId: slot.stationId },
    pagination: { page: 1, perPage: 50 },
    sort: { field: 'day', order: 'ASC' },
  });
  const targets = (sameDay ?? []).filter((s) => s.id !== slot.id);
  const submit = async (v: { capacity?: number; excess?: 'refuse' | 'cancel' | 'move'; targetSlotId?: string }) => {
    try {
      await inspectionsApi.changeCapacity(String(slot.id), {
        capacity: Number(v.capacity),
        excess: v.excess ?? 'refuse',
        ...(v.excess === 'move' && v.targetSlotId ? { targetSlotId: v.targetSlotId } : {}),
      });
      notify('inspections.capacity.done', { type: 'success' });
      onClose();
      refresh();
    } catch (error) {
      return refused(error);
    }
  };
  return (
    <>
      <h2 id="capacity-dialog-title" className="section-heading">
        {translate('inspections.capacity.title', { day: slot.day, time: `${slot.startsAt}–${slot.endsAt}` })}
      </h2>
      <p className="muted">
        {translate('inspections.fields.booked')}：{slot.booked} / {translate('inspections.fields.capacity')}：{slot.capacity}
      </p>
      <Form defaultValues={{ capacity: slot.capacity, excess: 'refuse' }} onSubmit={(v: Record<string, unknown>) => submit(v as never)}>
        <NumberInput source="capacity" label="inspections.capacity.value" validate={[required(), minValue(0)]} step={1} />
        <RadioButtonGroupInput
          source="excess"
          label="inspections.capacity.excess"
          row={false}
          choices={(['refuse', 'cancel', 'move'] as const).map((id) => ({ id, name: translate(`inspections.capacity.${id}`) }))}
        />
        <FormDataConsumer>
          {({ formData }) =>
            formData.excess === 'move' ? (
              <SelectInput
                source="targetSlotId"
                label="inspections.capacity.target"
                validate={required()}
                choices={targets.map((s) => ({ id: s.id, name: `${s.startsAt}–${s.endsAt}（${translate('inspections.fields.free')} ${s.free}）` }))}
              />
            ) : null
          }
        </FormDataConsumer>
        <div className="dialog-actions">
          <SaveButton label="inspections.capacity.submit" icon={<span />} alwaysEnable />
          <Button label="inspections.statusDialog.cancel" onClick={onClose} />
        </div>
      </Form>
    </>
  );
};

/** reopens a slot closed by mistake; its bookings not moved meanwhile stand again (SMS). */
const ReopenButton = ({ slot }: { slot: Slot }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const refused = useRefusal();
  const refresh = useRefresh();
  const reopen = async () => {
    try {
      const r = await inspectionsApi.reopenSlot(String(slot.id));
      notify('inspections.reopen.done', { type: 'success', messageArgs: { count: r.booked } });
      refresh();
    } catch (error) {
      refused(error, { inForm: false });
    }
  };
  return (
    <Button
      label="inspections.reopen.button"
      aria-label={translate('inspections.reopen.label', { day: slot.day, time: `${slot.startsAt}–${slot.endsAt}` })}
      onClick={() => void reopen()}
    />
  );
};

/** closes the selected slots for an exceptional event; every affected user gets an SMS. */
const CloseSlotsButton = () => {
  const { selectedIds } = useListContext();
  const translate = useTranslate();
  const notify = useNotify();
  const refused = useRefusal();
  const refresh = useRefresh();
  const unselectAll = useUnselectAll('inspection-slots');
  const [open, setOpen] = useState(false);
  const submit = async (v: { reason?: ClosureReason; note?: string }) => {
    try {
      const r = await inspectionsApi.closeSlots({ ids: selectedIds.map(String), reason: v.reason ?? 'other', note: v.note ?? '' });
      notify('inspections.close.done', { type: 'success', messageArgs: { closed: r.closed, notified: r.notified } });
      setOpen(false);
      unselectAll();
      refresh();
    } catch (error) {
      return refused(error);
    }
  };
  return (
    <>
      <Button label="inspections.close.button" {...toneProps('destructive')} onClick={() => setOpen(true)} />
      <ModalDialog open={open} onClose={() => setOpen(false)} labelledBy="close-dialog-title">
        <h2 id="close-dialog-title" className="section-heading">
          {translate('inspections.close.title')}
        </h2>
        {/* issue 18: this dialog is the confirmation — what happens, in words */}
        <p className="notice notice-warning" id="close-dialog-consequence">
          {translate('inspections.consequence.close', { count: selectedIds.length })}
        </p>
        <Form defaultValues={{ reason: 'system_failure', note: '' }} onSubmit={(v: Record<string, unknown>) => submit(v as never)}>
          <SelectInput
            source="reason"
            label="inspections.close.reason"
            validate={required()}
            choices={(['system_failure', 'power_cut', 'bad_weather', 'other'] as const).map((id) => ({ id, name: translate(`inspections.closureReason.${id}`) }))}
          />
          <TextInput source="note" label="inspections.close.note" multiline fullWidth validate={maxLength(500)} />
          <div className="dialog-actions">
            <SaveButton label="inspections.close.submit" icon={<span />} {...toneProps('destructive')} aria-describedby="close-dialog-consequence" alwaysEnable />
            <Button label="inspections.statusDialog.cancel" onClick={() => setOpen(false)} />
          </div>
        </Form>
      </ModalDialog>
    </>
  );
};

const Actions = () => (
  <TopToolbar>
    <CreateButton label="inspections.station.editSchedule" />
  </TopToolbar>
);

const filters = [
  <DateInput key="from" source="from" label="inspections.fields.from" alwaysOn />,
  <DateInput key="to" source="to" label="inspections.fields.to" alwaysOn />,
  <SelectInput
    key="status"
    source="status"
    label="inspections.fields.status"
    alwaysOn
    choices={[
      { id: 'open', name: 'inspections.slotStatus.open' },
      { id: 'closed', name: 'inspections.slotStatus.closed' },
      { id: 'suspended', name: 'inspections.slotStatus.suspended' },
    ]}
  />,
];

/** 检验时段: the station's slots with capacity and booked, capacity changes, closures; the station panel above. */
export const SlotList = () => {
  const [editing, setEditing] = useState<Slot | null>(null);
  return (
    <>
      <StationPanel />
      <List filters={filters} sort={{ field: 'day', order: 'ASC' }} perPage={50} actions={<Actions />} empty={false} title="inspections.slots.title">
        <DataTable bulkActionButtons={<CloseSlotsButton />} rowClick={false}>
          <DataTable.Col source="day" label="inspections.fields.day" />
          <DataTable.Col label="inspections.fields.time" disableSort render={(r: Slot) => `${r.startsAt}–${r.endsAt}`} />
          <DataTable.Col source="stationName" label="inspections.fields.stationName" />
          <DataTable.Col source="capacity" label="inspections.fields.capacity" />
          <DataTable.Col source="booked" label="inspections.fields.booked" />
          <DataTable.Col source="free" label="inspections.fields.free" disableSort />
          <DataTable.Col source="crossCityBooked" label="inspections.fields.crossCityBooked" disableSort />
          <DataTable.Col
            source="status"
            label="inspections.fields.status"
            render={(r: Slot) => (
              <span className={`chip ${slotTone[r.status]}`}>
                <Translated k={`inspections.slotStatus.${r.status}`} />
              </span>
            )}
          />
          <DataTable.Col
            label="inspections.fields.closure"
            disableSort
            render={(r: Slot) => (r.closureReason ? <Translated k={`inspections.closureReason.${r.closureReason}`} /> : '')}
          />
          <DataTable.Col label="inspections.capacity.button" disableSort render={(r: Slot) => (r.status === 'open' ? <Button label="inspections.capacity.button" onClick={() => setEditing(r)} /> : r.status === 'closed' ? <ReopenButton slot={r} /> : null)} />
        </DataTable>
      </List>
      <ModalDialog open={editing !== null} onClose={() => setEditing(null)} labelledBy="capacity-dialog-title">
        {editing ? <CapacityForm slot={editing} onClose={() => setEditing(null)} /> : null}
      </ModalDialog>
    </>
  );
};
