import { useEffect, useState } from 'react';
import {
  SaveButton, SelectInput, TextInput, maxLength, minLength, required, useDataProvider, useNotify, usePermissions, useRecordContext, useRefresh, useTranslate,
} from 'react-admin';
import { Form } from '../shared/forms.tsx';
import type { AdminDataProvider } from '../shared/data-provider.ts';
import { useConfirm } from '../shared/confirm.tsx';
import { useRefusal } from '../shared/use-refusal.ts';
import { counterBindings, counterCancel, counterUnbind, type CounterAction, type CounterBindings, type CounterIdentity } from '../account-applications/commands.ts';

const ID_TYPES = ['resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit', 'foreign_permanent_id', 'military_id'] as const;

/** The identity document read at the counter: the holder's own; for a unit, its agent's and the unit's code (R-16.2, R-20.1.1). */
const IdentityInputs = ({ organisation, prefix }: { organisation: boolean; prefix: string }) => {
  const t = useTranslate();
  return (
    <>
      <p className="muted">{t(organisation ? 'accounts.counter_desk.identity_help_organisation' : 'accounts.counter_desk.identity_help')}</p>
      <SelectInput id={`${prefix}-idType`} source="identity.idType" label="accounts.counter_desk.id_type" choices={ID_TYPES.map((id) => ({ id, name: t(`accounts.id_type.${id}`) }))} validate={required()} />
      <TextInput id={`${prefix}-idNumber`} source="identity.idNumber" label="accounts.counter_desk.id_number" validate={[required(), minLength(5), maxLength(30)]} />
      <TextInput id={`${prefix}-name`} source="identity.name" label={organisation ? 'accounts.counter_desk.agent_name' : 'accounts.counter_desk.name'} validate={[required(), minLength(2), maxLength(30)]} />
      {organisation ? <TextInput id={`${prefix}-uscc`} source="identity.uscc" label="accounts.counter_desk.uscc" validate={[required(), minLength(18), maxLength(18)]} /> : null}
    </>
  );
};

const identityOf = (v: Record<string, unknown>): CounterIdentity => {
  const i = (v.identity ?? {}) as Record<string, unknown>;
  return { idType: String(i.idType ?? ''), idNumber: String(i.idNumber ?? ''), name: String(i.name ?? ''), ...(i.uscc ? { uscc: String(i.uscc) } : {}) };
};

/**
 * 窗口解绑 / 窗口注销 (issue 18; R-15, R-19.1, R-20.1, R-21.2): 受理岗 reads the
 * holder's identity document, picks the binding to end or cancels the whole
 * account; a dialog states the consequence first, and the answer's reference
 * number stays on the page for the holder's receipt.
 */
export const CounterDesk = () => {
  const record = useRecordContext();
  const t = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const refused = useRefusal();
  const dp = useDataProvider<AdminDataProvider>();
  const { permissions } = usePermissions<string[]>();
  const { ask, dialog } = useConfirm();
  const [bindings, setBindings] = useState<CounterBindings | null>(null);
  const [done, setDone] = useState<CounterAction | null>(null);
  const intake = (permissions ?? []).includes('intake');
  const live = record && record.status !== 'cancelled';

  useEffect(() => {
    if (!record || !intake || !live) return;
    let gone = false;
    counterBindings(record.id).then((b) => !gone && setBindings(b), () => !gone && setBindings({ vehicles: [], licences: [] }));
    return () => {
      gone = true;
    };
  }, [record, intake, live, done]);

  if (!record || !intake) return null;
  const organisation = record.kind === 'organisation';
  const receipt = done ? (
    <p className="notice notice-success" role="status" data-testid="counter-desk-receipt">
      {t(done.kind === 'cancel' ? 'accounts.counter_desk.cancelled' : 'accounts.counter_desk.unbound', { reference: done.reference, target: done.plateNo ?? done.licenceNoMasked ?? '' })}
    </p>
  ) : null;
  if (!live) return receipt;

  const choices = [
    ...(bindings?.vehicles ?? []).map((v) => ({ id: `vehicle:${v.id}`, name: `${v.plateNo ?? '—'} ${v.brandModel}（${t(`accounts.counter_desk.binding_kind.${v.kind}`)}）` })),
    ...(bindings?.licences ?? []).map((l) => ({ id: `licence:${l.id}`, name: `${t('accounts.counter_desk.licence')} ${l.licenceNoMasked} ${l.classes} ${l.holderNameMasked}` })),
  ];
  const run = async (call: () => Promise<CounterAction>) => {
    try {
      const a = await call();
      setDone(a);
      notify(a.kind === 'cancel' ? 'accounts.counter_desk.cancelled' : 'accounts.counter_desk.unbound', { type: 'success', messageArgs: { reference: a.reference, target: a.plateNo ?? a.licenceNoMasked ?? '' } });
      refresh();
      return undefined;
    } catch (error) {
      return refused(error);
    }
  };

  return (
    <section aria-labelledby="counter-desk-heading" style={{ width: '100%' }}>
      <h2 id="counter-desk-heading" className="section-heading">{t('accounts.counter_desk.heading')}</h2>
      <p className="notice notice-info">{t('accounts.counter_desk.help')}</p>
      {receipt}
      <h3 id="counter-unbind-heading">{t('accounts.counter_desk.unbind_heading')}</h3>
      {bindings && choices.length === 0 ? (
        <p className="muted">{t('accounts.counter_desk.no_bindings')}</p>
      ) : (
        <Form
          defaultValues={{ identity: { idType: 'resident_id' } }}
          onSubmit={async (v: Record<string, unknown>) => {
            const [kind, id] = String(v.binding ?? '').split(':');
            const target = choices.find((c) => c.id === v.binding)?.name ?? '';
            const ok = await ask({ title: 'accounts.counter_desk.unbind_title', consequence: 'accounts.counter_desk.unbind_consequence', params: { target, name: record.name }, confirm: 'accounts.counter_desk.unbind_submit', tone: 'destructive' });
            if (!ok) return undefined;
            return run(() => counterUnbind(dp, record.id, { ...(kind === 'licence' ? { licenceId: id } : { vehicleId: id }), identity: identityOf(v), ...(v.note ? { note: String(v.note) } : {}) }));
          }}
        >
          <SelectInput id="unbind-binding" source="binding" label="accounts.counter_desk.binding" choices={choices} validate={required()} />
          <IdentityInputs organisation={organisation} prefix="unbind" />
          <TextInput id="unbind-note" source="note" label="accounts.field.note" fullWidth multiline validate={maxLength(500)} />
          <SaveButton label="accounts.counter_desk.unbind_submit" alwaysEnable icon={<span />} />
        </Form>
      )}
      <h3 id="counter-cancel-heading">{t('accounts.counter_desk.cancel_heading')}</h3>
      <Form
        defaultValues={{ identity: { idType: 'resident_id' } }}
        onSubmit={async (v: Record<string, unknown>) => {
          const ok = await ask({ title: 'accounts.counter_desk.cancel_title', consequence: 'accounts.counter_desk.cancel_consequence', params: { name: record.name }, confirm: 'accounts.counter_desk.cancel_submit', tone: 'destructive' });
          if (!ok) return undefined;
          return run(() => counterCancel(dp, record.id, { identity: identityOf(v), ...(v.note ? { note: String(v.note) } : {}) }));
        }}
      >
        <IdentityInputs organisation={organisation} prefix="cancel" />
        <TextInput id="cancel-note" source="note" label="accounts.field.note" fullWidth multiline validate={maxLength(500)} />
        <SaveButton label="accounts.counter_desk.cancel_submit" color="error" alwaysEnable icon={<span />} />
      </Form>
      {dialog}
    </section>
  );
};
