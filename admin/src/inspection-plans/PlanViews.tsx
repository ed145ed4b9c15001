import {
  ArrayInput,
  Create,
  CreateButton,
  DataTable,
  DateInput,
  Edit,
  EditButton,
  List,
  NumberInput,
  SelectInput,
  Show,
  SimpleFormIterator,
  TextInput,
  TopToolbar,
  maxLength,
  minValue,
  required,
  useGetList,
  useRecordContext,
  useTranslate,
  type RaRecord,
} from 'react-admin';
import { InstantColumn, OpenColumn } from '../shared/columns.tsx';
import { SimpleForm } from '../shared/forms.tsx';
import { planBody } from '../inspection-slots/rules.ts';
import { useInspectionScope } from '../inspection-slots/use-scope.ts';
import { CityPanel, FileButton, ProvincePanel } from './AuthorityPanels.tsx';
import '../inspection-slots/inspections.css';

type Entry = { stationId: string; stationName: string; quotaPerSlot: number; fromDay: string; toDay: string; vehicleTypes: string[]; maxAxleLoadKg: number | null; brakeTypes: string[] };
type Plan = RaRecord & { cityName: string; status: 'draft' | 'filed'; note: string; entries: Entry[]; updatedAt: string; filedAt: string | null; publishedVersion: number | null; inForce: boolean };

const Translated = ({ k }: { k: string }) => {
  const translate = useTranslate();
  return <>{translate(k)}</>;
};

const ListActions = () => {
  const scope = useInspectionScope();
  return <TopToolbar>{scope?.canSwitchCity ? <CreateButton /> : null}</TopToolbar>;
};

/** 异地检验计划: the city switch (R-36.1), the cities' plans (R-36.2.1) and the province's publication (R-36.2.2). */
export const PlanList = () => (
  <>
    <CityPanel />
    <ProvincePanel />
    <List sort={{ field: 'updatedAt', order: 'DESC' }} perPage={25} actions={<ListActions />} empty={false} title="inspections.plans.title">
      <DataTable bulkActionButtons={false} rowClick="show">
        <DataTable.Col source="cityName" label="inspections.plan.city" />
        <DataTable.Col
          source="status"
          label="inspections.plan.status"
          disableSort
          render={(r: Plan) => (
            <span className={`chip ${r.status === 'filed' ? 'chip-info' : 'chip-neutral'}`}>
              <Translated k={`inspections.planStatus.${r.status}`} />
            </span>
          )}
        />
        <DataTable.Col label="inspections.plan.entries" disableSort render={(r: Plan) => r.entries.map((e) => `${e.stationName}×${e.quotaPerSlot}`).join('、')} />
        <InstantColumn source="updatedAt" label="inspections.plan.updatedAt" />
        <DataTable.Col label="inspections.plan.publishedVersion" disableSort render={(r: Plan) => (r.publishedVersion ? `v${r.publishedVersion}` : '—')} />
        <DataTable.Col
          label="inspections.plan.inForce"
          disableSort
          render={(r: Plan) => (r.inForce ? <span className="chip chip-success"><Translated k="inspections.plan.yes" /></span> : <Translated k="inspections.plan.no" />)}
        />
        <OpenColumn />
      </DataTable>
    </List>
  </>
);

const PlanFields = () => {
  const { data: stations } = useGetList<RaRecord & { name: string }>('inspection-stations', { pagination: { page: 1, perPage: 100 }, sort: { field: 'name', order: 'ASC' } });
  return (
    <>
      <TextInput source="note" label="inspections.plan.note" multiline fullWidth validate={maxLength(1000)} />
      <ArrayInput source="entries" label="inspections.plan.entries" validate={required()}>
        <SimpleFormIterator inline disableReordering>
          <SelectInput source="stationId" label="inspections.plan.station" validate={required()} choices={(stations ?? []).map((s) => ({ id: s.id, name: s.name }))} />
          <NumberInput source="quotaPerSlot" label="inspections.plan.quotaPerSlot" validate={[required(), minValue(1)]} step={1} />
          <DateInput source="fromDay" label="inspections.plan.fromDay" validate={required()} />
          <DateInput source="toDay" label="inspections.plan.toDay" validate={required()} />
        </SimpleFormIterator>
      </ArrayInput>
    </>
  );
};

/** the city's 管理岗 prepares its plan (a draft until filed). */
export const PlanCreate = () => (
  <Create redirect="show" transform={planBody} title="inspections.plans.title">
    <SimpleForm defaultValues={{ note: '', entries: [{ quotaPerSlot: 2 }] }}>
      <PlanFields />
    </SimpleForm>
  </Create>
);

export const PlanEdit = () => (
  <Edit redirect="show" transform={planBody} mutationMode="pessimistic" title="inspections.plans.title">
    <SimpleForm>
      <PlanFields />
    </SimpleForm>
  </Edit>
);

const PlanDetail = () => {
  const record = useRecordContext<Plan>();
  const translate = useTranslate();
  const scope = useInspectionScope();
  if (!record) return null;
  const cityStaff = Boolean(scope?.canSwitchCity);
  return (
    <div className="page">
      <h2 className="section-heading">
        {record.cityName}{' '}
        <span className={`chip ${record.status === 'filed' ? 'chip-info' : 'chip-neutral'}`}>{translate(`inspections.planStatus.${record.status}`)}</span>{' '}
        {record.inForce ? <span className="chip chip-success">{translate('inspections.plan.inForce')}</span> : null}
      </h2>
      {record.note ? <p>{record.note}</p> : null}
      <div className="table-scroll" tabIndex={0} aria-label={translate('inspections.plan.entries')}>
        <table className="plain-table">
          <thead>
            <tr>
              <th scope="col">{translate('inspections.plan.station')}</th>
              <th scope="col">{translate('inspections.plan.quotaPerSlot')}</th>
              <th scope="col">{translate('inspections.plan.fromDay')}</th>
              <th scope="col">{translate('inspections.plan.toDay')}</th>
              <th scope="col">{translate('inspections.plan.tests')}</th>
            </tr>
          </thead>
          <tbody>
            {record.entries.map((e) => (
              <tr key={e.stationId}>
                <td>{e.stationName}</td>
                <td>{e.quotaPerSlot}</td>
                <td>{e.fromDay}</td>
                <td>{e.toDay}</td>
                <td>
                  {e.vehicleTypes.join('、')} · {e.maxAxleLoadKg ?? '—'} kg · {e.brakeTypes.map((b) => translate(`inspections.brakeType.${b}`)).join('、')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {record.status === 'draft' && cityStaff ? (
        <div className="dialog-actions">
          <EditButton />
          <FileButton planId={String(record.id)} />
        </div>
      ) : null}
    </div>
  );
};

export const PlanShow = () => (
  <Show title="inspections.plans.title">
    <PlanDetail />
  </Show>
);
