import { useState } from 'react';
import { useInput, useTranslate } from 'react-admin';
import { problemText } from '../shared/problem.ts';
import { uploadFile, type UploadResult } from './commands.ts';

/**
 * One photo or scan of the counter form: the file goes to the bff at once
 * (stored in Postgres with its sha256) and the form keeps the upload's id.
 */
export const UploadInput = ({ purpose, required }: { purpose: string; required?: boolean }) => {
  const translate = useTranslate();
  const { field, fieldState } = useInput({
    source: `documents.${purpose}`,
    validate: required ? (v: unknown) => (v ? undefined : 'ra.validation.required') : undefined,
  });
  const [state, setState] = useState<{ busy: boolean; result?: UploadResult; error?: string }>({ busy: false });
  const id = `upload-${purpose}`;
  const onChange = async (e: React.ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    setState({ busy: true });
    try {
      const result = await uploadFile(purpose, file);
      field.onChange(result.id);
      setState({ busy: false, result });
    } catch (error) {
      field.onChange(null);
      setState({ busy: false, error: problemText(error, (error as Error).message) });
    }
  };
  const error = state.error ?? (fieldState.error?.message ? translate(fieldState.error.message, { _: fieldState.error.message }) : undefined);
  return (
    <div className="upload-input">
      <label htmlFor={id}>
        {translate(`accounts.upload.${purpose}`)}
        {required ? ' *' : ''}
      </label>
      <input id={id} type="file" accept="image/jpeg,image/png,application/pdf" onChange={onChange} aria-invalid={Boolean(error)} aria-describedby={`${id}-status`} />
      <span id={`${id}-status`} className={error ? 'chip chip-error' : 'muted'} role={error ? 'alert' : undefined}>
        {state.busy
          ? translate('accounts.upload.busy')
          : error
            ? error
            : state.result
              ? translate('accounts.upload.done', { size: Math.ceil(state.result.size / 1024), hash: state.result.sha256.slice(0, 12) })
              : translate('accounts.upload.hint')}
      </span>
    </div>
  );
};
