import type { SubmitFunction } from '@sveltejs/kit';

type Hooks = {
  /** Submission starts (`true`) and ends (`false`): disable the button meanwhile. */
  busy?: (busy: boolean) => void;
  /** The request never reached the server; stay on the page and say so. */
  networkError: () => void;
  /** Runs before SvelteKit follows a successful redirect (e.g. to clear device data on sign-out). */
  beforeRedirect?: () => Promise<void> | void;
};

/**
 * The default `use:enhance` behaviour, except that a lost connection is shown
 * in the form instead of replacing the page with the error page, and typed
 * values are kept after a refusal.
 */
export function submitWith(hooks: Hooks): SubmitFunction {
  return () => {
    hooks.busy?.(true);
    return async ({ result, update }) => {
      hooks.busy?.(false);
      if (result.type === 'error' && result.error instanceof TypeError) {
        hooks.networkError();
        return;
      }
      if (result.type === 'redirect') await hooks.beforeRedirect?.();
      await update({ reset: false });
    };
  };
}
