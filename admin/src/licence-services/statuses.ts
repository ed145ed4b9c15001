import type { Tone } from '../shared/fields.tsx';

/** The CHECK lists of licence_service_application (db/migrations/0016_licence_services.sql). */
export const LICENCE_SERVICE_STATUSES = [
  'submitted', 'accepted', 'rejected', 'cancelled', 'produced', 'sent', 'ready_for_pickup',
  'delivered', 'picked_up', 'refused', 'not_collected', 'archived', 'withdrawn', 'core_number_restored',
] as const;
export const LICENCE_SERVICE_KINDS = ['renewal', 'age_renewal', 'damage_exchange', 'loss_replacement'] as const;

export const LICENCE_STATUS_TONES: Record<string, Tone> = {
  submitted: 'info', accepted: 'info', produced: 'info', sent: 'info', ready_for_pickup: 'info',
  delivered: 'success', picked_up: 'success', archived: 'success',
  rejected: 'error', refused: 'error', not_collected: 'error',
  cancelled: 'neutral', withdrawn: 'neutral', core_number_restored: 'neutral',
};

export type LicenceCommand =
  | 'accept' | 'reject' | 'produce' | 'send' | 'deliver' | 'refuse' | 'pick_up' | 'not_collected'
  | 'archive' | 'destroy_old_licence' | 'restore_core_number' | 'withdraw';

/** 受理岗 and 档案岗 (as) steps. */
const INTAKE: readonly LicenceCommand[] = ['accept', 'reject', 'produce', 'send', 'deliver', 'refuse', 'pick_up', 'not_collected'];
const ARCHIVE: readonly LicenceCommand[] = ['archive', 'destroy_old_licence', 'restore_core_number', 'withdraw'];

/** The steps the lifecycle allows now (`allowed`, from the bff) that belong to one of the signed-in posts. */
export function licenceCommandsFor(roles: readonly string[], allowed: readonly string[]): LicenceCommand[] {
  const mine = [...(roles.includes('intake') ? INTAKE : []), ...(roles.includes('archive') ? ARCHIVE : [])];
  return mine.filter((c) => allowed.includes(c));
}

/** The bff's named command and body for a step. */
export function licenceCommandRequest(command: LicenceCommand): { action: string; body: Record<string, unknown> } {
  switch (command) {
    case 'deliver':
      return { action: 'record-receipt', body: { outcome: 'delivered' } };
    case 'refuse':
      return { action: 'record-receipt', body: { outcome: 'refused' } };
    case 'pick_up':
      return { action: 'record-receipt', body: { outcome: 'picked_up' } };
    case 'not_collected':
      return { action: 'record-receipt', body: { outcome: 'not_collected' } };
    default:
      return { action: command.replace(/_/g, '-'), body: {} };
  }
}
