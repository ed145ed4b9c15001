import { BooleanInput, DataTable, useRecordContext, useTranslate } from 'react-admin';
import { CitySettingEdit, CitySettingList, type CitySettingLabels } from '../shared/city-settings.tsx';

const LABELS: CitySettingLabels = {
  title: 'tempPlates.settings.title',
  city: 'tempPlates.settings.city',
  note: 'tempPlates.fields.note',
  updatedAt: 'tempPlates.fields.updatedAt',
};

const Enabled = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  if (!r) return null;
  return <span className={`chip chip-${r.dealersEnabled ? 'success' : 'neutral'}`}>{translate(r.dealersEnabled ? 'tempPlates.settings.on' : 'tempPlates.settings.off')}</span>;
};

/** whether a city entrusts car dealers with temporary plates (管理岗). */
export const TempPlateCitySettingList = () => (
  <CitySettingList labels={LABELS}>
    <DataTable.Col source="dealersEnabled" label="tempPlates.settings.enabled" disableSort>
      <Enabled />
    </DataTable.Col>
  </CitySettingList>
);

export const TempPlateCitySettingEdit = () => (
  <CitySettingEdit labels={LABELS}>
    <BooleanInput source="dealersEnabled" label="tempPlates.settings.enabled" helperText="tempPlates.settings.help" />
  </CitySettingEdit>
);
