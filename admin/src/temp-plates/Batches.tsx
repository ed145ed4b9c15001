import type { ReactNode } from 'react';
import {
  AutocompleteInput, BooleanInput, Create, DataTable, FileField, FileInput, FormDataConsumer, List, NumberInput, ReferenceInput, Show, TextField, TextInput,
  maxValue, minValue, required, useGetOne, useRecordContext, useSaveContext, useTranslate,
} from 'react-admin';
import type { FieldValues } from 'react-hook-form';
import { useConfirm } from '../shared/confirm.tsx';
import { InstantColumn } from '../shared/columns.tsx';
import { SimpleForm } from '../shared/forms.tsx';
import { InstantField } from '../shared/fields.tsx';
import { Fact, lines, ToneChip } from '../replacements/ui.tsx';
import { CHECK_TONES, HAND_OUT_DOCUMENT_KINDS } from './statuses.ts';
import { uploadFile } from './upload.ts';

/** what the records show for the chosen dealer, beside what it hands in. */
const RecordsOf = ({ qualificationId }: { qualificationId?: string }) => {
  const translate = useTranslate();
  const { data } = useGetOne('dealer-qualifications', { id: qualificationId ?? '' }, { enabled: Boolean(qualificationId) });
  if (!data) return null;
  const check = data.handOutCheck as { damagedKeptNos: string[]; issuedSinceLast: number } | null;
  return (
    <div className="notice notice-info" role="status" aria-live="polite">
      <p>{translate('tempPlates.handOut.quotaNow', { quota: data.quota, inStock: data.stock.inStock, available: Math.max(0, data.quota - data.stock.inStock) })}</p>
      {check ? (
        <>
          <p>{translate('tempPlates.handOut.damagedKept')}：{check.damagedKeptNos.length ? check.damagedKeptNos.join(translate('app.common.separator')) : translate('app.common.none')}</p>
          <p>{translate('tempPlates.handOut.issuedSinceLast')}：{check.issuedSinceLast}</p>
        </>
      ) : null}
    </div>
  );
};

/** the collector's documents, uploaded in chunks on save; answers their upload ids by kind. */
async function handOutDocuments(values: Record<string, unknown>) {
  const chosen = (values.documents ?? {}) as Record<string, { rawFile?: File } | undefined>;
  const documents: Record<string, string> = {};
  for (const k of HAND_OUT_DOCUMENT_KINDS) {
    const file = chosen[k]?.rawFile;
    if (file) documents[k] = await uploadFile(file, '/temp-plate-handout-uploads');
  }
  return documents;
}

const DocumentsHeading = () => {
  const translate = useTranslate();
  return <h2 className="section-heading">{translate('tempPlates.handOut.documents')}</h2>;
};

/** 受理岗 hands out numbered blanks; "network down" defers the check. */
export const BatchCreate = () => (
  <Create
    title="tempPlates.handOut.title"
    redirect="show"
    transform={async (v: Record<string, unknown>) => ({
      qualificationId: v.qualificationId,
      quantity: v.quantity,
      returnedDamagedNos: lines(v.returnedDamagedText),
      issuedSinceLast: v.issuedSinceLast ?? 0,
      materialsComplete: v.materialsComplete === true,
      deferCheck: v.deferCheck === true,
      documents: await handOutDocuments(v),
    })}
  >
    <HandOutForm>
      <ReferenceInput source="qualificationId" reference="dealer-qualifications" filter={{ status: 'active' }}>
        <AutocompleteInput optionText="organisationName" label="tempPlates.fields.dealer" validate={required()} />
      </ReferenceInput>
      <FormDataConsumer>{({ formData }) => <RecordsOf qualificationId={formData.qualificationId} />}</FormDataConsumer>
      <DocumentsHeading />
      {HAND_OUT_DOCUMENT_KINDS.map((k) => (
        <FileInput key={k} source={`documents.${k}`} label={`tempPlates.document.${k}`} accept={{ 'application/pdf': ['.pdf'], 'image/jpeg': ['.jpg', '.jpeg'], 'image/png': ['.png'] }} maxSize={5 * 1024 * 1024} validate={required()}>
          <FileField source="src" title="title" />
        </FileInput>
      ))}
      <NumberInput source="quantity" label="tempPlates.fields.quantity" validate={[required(), minValue(1), maxValue(10000)]} />
      <TextInput source="returnedDamagedText" label="tempPlates.handOut.returnedDamaged" helperText="tempPlates.help.returnedDamaged" multiline minRows={2} fullWidth />
      <NumberInput source="issuedSinceLast" label="tempPlates.handOut.issuedSinceLastDeclared" validate={[required(), minValue(0)]} />
      <BooleanInput source="materialsComplete" label="tempPlates.handOut.materialsComplete" />
      <BooleanInput source="deferCheck" label="tempPlates.handOut.deferCheck" helperText="tempPlates.help.deferCheck" />
    </HandOutForm>
  </Create>
);

/**
 * issue 18: the hand-out confirms with its consequence before the Create saves —
 * the blanks become the dealer's stock at once and are not taken back by the console.
 */
const HandOutForm = ({ children }: { children: ReactNode }) => {
  const save = useSaveContext()?.save;
  const { ask, dialog } = useConfirm();
  const submit = async (v: FieldValues) => {
    const ok = await ask({ title: 'tempPlates.consequence.hand_out_title', consequence: v.deferCheck === true ? 'tempPlates.consequence.hand_out_deferred' : 'tempPlates.consequence.hand_out', params: { quantity: v.quantity }, confirm: 'tempPlates.handOut.button', tone: 'primary' });
    return ok ? save?.(v) : undefined;
  };
  return (
    <>
      <SimpleForm defaultValues={{ issuedSinceLast: 0, materialsComplete: false, deferCheck: false, returnedDamagedText: '' }} onSubmit={submit}>
        {children}
      </SimpleForm>
      {dialog}
    </>
  );
};

export const BatchList = () => (
  <List title="tempPlates.handOut.list" sort={{ field: 'handedOutAt', order: 'DESC' }} exporter={false}>
    <DataTable rowClick="show" bulkActionButtons={false}>
      <InstantColumn source="handedOutAt" label="tempPlates.fields.handedOutAt" />
      <DataTable.Col source="organisationName" label="tempPlates.fields.organisationName" disableSort />
      <DataTable.NumberCol source="quantity" label="tempPlates.fields.quantity" disableSort />
      <DataTable.Col source="firstPlateNo" label="tempPlates.fields.numbers" disableSort>
        <Numbers />
      </DataTable.Col>
      <DataTable.Col source="checkStatus" label="tempPlates.fields.checkStatus" disableSort>
        <ToneChip source="checkStatus" prefix="tempPlates.check" tones={CHECK_TONES} />
      </DataTable.Col>
    </DataTable>
  </List>
);

const Numbers = () => {
  const r = useRecordContext();
  if (!r) return null;
  return <span className="mono">{r.firstPlateNo} – {r.lastPlateNo}</span>;
};

export const BatchShow = () => (
  <Show title="tempPlates.handOut.list" emptyWhileLoading>
    <BatchDetails />
  </Show>
);

const BatchDetails = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  if (!r) return null;
  return (
    <div className="page show-grid">
      <Fact label="tempPlates.fields.organisationName">{r.organisationName}</Fact>
      <Fact label="tempPlates.fields.numbers"><Numbers /></Fact>
      <Fact label="tempPlates.fields.quantity">{r.quantity}</Fact>
      <Fact label="tempPlates.fields.handedOutAt"><InstantField source="handedOutAt" /> {r.handedOutBy}</Fact>
      <Fact label="tempPlates.fields.checkStatus"><ToneChip source="checkStatus" prefix="tempPlates.check" tones={CHECK_TONES} /></Fact>
      <Fact label="tempPlates.handOut.returnedDamaged">{r.declared.returnedDamagedNos.join(translate('app.common.separator')) || null}</Fact>
      <Fact label="tempPlates.handOut.issuedSinceLastDeclared">{r.declared.issuedSinceLast}</Fact>
      <Fact label="tempPlates.fields.checkResult"><TextField source="checkResult.problems" emptyText="app.common.none" /></Fact>
      <Fact label="tempPlates.handOut.documents">{(r.documents as { kind: string }[] | undefined)?.map((d) => translate(`tempPlates.document.${d.kind}`)).join(translate('app.common.separator')) || null}</Fact>
    </div>
  );
};
