import { Children, isValidElement, type ReactElement, type ReactNode } from 'react';
import { Labeled } from 'react-admin';

/**
 * A show page's facts in the responsive `.show-grid`, each field under its label,
 * as SimpleShowLayout labels a column: the label is the field's `label`, else
 * `resources.<resource>.fields.<source>`.
 *
 * SimpleShowLayout labels each of its children too, so the grid itself says
 * `label={false}` (react-admin's way to leave a child unlabelled).
 */
export const ShowGrid = ({ children }: { children: ReactNode; label: false }) => (
  <div className="show-grid">
    {Children.map(children, (field) => (isValidElement(field) ? <Labeled>{field as ReactElement}</Labeled> : field))}
  </div>
);
