import type { StationStatus, StatusReason } from './api.ts';

/** What the operator may do next with the station's booking service (R-36.6; the bff decides again). */
export const statusActions = (status: StationStatus): { to: StationStatus; reasons: StatusReason[] }[] => {
  if (status === 'active') {
    return [
      { to: 'suspended', reasons: ['equipment_failure', 'plan_change', 'licence_expired'] },
      { to: 'withdrawn', reasons: ['licence_revoked', 'licence_expired', 'plan_change'] },
    ];
  }
  if (status === 'suspended') {
    return [
      { to: 'active', reasons: ['resumed'] },
      { to: 'withdrawn', reasons: ['licence_revoked', 'licence_expired', 'plan_change'] },
    ];
  }
  return [];
};

/** Vehicle type codes (GA 802) the schedule form offers. */
export const VEHICLE_TYPES = ['K11', 'K21', 'K31', 'K32', 'K33', 'K41', 'K43', 'H11', 'H21', 'H31', 'Q11', 'M21'] as const;
export const BRAKE_TYPES = ['hydraulic', 'pneumatic', 'mixed'] as const;
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

type ScheduleForm = {
  openingDays?: number[];
  times?: { startsAt?: string; endsAt?: string; capacity?: number | string | null }[];
  vehicleTypes?: string[];
  maxAxleLoadKg?: number | string | null;
  brakeTypes?: string[];
};

/** The form's values as the bff wants them: numbers as numbers, empty axle limit as null, days in order. */
export const scheduleBody = (v: ScheduleForm) => ({
  openingDays: [...new Set((v.openingDays ?? []).map(Number))].sort((a, b) => a - b),
  times: (v.times ?? []).map((t) => ({ startsAt: String(t.startsAt ?? '').slice(0, 5), endsAt: String(t.endsAt ?? '').slice(0, 5), capacity: Number(t.capacity ?? 0) })),
  vehicleTypes: v.vehicleTypes ?? [],
  maxAxleLoadKg: v.maxAxleLoadKg === null || v.maxAxleLoadKg === undefined || v.maxAxleLoadKg === '' ? null : Number(v.maxAxleLoadKg),
  brakeTypes: v.brakeTypes ?? [],
});

/** A plan as the bff wants it on create and update: only the editable fields. */
export const planBody = (v: { note?: string | null; entries?: { stationId?: string; quotaPerSlot?: number | string; fromDay?: string; toDay?: string }[] }) => ({
  note: v.note ?? '',
  entries: (v.entries ?? []).map((e) => ({ stationId: String(e.stationId ?? ''), quotaPerSlot: Number(e.quotaPerSlot ?? 0), fromDay: String(e.fromDay ?? '').slice(0, 10), toDay: String(e.toDay ?? '').slice(0, 10) })),
});

