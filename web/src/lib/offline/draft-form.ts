import type { Action } from 'svelte/action';
import { loadDraft, saveDraft } from './drafts.ts';

type Field = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

// Secrets and one-time values never go to disk.
const NEVER_SAVED = new Set(['password', 'file', 'hidden', 'submit', 'button', 'reset', 'image']);

function savable(el: Element): el is Field {
  if (!(el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement)) {
    return false;
  }
  if (!el.name || el.dataset.draft === 'off' || el.autocomplete === 'one-time-code') return false;
  return !(el instanceof HTMLInputElement && NEVER_SAVED.has(el.type));
}

export function readDraftValues(form: HTMLFormElement): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const el of Array.from(form.elements).filter(savable)) {
    if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) {
      if (!el.checked) continue;
      const prev = values[el.name];
      values[el.name] = el.type === 'checkbox' ? [...(Array.isArray(prev) ? prev : []), el.value] : el.value;
    } else {
      values[el.name] = el.value;
    }
  }
  return values;
}

function fill(form: HTMLFormElement, values: Record<string, unknown>, draftWins = false): void {
  for (const el of Array.from(form.elements).filter(savable)) {
    const saved = values[el.name];
    if (saved === undefined) continue;
    if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) {
      el.checked = Array.isArray(saved) ? saved.includes(el.value) : saved === el.value;
    } else if (!el.value || (draftWins && el.value !== String(saved))) {
      // What the server rendered (e.g. values echoed after a refusal) wins over the draft,
      // unless the form shows stored values the user was changing (settings): then the draft is newer.
      el.value = String(saved);
    } else {
      continue;
    }
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }
}

export type DraftOptions = {
  id: string;
  /**
   * The inputs start with stored values (a settings form), not blanks: a
   * saved draft is what the user changed them to, so it replaces them.
   */
  draftWins?: boolean;
};

/**
 * `<form use:keepDraft={'plate-preselect'}>` (or `{ id, draftWins: true }`):
 * restores the draft saved on this device and keeps saving as the user types.
 * Call `clearDraft(id)` once the form has been sent or queued.
 */
export const keepDraft: Action<HTMLFormElement, string | DraftOptions> = (form, options) => {
  const { id: formId, draftWins = false } = typeof options === 'string' ? { id: options } : options;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let restoring = true;
  void loadDraft(formId).then((draft) => {
    if (draft) fill(form, draft.data, draftWins);
    restoring = false;
  });
  const save = () => {
    if (restoring) return;
    clearTimeout(timer);
    timer = setTimeout(() => void saveDraft(formId, readDraftValues(form)), 300);
  };
  form.addEventListener('input', save);
  form.addEventListener('change', save);
  return {
    destroy() {
      clearTimeout(timer);
      form.removeEventListener('input', save);
      form.removeEventListener('change', save);
    },
  };
};
