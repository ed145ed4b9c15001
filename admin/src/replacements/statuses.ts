import type { Tone } from '../shared/fields.tsx';

/** The CHECK lists of replacement_application (db/migrations/0005_replacements.sql). */
export const REPLACEMENT_STATUSES = [
  'submitted', 'accepted', 'rejected', 'cancelled', 'produced', 'sent', 'ready_for_pickup',
  'delivered', 'picked_up', 'refused', 'not_collected', 'archived', 'withdrawn', 'core_number_restored',
] as const;
export const REPLACEMENT_ITEMS = ['plate', 'vehicle_licence', 'inspection_sticker'] as const;
export const ONLINE_PLATE_KINDS = ['small_blue', 'small_new_energy', 'large_yellow', 'large_new_energy', 'trailer', 'motorcycle'] as const;
export const INSURANCE_CHECKS = ['clear', 'complete', 'unaltered', 'valid', 'matchesVehicle'] as const;

export const REPLACEMENT_STATUS_TONES: Record<string, Tone> = {
  submitted: 'info',
  accepted: 'info',
  produced: 'info',
  sent: 'info',
  ready_for_pickup: 'info',
  delivered: 'success',
  picked_up: 'success',
  archived: 'success',
  rejected: 'error',
  refused: 'error',
  not_collected: 'error',
  cancelled: 'neutral',
  withdrawn: 'neutral',
  core_number_restored: 'neutral',
};

/** A step of the lifecycle as the bff names it in `allowedCommands`. */
export type Command =
  | 'accept' | 'reject' | 'produce' | 'send' | 'deliver' | 'refuse' | 'pick_up' | 'not_collected'
  | 'archive' | 'destroy_old_item' | 'restore_core_number' | 'withdraw';

/** 受理岗 and 档案岗 steps. */
const INTAKE: readonly Command[] = ['accept', 'reject', 'produce', 'send', 'deliver', 'refuse', 'pick_up', 'not_collected'];
const ARCHIVE: readonly Command[] = ['archive', 'destroy_old_item', 'restore_core_number', 'withdraw'];

/**
 * The steps to offer: those the lifecycle allows now (`allowed`, from the bff)
 * that belong to one of the signed-in posts, in lifecycle order.
 */
export function commandsFor(roles: readonly string[], allowed: readonly string[]): Command[] {
  const mine = [...(roles.includes('intake') ? INTAKE : []), ...(roles.includes('archive') ? ARCHIVE : [])];
  return mine.filter((c) => allowed.includes(c));
}

/** The bff's named command and body for a step. */
export function commandRequest(command: Command): { action: string; body: Record<string, unknown> } {
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

/** The queue a post opens first: 档案岗 its own, everyone else the intake queue. */
export function defaultQueue(roles: readonly string[]): 'intake' | 'archive' {
  return roles.includes('archive') && !roles.includes('intake') ? 'archive' : 'intake';
}
