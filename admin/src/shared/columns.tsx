import { DataTable, ShowButton, TextField } from 'react-admin';
import { InstantField } from './fields.tsx';

/** What a column shared by the lists takes: the record field it shows, its header, whether it sorts. */
export type ColumnProps = {
  source: string;
  /** A translation key; without it react-admin names the column from `resources.<resource>.fields.<source>`. */
  label?: string;
  /** Only the bff's sort whitelist may sort (others answer 400). */
  disableSort?: boolean;
  /** What an empty cell shows (a translation key or text); nothing by default. */
  emptyText?: string;
};

/** A column of instants, shown in Beijing time to the second ({@link InstantField}). */
export const InstantColumn = ({ source, label, disableSort, emptyText }: ColumnProps) => (
  <DataTable.Col source={source} label={label} disableSort={disableSort}>
    <InstantField source={source} emptyText={emptyText} />
  </DataTable.Col>
);

/** A column of codes read character by character (references, masked numbers, plate numbers), in the monospace face. */
export const MonoColumn = ({ source, label, disableSort, emptyText }: ColumnProps) => (
  <DataTable.Col source={source} label={label} disableSort={disableSort}>
    <TextField source={source} className="mono" emptyText={emptyText} />
  </DataTable.Col>
);

/** The last column of a list whose rows open: a button, headed "open", to the row's show page. */
export const OpenColumn = () => (
  <DataTable.Col label="app.common.open" disableSort>
    <ShowButton />
  </DataTable.Col>
);
