import { useCallback, useRef, useState, type ReactNode } from 'react';
import { Button, Confirm, useAddUndoableMutation, useNotify, useRefresh, useTranslate } from 'react-admin';
import { useRefusal } from './use-refusal.ts';

/**
 * How a command looks (issue 18): commands side by side are never identical
 * blue buttons. `destructive` (reject, revoke, close, suspend, damage, cancel)
 * is red and outlined; `primary` (approve, publish, open) is the one filled
 * button; `neutral` is outlined in the default colour.
 */
export type CommandTone = 'primary' | 'destructive' | 'neutral';

export const toneProps = (tone: CommandTone) =>
  tone === 'primary'
    ? ({ variant: 'contained', color: 'primary' } as const)
    : tone === 'destructive'
      ? ({ variant: 'outlined', color: 'error' } as const)
      : ({ variant: 'outlined', color: 'primary' } as const);

/** What the confirmation says: its title, what will happen (the consequence), and the confirm button's words. */
export type ConfirmText = {
  /** A translation key: the question, e.g. "Reject this application?". */
  title: string;
  /** A translation key: what will happen, in words — who is told, what cannot be undone. */
  consequence: string;
  /** Parameters of both, e.g. the reference number. */
  params?: Record<string, unknown>;
  /** A translation key for the confirm button; the command's own label by default. */
  confirm?: string;
  tone?: CommandTone;
};

/**
 * `ask(text)` opens the confirmation and resolves true (confirmed) or false
 * (cancelled, Escape, clicked outside). Render `dialog` once. Works from a
 * button and from a form's submit handler alike:
 * `onSubmit={async (v) => (await ask({...})) ? act(...) : undefined}`.
 */
export const useConfirm = () => {
  const translate = useTranslate();
  const [text, setText] = useState<ConfirmText | null>(null);
  const resolver = useRef<((ok: boolean) => void) | null>(null);
  const ask = useCallback(
    (t: ConfirmText) =>
      new Promise<boolean>((resolve) => {
        resolver.current?.(false);
        resolver.current = resolve;
        setText(t);
      }),
    [],
  );
  const settle = (ok: boolean) => {
    resolver.current?.(ok);
    resolver.current = null;
    setText(null);
  };
  const dialog = (
    <Confirm
      isOpen={text !== null}
      title={text ? translate(text.title, { _: text.title, ...text.params }) : ''}
      content={
        text ? (
          <p className="confirm-consequence" id="confirm-consequence">
            {translate(text.consequence, { _: text.consequence, ...text.params })}
          </p>
        ) : null
      }
      aria-describedby="confirm-consequence"
      confirm={text?.confirm ?? 'ra.action.confirm'}
      confirmColor={text?.tone === 'destructive' ? 'warning' : 'primary'}
      onConfirm={() => settle(true)}
      onClose={() => settle(false)}
    />
  );
  return { ask, dialog };
};

/**
 * Runs a command a few seconds late, with 撤销 / Undo in the notice meanwhile
 * (react-admin's undoable mode): undone, nothing is sent; not undone, the
 * command goes to the bff when the notice closes, and its refusal is
 * notified in the server's words. For commands with no reverse command
 * (an approval that opens an account and sends an SMS).
 */
export const useUndoable = () => {
  const addMutation = useAddUndoableMutation();
  const notify = useNotify();
  const refresh = useRefresh();
  const refused = useRefusal();
  return useCallback(
    (call: () => Promise<unknown>, pending: string, done: string, params: Record<string, unknown> = {}) => {
      addMutation(({ isUndo }) => {
        if (isUndo) {
          notify('app.confirm.undone', { type: 'info', messageArgs: params });
          return;
        }
        call().then(
          () => {
            notify(done, { type: 'success', messageArgs: params });
            refresh();
          },
          (error: unknown) => refused(error, { inForm: false }),
        );
      });
      notify(pending, { type: 'info', undoable: true, autoHideDuration: 6000, messageArgs: params });
    },
    [addMutation, notify, refresh, refused],
  );
};

/**
 * A command button that confirms with the consequence first (issue 18), in
 * its tone. `onConfirm` runs the command (directly, or through
 * {@link useUndoable}).
 */
export const ConfirmButton = ({
  label,
  text,
  onConfirm,
  tone = 'neutral',
  disabled,
  icon,
}: {
  label: string;
  text: Omit<ConfirmText, 'tone'>;
  onConfirm: () => unknown;
  tone?: CommandTone;
  disabled?: boolean;
  icon?: ReactNode;
}) => {
  const { ask, dialog } = useConfirm();
  return (
    <>
      <Button
        label={label}
        {...toneProps(tone)}
        disabled={disabled}
        startIcon={icon}
        onClick={async (e) => {
          e.stopPropagation();
          if (await ask({ confirm: label, ...text, tone })) await onConfirm();
        }}
      />
      {dialog}
    </>
  );
};
