import { CreateButton, DataTable, List, SelectInput, TopToolbar, useTranslate } from 'react-admin';
import { InstantColumn, OpenColumn } from '../shared/columns.tsx';
import { EnumField, StatusChip } from '../shared/fields.tsx';
import { PLAN_STATUSES, PLAN_STATUS_TONES, PLATE_KINDS, buildPercent } from './lifecycle.ts';

const useChoices = (field: string, values: readonly string[]) => {
  const translate = useTranslate();
  return values.map((id) => ({ id, name: translate(`resources.plate-plans.${field}.${id}`, { _: id }) }));
};

const Actions = () => (
  <TopToolbar>
    <CreateButton />
  </TopToolbar>
);

/** 号段启用计划: the authority's segment plans, the next start first among the newest. */
export const PlatePlanList = () => {
  const translate = useTranslate();
  const filters = [
    <SelectInput key="status" source="status" choices={useChoices('status', PLAN_STATUSES)} alwaysOn />,
    <SelectInput key="plateKind" source="plateKind" choices={useChoices('plateKind', PLATE_KINDS)} alwaysOn />,
  ];
  return (
    <List filters={filters} sort={{ field: 'startAt', order: 'DESC' }} perPage={25} actions={<Actions />}>
      <DataTable rowClick="show" bulkActionButtons={false}>
        {/* sortable columns are the bff's whitelist (bff/src/modules/plates/admin.routes.ts) */}
        <InstantColumn source="startAt" />
        <DataTable.Col source="pattern" disableSort render={(r) => <span className="mono">{`${r.prefix} ${r.pattern}`}</span>} />
        <DataTable.Col source="plateKind" disableSort>
          <EnumField source="plateKind" resource="plate-plans" />
        </DataTable.Col>
        <DataTable.NumberCol source="size" />
        <DataTable.Col source="status">
          <StatusChip source="status" resource="plate-plans" tones={PLAN_STATUS_TONES} />
        </DataTable.Col>
        <DataTable.Col
          source="poolSize"
          disableSort
          render={(r) =>
            r.status === 'building'
              ? translate('plates.build.progress', { percent: buildPercent(r.build) })
              : r.poolSize > 0
                ? r.poolSize.toLocaleString()
                : '—'
          }
        />
        <DataTable.Col source="latestPublicationDay" disableSort />
        <OpenColumn />
      </DataTable>
    </List>
  );
};
