import type { Tone } from '../shared/fields.tsx';

/** The CHECK list of plate_preselection.status (db/migrations/0003_plates.sql). */
export const PRESELECTION_STATUSES = ['drawing', 'reserved', 'registered', 'expired', 'cancelled', 'lapsed'] as const;
export const PRESELECTION_STATUS_TONES: Record<(typeof PRESELECTION_STATUSES)[number], Tone> = {
  drawing: 'info',
  reserved: 'info',
  registered: 'success',
  expired: 'error',
  cancelled: 'error',
  lapsed: 'neutral',
};
export const OWNER_ID_TYPES = ['resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit', 'foreign_permanent_id', 'military_id', 'uscc'] as const;
