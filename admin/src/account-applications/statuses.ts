import type { Tone } from '../shared/fields.tsx';

export const APPLICATION_STATUS_TONES: Record<string, Tone> = { review: 'info', returned: 'error', approved: 'success', rejected: 'neutral', completed: 'success' };
export const CHECK_STATUS_TONES: Record<string, Tone> = { pending: 'error', passed: 'success', failed: 'error' };
