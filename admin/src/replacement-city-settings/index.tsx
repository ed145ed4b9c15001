import { CheckboxGroupInput, DataTable, useRecordContext, useTranslate } from 'react-admin';
import { CitySettingEdit, CitySettingList, type CitySettingLabels } from '../shared/city-settings.tsx';
import { ONLINE_PLATE_KINDS } from '../replacements/statuses.ts';

const LABELS: CitySettingLabels = {
  title: 'replacements.settings.title',
  city: 'replacements.settings.city',
  note: 'replacements.fields.note',
  updatedAt: 'replacements.settings.updatedAt',
};

const Kinds = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  const kinds: string[] = Array.isArray(r?.onlinePlateKinds) ? r.onlinePlateKinds : [];
  if (kinds.length === 0) return <span className="muted">{translate('replacements.settings.none')}</span>;
  return <span>{kinds.map((k) => translate(`replacements.plate_kind.${k}`, { _: k })).join(translate('app.common.separator'))}</span>;
};

/** which plate kinds each city replaces online (管理岗). */
const ReplacementCitySettingList = () => (
  <CitySettingList labels={LABELS}>
    <DataTable.Col source="onlinePlateKinds" label="replacements.settings.kinds" disableSort>
      <Kinds />
    </DataTable.Col>
  </CitySettingList>
);

const ReplacementCitySettingEdit = () => {
  const translate = useTranslate();
  const choices = ONLINE_PLATE_KINDS.map((id) => ({ id, name: translate(`replacements.plate_kind.${id}`) }));
  return (
    <CitySettingEdit labels={LABELS}>
      <CheckboxGroupInput source="onlinePlateKinds" label="replacements.settings.kinds" choices={choices} helperText="replacements.settings.help" />
    </CitySettingEdit>
  );
};

/** 网上补换领号牌种类 (replacement-city-settings): list + edit, 管理岗. */
export default {
  list: ReplacementCitySettingList,
  edit: ReplacementCitySettingEdit,
  options: { label: 'replacements.settings.menu' },
};
