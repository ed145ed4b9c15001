import { Menu, useTranslate } from 'react-admin';

/** Menu entry for the custom /calendar-year route; the menu shows it only to roles that may open it. */
export const CalendarYearMenuItem = () => {
  const translate = useTranslate();
  return (
    <Menu.Item
      to="/calendar-year"
      primaryText={translate('app.calendar.title')}
      leftIcon={
        <span aria-hidden="true" className="menu-glyph">
          历
        </span>
      }
    />
  );
};
