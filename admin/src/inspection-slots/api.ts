import { getJson, newIdempotencyKey, postJson } from '../shared/http.ts';

/**
 * Named commands of 机动车安全技术检验预约 (bff: /admin-api/inspection-*).
 * Lists and single records go through the simple-rest data provider; the
 * workflow steps are these POSTs, each with a fresh idempotency key.
 */

export type TimeSlot = { startsAt: string; endsAt: string; capacity: number };
export type StationStatus = 'active' | 'suspended' | 'withdrawn';
export type Station = {
  id: string;
  name: string;
  cityId: string;
  cityName: string;
  address: string;
  phone: string | null;
  status: StationStatus;
  vehicleTypes: string[];
  maxAxleLoadKg: number | null;
  brakeTypes: string[];
  openingDays: number[];
  times: TimeSlot[];
  pendingBookings: number;
};
export type Suggestion = { slotId: string; stationName: string; day: string; startsAt: string; distanceKm: number | null };
export type StaffBooking = {
  id: string;
  code: string;
  status: string;
  disruption: string | null;
  crossCity: boolean;
  plateNo: string | null;
  vehicleType: string;
  phoneMasked: string;
  stationName: string;
  day: string;
  startsAt: string;
  endsAt: string;
  suggestion: Suggestion | null;
};
export type ScheduleInput = {
  openingDays: number[];
  times: TimeSlot[];
  vehicleTypes: string[];
  maxAxleLoadKg: number | null;
  brakeTypes: string[];
};
export type ClosureReason = 'system_failure' | 'power_cut' | 'bad_weather' | 'other';
export type StatusReason = 'equipment_failure' | 'plan_change' | 'licence_expired' | 'licence_revoked' | 'resumed';

const post = async <T>(path: string, body: unknown) => (await postJson(path, body, newIdempotencyKey())).json as T;

export const inspectionsApi = {
  stations: async () => (await getJson('/inspection-stations?range=[0,99]')).json as Station[],
  publishSchedule: (stationId: string, body: ScheduleInput) => post<Station>(`/inspection-stations/${stationId}/schedule`, body),
  publishSlots: (body: { from: string; to: string; stationId?: string }) =>
    post<{ created: number; skipped: number }>('/inspection-slots/publish', body),
  closeSlots: (body: { ids: string[]; reason: ClosureReason; note: string }) =>
    post<{ closureId: string; closed: number; notified: number }>('/inspection-slots/close', body),
  changeCapacity: (slotId: string, body: { capacity: number; excess: 'refuse' | 'cancel' | 'move'; targetSlotId?: string }) =>
    post<unknown>(`/inspection-slots/${slotId}/capacity`, body),
  changeStationStatus: (stationId: string, body: { status: StationStatus; reason: StatusReason; note: string }) =>
    post<{ station: Station; noticeId: string; pending: StaffBooking[] }>(`/inspection-stations/${stationId}/status`, body),
  reopenSlot: (slotId: string) => post<{ id: string; booked: number }>(`/inspection-slots/${slotId}/reopen`, {}),
  endBooking: (bookingId: string, body: { outcome: 'completed' | 'no_show' | 'cancelled'; note: string }) =>
    post<StaffBooking>(`/inspection-bookings/${bookingId}/end`, body),
  setCityBooking: (cityId: string, body: { enabled: boolean; note: string }) => post<unknown>(`/inspection-cities/${cityId}/booking`, body),
  filePlan: (planId: string) => post<unknown>(`/inspection-plans/${planId}/file`, {}),
  publishProvincePlan: (notice: string) => post<{ version: number }>('/inspection-plans/publish', { notice }),
};

/** GET /admin-api/inspection-scope: a station, a city or a province, and what the staff member may do there. */
export type InspectionScope = {
  authorityId: string;
  authorityName: string;
  level: 'city' | 'province';
  stationId: string | null;
  canSwitchCity: boolean;
  canPublishProvincePlan: boolean;
};
export const fetchScope = async () => (await getJson('/inspection-scope')).json as InspectionScope;
