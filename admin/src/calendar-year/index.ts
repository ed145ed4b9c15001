export { CalendarYearPage } from './CalendarYearPage.tsx';
export { CalendarYearMenuItem } from './CalendarYearMenuItem.tsx';
