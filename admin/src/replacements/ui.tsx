import type { ReactNode } from 'react';
import { useDataProvider, useRecordContext, useTranslate, type Identifier } from 'react-admin';
import type { AdminDataProvider } from '../shared/data-provider.ts';
import type { Tone } from '../shared/fields.tsx';
import { useAction } from '../shared/use-action.ts';

/** A status as text plus colour (never colour alone), translated from `<prefix>.<value>`. */
export const ToneChip = ({ source, prefix, tones }: { source: string; prefix: string; tones: Record<string, Tone> }) => {
  const record = useRecordContext();
  const translate = useTranslate();
  const value = record?.[source];
  if (typeof value !== 'string') return null;
  return <span className={`chip chip-${tones[value] ?? 'neutral'}`}>{translate(`${prefix}.${value}`, { _: value })}</span>;
};

/** A translated enum value, plain text. */
export const EnumText = ({ source, prefix }: { source: string; prefix: string }) => {
  const record = useRecordContext();
  const translate = useTranslate();
  const value = record?.[source];
  if (typeof value !== 'string') return null;
  return <span>{translate(`${prefix}.${value}`, { _: value })}</span>;
};

/** One labelled value of a show page. */
export const Fact = ({ label, children }: { label: string; children: ReactNode }) => {
  const translate = useTranslate();
  return (
    <div>
      <div className="muted">{translate(label)}</div>
      <div>{children ?? translate('app.common.none')}</div>
    </div>
  );
};

/**
 * Runs a named command (`POST /admin-api/<resource>/<id>/<action>`): success →
 * notification and refresh; a refusal → from a Form, its messages back under
 * the fields it names (the form notifies the title), else its title and the
 * server's words as a notification. `inForm: false` for buttons.
 */
export function useCommand(resource: string, { inForm = true }: { inForm?: boolean } = {}) {
  const dataProvider = useDataProvider<AdminDataProvider>();
  const act = useAction({ inForm });
  return (id: Identifier, action: string, body: Record<string, unknown>, success: string) =>
    act(() => dataProvider.command(resource, id, action, body), success);
}

/** Drops empty strings and nulls, so optional fields stay absent. */
export const compact = (values: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '' && v !== null && v !== undefined));

/** "one per line" text → trimmed, non-empty lines. */
export const lines = (text: unknown): string[] =>
  typeof text === 'string' ? text.split(/[\n,，、]/).map((s) => s.trim()).filter(Boolean) : [];
