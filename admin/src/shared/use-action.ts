import { useCallback } from 'react';
import { useNotify, useRefresh } from 'react-admin';
import type { FormErrors } from './problem.ts';
import { useRefusal } from './use-refusal.ts';

/**
 * Runs one staff action against the bff: on success the `done` notice
 * (a translation key) and a refresh of what the page shows; on a refusal,
 * {@link useRefusal} — from a form its messages go under the fields it names,
 * from a button (`{ inForm: false }`) everything is notified.
 * The answer is what a react-admin form's submit handler returns.
 */
export const useAction = ({ inForm = true }: { inForm?: boolean } = {}) => {
  const notify = useNotify();
  const refresh = useRefresh();
  const refused = useRefusal();
  return useCallback(
    async (call: () => Promise<unknown>, done: string): Promise<FormErrors | undefined> => {
      try {
        await call();
        notify(done, { type: 'success' });
        refresh();
        return undefined;
      } catch (error) {
        return refused(error, { inForm });
      }
    },
    [notify, refresh, refused, inForm],
  );
};
