import { useEffect, useMemo, useRef, type RefObject } from 'react';
import {
  Form as RaForm,
  SimpleForm as RaSimpleForm,
  useLocation,
  useNotify,
  useSaveContext,
  type FormProps as RaFormProps,
  type SimpleFormProps as RaSimpleFormProps,
} from 'react-admin';
import { useFormContext, type Control, type FieldValues, type ReadFormState } from 'react-hook-form';
import { sessionExpiry } from '../auth/session-expiry.ts';
import { staffCache } from '../auth/staff.ts';
import { placeFormErrors } from './form-errors.ts';
import { problemText } from './problem.ts';

type Submit = (values: FieldValues, event?: unknown) => unknown;

/** Keep what was typed when the session ends during the submit (default); off for the sign-in form. */
type DraftOption = { keepDraft?: boolean };
export type FormProps = RaFormProps & DraftOption;
export type SimpleFormProps = RaSimpleFormProps & DraftOption;

const isServerError = (value: unknown): boolean => (value as { type?: unknown } | null)?.type === 'server';

/** Paths of the errors the last answer put on the form (react-admin sets them with type `server`). */
const serverErrorPaths = (errors: unknown, prefix = ''): string[] => {
  if (typeof errors !== 'object' || errors === null) return [];
  return Object.entries(errors).flatMap(([name, value]) =>
    isServerError(value) ? [`${prefix}${name}`] : name === 'ref' ? [] : serverErrorPaths(value, `${prefix}${name}.`),
  );
};

/**
 * Inside every admin form: each submit starts from the inputs' own checks,
 * so what the server refused last time never blocks a corrected retry
 * (react-hook-form keeps an error it did not set until that field is
 * checked again — and a field the form does not have is never checked);
 * the values being submitted are remembered for a session that ends
 * meanwhile, and given back after signing in again.
 *
 * A form is known again by its page and the inputs it shows when it appears
 * (React's own ids change when the console is rendered anew after signing in).
 */
const SubmitGuard = ({ controlRef, keepDraft }: { controlRef: RefObject<Control | null>; keepDraft: boolean }) => {
  const form = useFormContext();
  const notify = useNotify();
  const { pathname } = useLocation();
  const key = useRef<string | null>(null);
  controlRef.current = form.control;

  useEffect(() => {
    let submitting = false;
    return form.subscribe({
      // react-hook-form announces `isSubmitting` before it validates; its typings list fewer keys than it honours
      formState: { isSubmitting: true } as Partial<ReadFormState>,
      callback: ({ isSubmitting }) => {
        if (isSubmitting && !submitting) {
          submitting = true;
          const stale = serverErrorPaths(form.control._formState.errors);
          if (stale.length) form.clearErrors(stale);
          if (keepDraft && key.current) sessionExpiry.submitting(key.current, staffCache.get()?.id ?? null, form.getValues());
        } else if (!isSubmitting && submitting) {
          submitting = false;
          if (key.current) sessionExpiry.settled(key.current);
        }
      },
    });
  }, [form, keepDraft]);

  useEffect(() => {
    // once the form's inputs are there, and after react-admin's own reset to the defaults (the form's effect runs after this one)
    const timer = setTimeout(() => {
      key.current = formKey(pathname, form.control);
      if (!keepDraft) return;
      const draft = sessionExpiry.takeDraft(key.current, staffCache.get()?.id ?? null);
      if (!draft) return;
      form.reset({ ...form.getValues(), ...draft }, { keepDefaultValues: true });
      notify('app.auth.draft_restored', { type: 'info' });
    }, 0);
    return () => clearTimeout(timer);
    // once, when the form appears
  }, []);

  return null;
};

/** The page and the top-level names of the inputs a form shows. */
const formKey = (pathname: string, control: Control): string => {
  const names = [...control._names.mount, ...control._names.array].map((n) => n.split('.')[0] ?? n);
  return `${pathname}#${[...new Set(names)].sort().join(',')}`;
};

/**
 * The submit handler react-admin's form calls — the given `onSubmit`, else
 * the Create/Edit save — with the server's field messages placed where this
 * form can show them (shared/form-errors.ts), and a failure that is not a
 * refusal (an upload refused before saving, the network) notified instead of
 * lost.
 */
const usePlacedSubmit = (onSubmit: RaFormProps['onSubmit'], controlRef: RefObject<Control | null>) => {
  const saveContext = useSaveContext();
  const notify = useNotify();
  const submit = (onSubmit ?? saveContext?.save) as Submit | undefined;
  return useMemo(() => {
    if (!submit) return undefined;
    return async (values: FieldValues, event?: unknown) => {
      let errors: unknown;
      try {
        errors = await submit(values, event);
      } catch (error) {
        notify(problemText(error), { type: 'error' });
        return undefined;
      }
      if (typeof errors !== 'object' || errors === null) return undefined;
      const names = controlRef.current?._names;
      return placeFormErrors(errors as Record<string, unknown>, (name) => !names || names.mount.has(name) || names.array.has(name));
    };
  }, [submit, notify, controlRef]);
};

/** react-admin's Form, made safe to resubmit after a refusal (see {@link SubmitGuard}). */
export const Form = ({ keepDraft = true, onSubmit, children, ...props }: FormProps) => {
  const controlRef = useRef<Control | null>(null);
  const submit = usePlacedSubmit(onSubmit, controlRef);
  return (
    <RaForm {...props} {...(submit ? { onSubmit: submit } : {})}>
      <SubmitGuard controlRef={controlRef} keepDraft={keepDraft} />
      {children}
    </RaForm>
  );
};

/** react-admin's SimpleForm (Create, Edit), made safe to resubmit after a refusal (see {@link SubmitGuard}). */
export const SimpleForm = ({ keepDraft = true, onSubmit, children, ...props }: SimpleFormProps) => {
  const controlRef = useRef<Control | null>(null);
  const submit = usePlacedSubmit(onSubmit, controlRef);
  return (
    <RaSimpleForm {...props} {...(submit ? { onSubmit: submit } : {})}>
      <SubmitGuard controlRef={controlRef} keepDraft={keepDraft} />
      {children}
    </RaSimpleForm>
  );
};
