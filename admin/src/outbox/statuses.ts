import type { Tone } from '../shared/fields.tsx';

/** The CHECK lists of outbox_message (db/migrations/0001_foundation.sql). */
export const OUTBOX_CHANNELS = ['sms', 'post', 'payment', 'email'] as const;
export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'delivered', 'failed', 'refused', 'expired'] as const;

export const OUTBOX_STATUS_TONES: Record<(typeof OUTBOX_STATUSES)[number], Tone> = {
  pending: 'info',
  sending: 'info',
  sent: 'success',
  delivered: 'success',
  failed: 'error',
  refused: 'error',
  expired: 'neutral',
};
