import type { ReactNode } from 'react';
import {
  Create, CreateButton, DataTable, FileField, FileInput, List, Loading, NumberInput, SaveButton, SelectInput, Show, TextInput,
  maxLength, minLength, minValue, maxValue, required, usePermissions, useRecordContext, useTranslate,
} from 'react-admin';
import { InstantColumn } from '../shared/columns.tsx';
import { Form, SimpleForm } from '../shared/forms.tsx';
import { API_URL } from '../shared/http.ts';
import { InstantField } from '../shared/fields.tsx';
import { compact, Fact, lines, ToneChip, useCommand } from '../replacements/ui.tsx';
import { DOCUMENT_KINDS, QUALIFICATION_STATUSES, QUALIFICATION_TONES, qualificationCommands, STOCK_KEYS } from './statuses.ts';
import { uploadFile } from './upload.ts';
import { Deadline, DeadlineField } from '../shared/deadline-field.tsx';
import { toneProps, useConfirm, type CommandTone } from '../shared/confirm.tsx';

const R = 'dealer-qualifications';

/** brand/model list (one per line) and the five documents, uploaded in chunks on save. */
const ApplicationInputs = () => (
  <>
    <TextInput source="brandModelsText" label="tempPlates.fields.brandModels" helperText="tempPlates.help.brandModels" multiline minRows={3} validate={required()} fullWidth />
    {DOCUMENT_KINDS.map((k) => (
      <FileInput key={k} source={k} label={`tempPlates.document.${k}`} accept={{ 'application/pdf': ['.pdf'], 'image/jpeg': ['.jpg', '.jpeg'], 'image/png': ['.png'] }} maxSize={5 * 1024 * 1024} validate={required()}>
        <FileField source="src" title="title" />
      </FileInput>
    ))}
  </>
);

const Intro = ({ text }: { text: string }) => {
  const translate = useTranslate();
  return <p className="muted">{translate(text)}</p>;
};

/** Uploads the chosen files; answers the bff body `{ brandModels, documents }`. */
async function applicationBody(values: Record<string, unknown>) {
  const documents: Record<string, string> = {};
  for (const k of DOCUMENT_KINDS) {
    const file = (values[k] as { rawFile?: File } | undefined)?.rawFile;
    if (file) documents[k] = await uploadFile(file, '/temp-plate-uploads');
  }
  return { brandModels: lines(values.brandModelsText), documents };
}

export const QualificationCreate = () => (
  <Create title="tempPlates.qualification.apply" transform={applicationBody} redirect="show">
    <SimpleForm>
      <Intro text="tempPlates.help.apply" />
      <ApplicationInputs />
    </SimpleForm>
  </Create>
);

const StockCell = () => {
  const r = useRecordContext();
  if (!r?.stock) return null;
  return <span>{r.stock.inStock} / {r.quota}</span>;
};

/** No qualification yet: a dealer is offered the application, the posts are told so. */
const NoQualification = ({ dealer }: { dealer: boolean }) => {
  const translate = useTranslate();
  return (
    <div className="page">
      <p>{translate('tempPlates.qualification.none')}</p>
      {dealer ? <CreateButton label="tempPlates.qualification.apply" variant="contained" /> : null}
    </div>
  );
};

export const QualificationList = () => {
  const translate = useTranslate();
  const { permissions, isPending } = usePermissions<string[]>();
  if (isPending) return <Loading />;
  const filters = [
    <SelectInput key="status" source="status" label="tempPlates.fields.status" choices={QUALIFICATION_STATUSES.map((id) => ({ id, name: translate(`tempPlates.status.${id}`) }))} alwaysOn />,
    <TextInput key="q" source="q" label="tempPlates.fields.organisationName" resettable />,
  ];
  return (
    <List title="tempPlates.qualification.title" filters={filters} sort={{ field: 'appliedAt', order: 'DESC' }}
      empty={<NoQualification dealer={(permissions ?? []).includes('dealer')} />}
      actions={(permissions ?? []).includes('dealer') ? <CreateButton label="tempPlates.qualification.apply" /> : false}>
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="organisationName" label="tempPlates.fields.organisationName" />
        <DataTable.Col source="status" label="tempPlates.fields.status">
          <ToneChip source="status" prefix="tempPlates.status" tones={QUALIFICATION_TONES} />
        </DataTable.Col>
        {/* issue 18: the last valid day as every deadline reads, with the time left while it runs */}
        <DataTable.Col source="validUntil" label="tempPlates.fields.validUntil">
          <DeadlineField source="validUntil" doneWhen={(q) => !['active', 'suspended'].includes(String(q.status))} />
        </DataTable.Col>
        <DataTable.Col source="quota" label="tempPlates.fields.stockOfQuota" disableSort>
          <StockCell />
        </DataTable.Col>
        <InstantColumn source="appliedAt" label="tempPlates.fields.appliedAt" />
      </DataTable>
    </List>
  );
};

const QualificationDetails = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  if (!r) return null;
  return (
    <>
      <div className="show-grid">
        <Fact label="tempPlates.fields.organisationName">{r.organisationName}</Fact>
        <Fact label="tempPlates.fields.organisationCode"><span className="mono">{r.organisationCode}</span></Fact>
        <Fact label="tempPlates.fields.legalRep">{r.legalRepName} {r.legalRepPhoneMasked}</Fact>
        <Fact label="tempPlates.fields.status"><ToneChip source="status" prefix="tempPlates.status" tones={QUALIFICATION_TONES} /></Fact>
        <Fact label="tempPlates.fields.validity">
          {r.validFrom ? (
            <>
              {r.validFrom} ~ <Deadline value={r.validUntil} done={!['active', 'suspended'].includes(String(r.status))} />
            </>
          ) : null}
        </Fact>
        <Fact label="tempPlates.fields.renewalWindow">{r.renewalWindow ? `${r.renewalWindow.opensOn} ~ ${r.renewalWindow.closesOn}` : null}</Fact>
        <Fact label="tempPlates.fields.quota">{r.quota}</Fact>
        <Fact label="tempPlates.fields.brandModels">{(r.brandModels as string[]).join(translate('app.common.separator'))}</Fact>
        <Fact label="tempPlates.fields.counters">{translate('tempPlates.counters', { mismatches: r.mismatchCount, damage: r.damageCount })}</Fact>
        {r.reapplyAfter ? <Fact label="tempPlates.fields.reapplyAfter">{r.reapplyAfter}</Fact> : null}
        {r.suspendReason ? <Fact label="tempPlates.fields.suspendReason">{r.suspendReason}</Fact> : null}
        {r.endReason ? <Fact label="tempPlates.fields.endReason">{r.endReason}</Fact> : null}
      </div>
      {r.explanation?.required ? (
        <div className="notice notice-warning" role="status">
          <p>{translate(`tempPlates.explanation.required_${r.explanation.reason}`)}</p>
          {r.explanation.text ? <p>{translate('tempPlates.explanation.given')}：{r.explanation.text}</p> : null}
        </div>
      ) : null}
    </>
  );
};

/** The stock of as counted by the platform: handed out = the sum of the rest. */
export const StockTable = ({ stock, title }: { stock: Record<string, number>; title: string }) => {
  const translate = useTranslate();
  return (
    <table className="plain-table" aria-label={translate(title)}>
      <thead>
        <tr>{STOCK_KEYS.map((k) => <th key={k} scope="col">{translate(`tempPlates.stock.${k}`)}</th>)}</tr>
      </thead>
      <tbody>
        <tr>{STOCK_KEYS.map((k) => <td key={k}>{stock[k]}</td>)}</tr>
      </tbody>
    </table>
  );
};

const Documents = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  if (!r?.pendingReview) return null;
  return (
    <section aria-labelledby="docs-heading">
      <h2 id="docs-heading" className="section-heading">{translate(`tempPlates.review.${r.pendingReview.kind}`)}</h2>
      <p>{translate('tempPlates.fields.brandModels')}：{(r.pendingReview.brandModels as string[]).join(translate('app.common.separator'))}</p>
      <ul>
        {(r.pendingReview.documents as { kind: string; fileName: string }[]).map((d) => (
          <li key={d.kind}>
            <a href={`${API_URL}/${R}/${encodeURIComponent(String(r.id))}/documents/${d.kind}`} target="_blank" rel="noopener noreferrer">
              {translate(`tempPlates.document.${d.kind}`)}（{d.fileName}）
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
};

const HandOutCheck = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  const { permissions } = usePermissions<string[]>();
  if (!r?.handOutCheck || !(permissions ?? []).includes('intake')) return null;
  return (
    <section aria-labelledby="check-heading">
      <h2 id="check-heading" className="section-heading">{translate('tempPlates.handOut.records')}</h2>
      <p>{translate('tempPlates.handOut.damagedKept')}：{r.handOutCheck.damagedKeptNos.length ? r.handOutCheck.damagedKeptNos.join(translate('app.common.separator')) : translate('app.common.none')}</p>
      <p>{translate('tempPlates.handOut.issuedSinceLast')}：{r.handOutCheck.issuedSinceLast}</p>
      {r.status === 'active' ? <CreateButton resource="temp-plate-batches" label="tempPlates.handOut.button" state={{ record: { qualificationId: r.id } }} /> : null}
    </section>
  );
};

/** Commands that confirm with their consequence first (issue 18); the dealer's own submissions do not. */
const CONSEQUENCES: Record<string, string> = {
  approve: 'approve', reject: 'reject', revoke: 'revoke', reinstate: 'reinstate', 'set-quota': 'set_quota', 'accept-explanation': 'accept_explanation',
};
/** Side by side, the commands are never identical blue buttons: approving is the one filled button, ending ones are red. */
const TONES: Record<string, CommandTone> = { approve: 'primary', reject: 'destructive', revoke: 'destructive', renew: 'primary', explain: 'primary' };

const CommandForm = ({ action, label, fields, children, defaults = {} }: { action: string; label: string; fields: string[]; children?: ReactNode; defaults?: Record<string, unknown> }) => {
  const r = useRecordContext();
  const translate = useTranslate();
  const run = useCommand(R);
  const { ask, dialog } = useConfirm();
  if (!r) return null;
  const tone = TONES[action] ?? 'neutral';
  const consequence = CONSEQUENCES[action];
  return (
    <section aria-labelledby={`cmd-${action}`} className="step-form">
      <h3 id={`cmd-${action}`} className="section-heading">{translate(label)}</h3>
      <Form record={{}} defaultValues={defaults} onSubmit={async (v: Record<string, unknown>) => {
        if (consequence) {
          const ok = await ask({
            title: 'tempPlates.consequence.title', consequence: `tempPlates.consequence.${consequence}`,
            params: { command: translate(label), name: r.organisationName }, confirm: label, tone,
          });
          if (!ok) return undefined;
        }
        return run(r.id, action, action === 'renew' ? await applicationBody(v) : compact(Object.fromEntries(fields.map((k) => [k, v[k]]))), 'tempPlates.done');
      }}>
        {children}
        <SaveButton label={label} icon={<span />} {...toneProps(tone)} alwaysEnable />
      </Form>
      {dialog}
    </section>
  );
};

const Commands = () => {
  const r = useRecordContext();
  const { permissions, isPending } = usePermissions<string[]>();
  if (!r || isPending) return null;
  const c = qualificationCommands(permissions ?? [], { status: r.status, explanationRequired: r.explanation?.required === true, pendingReview: r.pendingReview !== null });
  const initial = r.pendingReview?.kind === 'initial';
  return (
    <>
      {c.approve ? (
        <CommandForm action="approve" fields={['quota', 'note']} label={initial ? 'tempPlates.command.approve' : 'tempPlates.command.approve_renewal'}>
          <NumberInput source="quota" label="tempPlates.fields.quota" helperText="tempPlates.help.quota" validate={initial ? [required(), minValue(1), maxValue(10000)] : [minValue(1), maxValue(10000)]} />
          <TextInput source="note" label="tempPlates.fields.note" validate={maxLength(200)} fullWidth />
        </CommandForm>
      ) : null}
      {c.reject ? (
        <CommandForm action="reject" fields={['note']} label="tempPlates.command.reject">
          <TextInput source="note" label="tempPlates.fields.note" validate={[required(), minLength(2), maxLength(200)]} fullWidth />
        </CommandForm>
      ) : null}
      {c.acceptExplanation ? (
        <CommandForm action="accept-explanation" fields={['note']} label="tempPlates.command.accept_explanation">
          <TextInput source="note" label="tempPlates.fields.note" validate={maxLength(200)} fullWidth />
        </CommandForm>
      ) : null}
      {c.reinstate ? (
        <CommandForm action="reinstate" fields={['note']} label="tempPlates.command.reinstate">
          <TextInput source="note" label="tempPlates.fields.note" validate={maxLength(200)} fullWidth />
        </CommandForm>
      ) : null}
      {c.setQuota ? (
        <CommandForm action="set-quota" fields={['quota']} label="tempPlates.command.set_quota" defaults={{ quota: r.quota }}>
          <NumberInput source="quota" label="tempPlates.fields.quota" validate={[required(), minValue(0), maxValue(10000)]} />
        </CommandForm>
      ) : null}
      {c.revoke ? (
        <CommandForm action="revoke" fields={['reason']} label="tempPlates.command.revoke">
          <TextInput source="reason" label="tempPlates.fields.reason" helperText="tempPlates.help.revoke" validate={[required(), minLength(2), maxLength(200)]} fullWidth />
        </CommandForm>
      ) : null}
      {c.explain ? (
        <CommandForm action="explain" fields={['text']} label="tempPlates.command.explain">
          <TextInput source="text" label="tempPlates.fields.explanation" multiline minRows={3} validate={[required(), minLength(5), maxLength(1000)]} fullWidth />
        </CommandForm>
      ) : null}
      {c.renew ? (
        <CommandForm action="renew" fields={[]} label="tempPlates.command.renew" defaults={{ brandModelsText: (r.brandModels as string[]).join('\n') }}>
          <ApplicationInputs />
        </CommandForm>
      ) : null}
    </>
  );
};

const Reviews = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  if (!r?.reviews?.length) return null;
  return (
    <section aria-labelledby="reviews-heading">
      <h2 id="reviews-heading" className="section-heading">{translate('tempPlates.review.history')}</h2>
      <table className="plain-table">
        <thead>
          <tr>
            <th scope="col">{translate('tempPlates.review.kind')}</th>
            <th scope="col">{translate('tempPlates.fields.status')}</th>
            <th scope="col">{translate('tempPlates.review.submittedAt')}</th>
            <th scope="col">{translate('tempPlates.fields.note')}</th>
          </tr>
        </thead>
        <tbody>
          {(r.reviews as { id: string; kind: string; status: string; submittedAt: string; note: string }[]).map((v) => (
            <tr key={v.id}>
              <td>{translate(`tempPlates.review.${v.kind}`)}</td>
              <td>{translate(`tempPlates.review.status.${v.status}`)}</td>
              <td><InstantField source="submittedAt" record={{ id: v.id, submittedAt: v.submittedAt }} /></td>
              <td>{v.note}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
};

const StockSection = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  if (!r?.stock) return null;
  return (
    <section aria-labelledby="stock-heading">
      <h2 id="stock-heading" className="section-heading">{translate('tempPlates.stock.heading')}</h2>
      <StockTable stock={r.stock} title="tempPlates.stock.heading" />
      <p className={r.stock.balanced ? 'muted' : 'notice notice-error'}>{translate(r.stock.balanced ? 'tempPlates.stock.balanced' : 'tempPlates.stock.unbalanced')}</p>
    </section>
  );
};

export const QualificationShow = () => (
  <Show title="tempPlates.qualification.title" emptyWhileLoading>
    <div className="page">
      <QualificationDetails />
      <Documents />
      <HandOutCheck />
      <Commands />
      <StockSection />
      <Reviews />
    </div>
  </Show>
);

