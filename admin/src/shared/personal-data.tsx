import { useState } from 'react';
import {
  Button, CreateButton, FilterButton, SaveButton, TextInput, TopToolbar, maxLength, minLength, required,
  useFilterContext, useListContext, useRecordContext, useResourceContext, useResourceDefinition, useTranslate,
} from 'react-admin';
import { Form } from './forms.tsx';
import { API_URL, httpClient, postJson } from './http.ts';
import { useRefusal } from './use-refusal.ts';

/**
 * Citizens' personal data in the console (issue 17, ADR-024): the bff answers
 * ID numbers, phones, e-mail and postal addresses masked in every list, page
 * and export. A staff member who needs one full value reveals it here, for
 * one record, with a reason — the bff writes it to the audit log and to the
 * citizen's "who viewed my data" (the post and city, never the name).
 */
export type DataKind = 'id_number' | 'phone' | 'email' | 'postal_address';

/** The bff's answer to `POST /admin-api/<resource>/{id}/reveal`. */
type Revealed = { field: string; kind: DataKind; value: string };

/** `filename*=UTF-8''…` of a Content-Disposition, else its plain `filename`. */
export const fileNameOf = (disposition: string | null, fallback: string): string => {
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '')?.[1];
  if (star) {
    try {
      return decodeURIComponent(star);
    } catch {
      // a malformed name: the plain one below
    }
  }
  return /filename="([^"]+)"/i.exec(disposition ?? '')?.[1] ?? fallback;
};

/**
 * A masked value and, beside it, “查看完整信息”: a reason, then the one full
 * value (no Idempotency-Key: a stored answer would keep the value in the
 * database; each view is logged anyway). `field` is the bff's name for it on
 * this record (`idNumber`, `agent.phone`, `postalAddress`…).
 */
export const Revealable = ({ value, field, kind, resource, id }: { value: unknown; field: string; kind: DataKind; resource?: string; id?: string | number }) => {
  const record = useRecordContext();
  const contextResource = useResourceContext();
  const t = useTranslate();
  const refused = useRefusal();
  const [asking, setAsking] = useState(false);
  const [full, setFull] = useState<string | null>(null);
  const recordId = id ?? record?.id;
  const res = resource ?? contextResource;
  if (value === null || value === undefined || value === '') return <span>—</span>;
  const what = t(`personal_data.kinds.${kind}`);
  if (full !== null) {
    return (
      <span>
        <span className="mono">{full}</span> <span className="chip">{t('personal_data.revealed')}</span>
      </span>
    );
  }
  return (
    <span className="revealable">
      <span className="mono">{String(value)}</span>{' '}
      {!asking && res && recordId !== undefined ? (
        <Button label="personal_data.reveal" aria-label={t('personal_data.reveal_what', { what })} onClick={() => setAsking(true)} size="small" />
      ) : null}
      {asking ? (
        <Form
          keepDraft={false}
          onSubmit={async (v: Record<string, unknown>) => {
            try {
              const { json } = await postJson(`/${res}/${encodeURIComponent(String(recordId))}/reveal`, { field, reason: String(v.reason ?? '') });
              setFull((json as Revealed).value);
              setAsking(false);
              return undefined;
            } catch (error) {
              return refused(error);
            }
          }}
        >
          <TextInput
            source="reason"
            label={t('personal_data.reason', { what })}
            helperText="personal_data.reason_help"
            validate={[required(), minLength(2), maxLength(200)]}
            fullWidth
          />
          <SaveButton label="personal_data.confirm" alwaysEnable icon={<span />} />{' '}
          <Button label="ra.action.cancel" onClick={() => setAsking(false)} />
        </Form>
      ) : null}
    </span>
  );
};

/**
 * 导出: the list as the bff exports it (`GET /admin-api/<resource>/export.csv`
 * with the list's filter and sort) — zh-CN headers, masked values, a UTF-8
 * BOM for Excel, and an audit entry. react-admin's own export would write
 * whatever the page holds, in English keys, unaudited.
 */
export const ServerExportButton = () => {
  const { filterValues, sort, total } = useListContext();
  const resource = useResourceContext();
  const refused = useRefusal();
  const onClick = async () => {
    const q = new URLSearchParams({ sort: JSON.stringify([sort.field, sort.order]), filter: JSON.stringify(filterValues ?? {}) });
    try {
      const res = await httpClient(`${API_URL}/${resource}/export.csv?${q}`, { headers: new Headers({ Accept: 'text/csv, application/problem+json' }) });
      // The body came through Response.text(), which drops the byte order mark: put it back for Excel.
      const blob = new Blob(['\uFEFF', res.body], { type: 'text/csv;charset=utf-8' });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = fileNameOf(res.headers.get('content-disposition'), `${resource}.csv`);
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      refused(error, { inForm: false });
    }
  };
  return <Button label="ra.action.export" onClick={() => void onClick()} disabled={total === 0} />;
};

/** react-admin's list toolbar (filters, create) with {@link ServerExportButton} for its export. */
export const ServerExportActions = ({ create }: { create?: boolean }) => {
  const filters = useFilterContext();
  const { hasCreate } = useResourceDefinition();
  return (
    <TopToolbar>
      {filters && filters.length > 0 ? <FilterButton /> : null}
      {(create ?? hasCreate) ? <CreateButton /> : null}
      <ServerExportButton />
    </TopToolbar>
  );
};
