import { Create, DateInput, RadioButtonGroupInput, TextInput, maxLength, required, useTranslate } from 'react-admin';
import { SimpleForm } from '../shared/forms.tsx';

/** One day that the package calendar gets wrong (or does not know): a day off or a make-up working day. */
export const CalendarDayCreate = () => {
  const translate = useTranslate();
  const kinds = (['holiday', 'workday'] as const).map((id) => ({
    id,
    name: translate(`resources.calendar-days.kind.${id}`),
  }));
  return (
    <Create redirect="list">
      <SimpleForm defaultValues={{ kind: 'holiday', note: '' }}>
        <DateInput source="day" validate={required()} />
        <RadioButtonGroupInput source="kind" choices={kinds} validate={required()} />
        <TextInput source="note" validate={maxLength(200)} fullWidth />
      </SimpleForm>
    </Create>
  );
};
