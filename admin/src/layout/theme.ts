import type { KeyboardEvent } from 'react';
import { defaultTheme, type RaThemeOptions } from 'react-admin';

/**
 * Where MUI portals its menus, pop-overs and dialogs: into the open modal
 * <dialog> when there is one, else the page body. A modal <dialog> sits in the
 * browser's top layer, above every z-index; a menu portalled to the body —
 * the close / suspend reason list of a SelectInput — opened behind it and
 * could not be picked with a mouse (issue 18). Inside the dialog it is in the
 * top layer too.
 */
export const portalContainer = (): HTMLElement => {
  if (typeof document === 'undefined') return undefined as unknown as HTMLElement;
  const open = Array.from(document.querySelectorAll<HTMLDialogElement>('dialog[open]')).filter((d) => {
    try {
      return d.matches(':modal');
    } catch {
      return true;
    }
  });
  return open.at(-1) ?? document.body;
};

/**
 * Enter on a focused row opens it, as a click does (issue 18): every row is
 * in the tab order (theme default below) and a clickable row
 * (`rowClick`, or a resource with a show page) takes Enter.
 */
export const openRowOnEnter = (e: KeyboardEvent<HTMLTableRowElement>) => {
  if (e.key !== 'Enter' || e.target !== e.currentTarget) return;
  if (!e.currentTarget.classList.contains('RaDataTable-clickableRow')) return;
  e.preventDefault();
  e.currentTarget.click();
};

/**
 * react-admin's light theme with darker blues: its app bar (#2196f3) carries
 * white text at 3.1:1 and MUI's primary (#1976d2) sits at ~4.4:1 on the page
 * background, both under WCAG AA. #0d47a1 / #1565c0 give 8.6:1 and 5.7:1.
 * The error red (#c62828, 5.6:1) marks destructive commands (shared/confirm.tsx).
 */
export const theme: RaThemeOptions = {
  ...defaultTheme,
  palette: {
    ...defaultTheme.palette,
    primary: { main: '#1565c0', contrastText: '#fff' },
    secondary: { main: '#0d47a1', light: '#5472d3', dark: '#002171', contrastText: '#fff' },
    error: { main: '#c62828', contrastText: '#fff' },
  },
  components: {
    ...defaultTheme.components,
    MuiModal: { defaultProps: { container: portalContainer } },
    MuiPopover: { defaultProps: { container: portalContainer } },
    MuiPopper: { defaultProps: { container: portalContainer } },
    // react-admin's DataTable row takes theme props under its own name
    RaDataTableRow: { defaultProps: { tabIndex: 0, onKeyDown: openRowOnEnter } },
  },
};
