import { DateField, useLocale, useRecordContext, useTranslate, type DateFieldProps } from 'react-admin';

/** Staff read times on Beijing time whatever the workstation's clock zone says. */
export const DISPLAY_TIME_ZONE = 'Asia/Shanghai';

const instantOptions: Intl.DateTimeFormatOptions = {
  timeZone: DISPLAY_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
};

/** An ISO instant shown in Beijing time, to the second. */
export const InstantField = (props: DateFieldProps) => {
  const locale = useLocale();
  return <DateField showTime locales={locale} options={instantOptions} {...props} />;
};

export type Tone = 'info' | 'success' | 'error' | 'neutral';

/**
 * A status label as text plus colour (never colour alone); the pairs in styles.css
 * all exceed 4.5:1. `resource` picks the translation `resources.<resource>.<source>.<value>`.
 */
export const StatusChip = ({
  source,
  resource,
  tones,
}: {
  source: string;
  resource: string;
  tones: Record<string, Tone>;
}) => {
  const record = useRecordContext();
  const translate = useTranslate();
  const value = record?.[source];
  if (typeof value !== 'string') return null;
  return (
    <span className={`chip chip-${tones[value] ?? 'neutral'}`}>
      {translate(`resources.${resource}.${source}.${value}`, { _: value })}
    </span>
  );
};

/** A translated enum value (`resources.<resource>.<source>.<value>`), plain text. */
export const EnumField = ({ source, resource }: { source: string; resource: string }) => {
  const record = useRecordContext();
  const translate = useTranslate();
  const value = record?.[source];
  if (typeof value !== 'string') return null;
  return <span>{translate(`resources.${resource}.${source}.${value}`, { _: value })}</span>;
};

/** JSON as the bff stored it, indented; null shows as "(none)". */
export const JsonBlock = ({ value, labelledBy }: { value: unknown; labelledBy?: string }) => {
  const translate = useTranslate();
  if (value === null || value === undefined) {
    return <p className="json-empty">{translate('app.common.none')}</p>;
  }
  return (
    <pre className="json-block" tabIndex={0} aria-labelledby={labelledBy}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
};
