import { useCallback } from 'react';
import { useNotify } from 'react-admin';
import { formErrorsOf, isSessionEnd, problemText, type FormErrors } from './problem.ts';

/**
 * What a submit handler does with a failed call: a refusal that names fields
 * goes back to the form (each message under its field, the title notified by
 * the form); anything else is notified as the title and the server's words.
 * A session that ended says nothing here: the sign-in page explains it.
 * Outside a form (`{ inForm: false }`) everything is notified.
 */
export const useRefusal = () => {
  const notify = useNotify();
  return useCallback(
    (error: unknown, { inForm = true }: { inForm?: boolean } = {}): FormErrors | undefined => {
      if (isSessionEnd(error)) return undefined;
      const errors = inForm ? formErrorsOf(error) : undefined;
      if (errors) return errors;
      notify(problemText(error), { type: 'error' });
      return undefined;
    },
    [notify],
  );
};
