import { useRecordContext, useTranslate } from 'react-admin';
import type { Tone } from '../shared/fields.tsx';

/** A status as text plus colour (styles.css pairs pass AA), translated from `accounts.<group>.<value>`. */
export const AccountChip = ({ source, group, tones }: { source: string; group: string; tones: Record<string, Tone> }) => {
  const record = useRecordContext();
  const t = useTranslate();
  const value = record?.[source];
  if (typeof value !== 'string') return null;
  return <span className={`chip chip-${tones[value] ?? 'neutral'}`}>{t(`accounts.${group}.${value}`, { _: value })}</span>;
};

/** A translated enum value, plain text. */
export const AccountEnum = ({ source, group }: { source: string; group: string }) => {
  const record = useRecordContext();
  const t = useTranslate();
  const value = record?.[source];
  if (typeof value !== 'string') return <span>—</span>;
  return <span>{t(`accounts.${group}.${value}`, { _: value })}</span>;
};

/** Label + value, for show pages. */
export const Row = ({ label, children }: { label: string; children: React.ReactNode }) => {
  const t = useTranslate();
  return (
    <div>
      <div className="muted" style={{ fontSize: '0.85em' }}>{t(label)}</div>
      <div>{children}</div>
    </div>
  );
};
