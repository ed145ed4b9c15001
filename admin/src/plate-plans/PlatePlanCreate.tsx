import { Create, DateInput, SelectInput, TextInput, maxLength, regex, required, useTranslate } from 'react-admin';
import { SimpleForm } from '../shared/forms.tsx';
import { PLATE_KINDS, parseSerialList, startAtOf } from './lifecycle.ts';

type Values = { plateKind: string; pattern: string; startAt: string; excludeDigits?: string; withheldSerials?: string; note?: string };

/**
 * draft a segment plan. The bff checks GA 36, the ≥ 1,000 numbers of
 * and the three working days of; its messages land under the fields.
 */
export const PlatePlanCreate = () => {
  const translate = useTranslate();
  const kinds = PLATE_KINDS.map((id) => ({ id, name: translate(`resources.plate-plans.plateKind.${id}`) }));
  const transform = (v: Values) => ({
    plateKind: v.plateKind,
    pattern: (v.pattern ?? '').trim().toUpperCase(),
    startAt: startAtOf(v.startAt),
    excludeDigits: (v.excludeDigits ?? '').trim(),
    withheldSerials: parseSerialList(v.withheldSerials),
    note: v.note ?? '',
  });
  return (
    <Create redirect="show" transform={transform}>
      <SimpleForm defaultValues={{ plateKind: 'small_blue', pattern: '', excludeDigits: '', withheldSerials: '', note: '' }}>
        <p className="lead muted">{translate('plates.create.intro')}</p>
        <SelectInput source="plateKind" choices={kinds} validate={required()} />
        <TextInput source="pattern" validate={[required(), regex(/^[0-9A-HJ-NP-Z#@*]{5,6}$/i, 'plates.create.pattern_format')]} helperText="plates.create.pattern_help" />
        <DateInput source="startAt" validate={required()} helperText="plates.create.start_help" />
        <TextInput source="excludeDigits" validate={regex(/^[0-9]*$/, 'plates.create.digits_format')} helperText="plates.create.exclude_help" />
        <TextInput source="withheldSerials" multiline minRows={2} helperText="plates.create.withheld_help" fullWidth />
        <TextInput source="note" multiline validate={maxLength(500)} fullWidth />
      </SimpleForm>
    </Create>
  );
};
