import { VehicleDto } from '../accounts/schemas.ts';
import { z } from '@hono/zod-openapi';
import { calendarDay, text } from '../../core/text.ts';

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
const day = calendarDay();
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

export const IdParam = z.object({ id: uuid });
export const CityParam = z.object({ id: z.string().regex(/^\d{6}$/) });

export const Reason = z
  .object({ code: z.string(), title: z.string(), detail: z.string().nullable(), params: z.record(z.string(), z.union([z.string(), z.number()])).nullable() })
  .openapi('InspectionRefusal');

// ---------------------------------------------------------------------------
// Citizens
// ---------------------------------------------------------------------------

/** A bound vehicle (the account's view of it) with whether it can be booked, and why not. */
export const EligibleVehicle = VehicleDto.pick({ id: true, plateNo: true, plateKind: true, vehicleType: true, brandModel: true, binding: true })
  .extend({
    registrationCityId: z.string(),
    registrationCityName: z.string(),
    inspectionValidUntil: z.string().nullable(),
    eligible: z.boolean(),
    overdue: z.boolean(),
    opensOn: z.string().nullable(),
    reason: Reason.nullable(),
    activeBookingId: z.string().nullable(),
  })
  .openapi('InspectionVehicle');

export const EligibleVehicles = z.object({ vehicles: z.array(EligibleVehicle), asOf: z.string() }).openapi('InspectionVehicles');

export const SlotSearchQuery = z.object({ vehicleId: uuid, from: day.optional(), to: day.optional() });

export const OfferedSlot = z
  .object({ id: z.string(), day: z.string(), startsAt: z.string(), endsAt: z.string(), capacity: z.number().int(), free: z.number().int() })
  .openapi('InspectionOfferedSlot');

export const OfferedStation = z
  .object({
    id: z.string(),
    name: z.string(),
    address: z.string(),
    phone: z.string().nullable(),
    cityId: z.string(),
    cityName: z.string(),
    crossCity: z.boolean(),
    slots: z.array(OfferedSlot),
  })
  .openapi('InspectionOfferedStation');

export const SlotSearchResult = z
  .object({
    vehicleId: z.string(), plateNo: z.string().nullable(),
    registrationCityName: z.string().openapi({ description: 'R-35.4: stations of this city are offered, other cities’ only under the province’s published plan' }),
    from: z.string(), to: z.string(), stations: z.array(OfferedStation), asOf: z.string(),
  })
  .openapi('InspectionSlotSearch');

export const BookRequest = z.strictObject({ vehicleId: uuid, slotId: uuid }).openapi('InspectionBookRequest');
export const MoveRequest = z.strictObject({ slotId: uuid }).openapi('InspectionMoveRequest');

export const Booking = z
  .object({
    id: z.string(),
    code: z.string(),
    status: z.enum(['booked', 'cancelled', 'moved', 'completed', 'no_show']),
    cancelledReason: z.string().nullable(),
    disruption: z.enum(['slot_closed', 'station_suspended', 'station_withdrawn']).nullable(),
    crossCity: z.boolean(),
    vehicle: z.object({ id: z.string(), plateNo: z.string().nullable(), brandModel: z.string() }),
    station: z.object({ id: z.string(), name: z.string(), address: z.string(), phone: z.string().nullable(), cityName: z.string() }),
    slot: z.object({ id: z.string(), day: z.string(), startsAt: z.string(), endsAt: z.string() }),
    movedFromId: z.string().nullable(),
    createdAt: z.string(),
    endedAt: z.string().nullable(),
    canCancel: z.boolean(),
    canMove: z.boolean(),
  })
  .openapi('InspectionBooking');

export const Bookings = z.object({ bookings: z.array(Booking), asOf: z.string() }).openapi('InspectionBookings');

export const Alternative = z
  .object({
    slotId: z.string(),
    stationId: z.string(),
    stationName: z.string(),
    address: z.string(),
    cityName: z.string(),
    day: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    free: z.number().int(),
    distanceKm: z.number().nullable(),
    crossCity: z.boolean(),
  })
  .openapi('InspectionAlternative');

export const Alternatives = z.object({ bookingId: z.string(), alternatives: z.array(Alternative), asOf: z.string() }).openapi('InspectionAlternatives');

export const Notice = z
  .object({
    id: z.string(),
    stationId: z.string(),
    stationName: z.string(),
    cityName: z.string(),
    fromStatus: z.string(),
    toStatus: z.string(),
    reason: z.string(),
    note: z.string(),
    pendingBookings: z.number().int(),
    at: z.string(),
  })
  .openapi('InspectionNotice');

export const PlanInForce = z
  .object({
    provinceId: z.string(),
    version: z.number().int().nullable(),
    entries: z.array(
      z.object({
        stationId: z.string(), stationName: z.string(), address: z.string(), cityId: z.string(), cityName: z.string(), quotaPerSlot: z.number().int(),
        fromDay: z.string(), toDay: z.string(), vehicleTypes: z.array(z.string()), maxAxleLoadKg: z.number().int().nullable(), brakeTypes: z.array(z.string()),
      }),
    ),
  })
  .openapi('InspectionCrossCityPlanInForce');

// ---------------------------------------------------------------------------
// Staff
// ---------------------------------------------------------------------------

export const ListQuery = z.object({
  sort: z.string().max(200).optional(),
  range: z.string().max(200).optional(),
  filter: z.string().max(4000).optional(),
});

export const TimeSlotInput = z.strictObject({ startsAt: time, endsAt: time, capacity: z.number().int().min(0).max(500) });

export const ScheduleRequest = z
  .strictObject({
    openingDays: z.array(z.number().int().min(1).max(7)).min(1).max(7),
    times: z.array(TimeSlotInput).min(1).max(24),
    vehicleTypes: z.array(z.string().regex(/^[A-Z]\d{2}$/)).min(1).max(40),
    maxAxleLoadKg: z.number().int().min(100).max(100000).nullable(),
    brakeTypes: z.array(z.enum(['hydraulic', 'pneumatic', 'mixed'])).min(1).max(3),
  })
  .openapi('InspectionScheduleRequest');

export const StationDto = z
  .object({
    id: z.string(),
    name: z.string(),
    cityId: z.string(),
    cityName: z.string(),
    address: z.string(),
    phone: z.string().nullable(),
    status: z.enum(['active', 'suspended', 'withdrawn']),
    vehicleTypes: z.array(z.string()),
    maxAxleLoadKg: z.number().int().nullable(),
    brakeTypes: z.array(z.string()),
    openingDays: z.array(z.number().int()),
    times: z.array(z.object({ startsAt: z.string(), endsAt: z.string(), capacity: z.number().int() })),
    pendingBookings: z.number().int(),
  })
  .openapi('InspectionStation');

export const PublishSlotsRequest = z
  .strictObject({
    stationId: uuid.optional(),
    from: day,
    to: day,
    /** Defaults to the station's published schedule. */
    openingDays: z.array(z.number().int().min(1).max(7)).min(1).max(7).optional(),
    times: z.array(TimeSlotInput).min(1).max(24).optional(),
  })
  .openapi('InspectionPublishSlotsRequest');

export const PublishSlotsResult = z.object({ created: z.number().int(), skipped: z.number().int(), from: z.string(), to: z.string() }).openapi('InspectionPublishSlotsResult');

export const StaffSlot = z
  .object({
    id: z.string(),
    stationId: z.string(),
    stationName: z.string(),
    day: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    capacity: z.number().int(),
    booked: z.number().int(),
    crossCityBooked: z.number().int(),
    free: z.number().int(),
    status: z.enum(['open', 'closed', 'suspended']),
    closureReason: z.string().nullable(),
    closureNote: z.string().nullable(),
  })
  .openapi('InspectionStaffSlot');

export const CapacityRequest = z
  .strictObject({
    capacity: z.number().int().min(0).max(500),
    /** What happens to bookings above the new capacity: refuse (default), cancel them, or move them to `targetSlotId`. */
    excess: z.enum(['refuse', 'cancel', 'move']).default('refuse'),
    targetSlotId: uuid.optional(),
  })
  .openapi('InspectionCapacityRequest');

export const CloseSlotsRequest = z
  .strictObject({
    ids: z.array(uuid).min(1).max(500),
    reason: z.enum(['system_failure', 'power_cut', 'bad_weather', 'other']),
    note: text({ max: 500, multiline: true }).default(''),
  })
  .openapi('InspectionCloseSlotsRequest');

export const CloseSlotsResult = z.object({ closureId: z.string(), closed: z.number().int(), notified: z.number().int() }).openapi('InspectionCloseSlotsResult');

export const StationStatusRequest = z
  .strictObject({
    status: z.enum(['suspended', 'withdrawn', 'active']),
    reason: z.enum(['equipment_failure', 'plan_change', 'licence_expired', 'licence_revoked', 'resumed']),
    note: text({ max: 500, multiline: true }).default(''),
  })
  .openapi('InspectionStationStatusRequest');

export const StaffBooking = z
  .object({
    id: z.string(),
    code: z.string(),
    status: z.string(),
    cancelledReason: z.string().nullable(),
    disruption: z.string().nullable(),
    crossCity: z.boolean(),
    plateNo: z.string().nullable(),
    vehicleType: z.string(),
    phoneMasked: z.string(),
    stationId: z.string(),
    stationName: z.string(),
    slotId: z.string(),
    day: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    createdAt: z.string(),
    suggestion: Alternative.nullable(),
  })
  .openapi('InspectionStaffBooking');

export const StationStatusResult = z
  .object({ station: StationDto, noticeId: z.string(), pending: z.array(StaffBooking) })
  .openapi('InspectionStationStatusResult');

export const EndBookingRequest = z
  .strictObject({ outcome: z.enum(['completed', 'no_show', 'cancelled']), note: text({ max: 500, multiline: true }).default('') })
  .openapi('InspectionEndBookingRequest');

export const CityDto = z
  .object({ id: z.string(), name: z.string(), provinceId: z.string().nullable(), bookingEnabled: z.boolean(), note: z.string(), updatedAt: z.string().nullable(), stations: z.number().int() })
  .openapi('InspectionCity');

export const CityBookingRequest = z.strictObject({ enabled: z.boolean(), note: text({ max: 500, multiline: true }).default('') }).openapi('InspectionCityBookingRequest');

export const PlanEntryInput = z.strictObject({
  stationId: uuid,
  quotaPerSlot: z.number().int().min(1).max(500),
  fromDay: day,
  toDay: day,
});

export const PlanRequest = z
  .strictObject({ note: text({ max: 1000, multiline: true }).default(''), entries: z.array(PlanEntryInput).min(1).max(200) })
  .openapi('InspectionPlanRequest');

export const PlanDto = z
  .object({
    id: z.string(),
    cityId: z.string(),
    cityName: z.string(),
    status: z.enum(['draft', 'filed']),
    note: z.string(),
    entries: z.array(
      z.object({
        stationId: z.string(), stationName: z.string(), quotaPerSlot: z.number().int(), fromDay: z.string(), toDay: z.string(),
        vehicleTypes: z.array(z.string()), maxAxleLoadKg: z.number().int().nullable(), brakeTypes: z.array(z.string()),
      }),
    ),
    createdAt: z.string(),
    updatedAt: z.string(),
    filedAt: z.string().nullable(),
    publishedVersion: z.number().int().nullable(),
    inForce: z.boolean(),
  })
  .openapi('InspectionPlan');

export const PublishPlanRequest = z.strictObject({ notice: text({ max: 2000, multiline: true }).default('') }).openapi('InspectionPublishPlanRequest');

export const ProvincePlanDto = z
  .object({ id: z.string(), provinceId: z.string(), provinceName: z.string(), version: z.number().int(), notice: z.string(), publishedAt: z.string(), cityPlanIds: z.array(z.string()) })
  .openapi('InspectionProvincePlan');

export const StaffScope = z
  .object({
    authorityId: z.string(),
    authorityName: z.string(),
    level: z.enum(['city', 'province']),
    stationId: z.string().nullable(),
    canSwitchCity: z.boolean(),
    canPublishProvincePlan: z.boolean(),
  })
  .openapi('InspectionStaffScope');

// --- the station's day roster (issue 18) ---

export const RosterEntry = z
  .object({
    id: z.string(),
    code: z.string(),
    status: z.enum(['booked', 'cancelled', 'moved', 'completed', 'no_show']),
    cancelledReason: z.string().nullable(),
    disruption: z.string().nullable(),
    arrivedAt: z.string().nullable(),
    endedAt: z.string().nullable(),
    crossCity: z.boolean(),
    plateNo: z.string().nullable(),
    vehicleType: z.string(),
    brandModel: z.string(),
    bookerNameMasked: z.string().nullable(),
    phoneMasked: z.string(),
    stationId: z.string(),
    stationName: z.string(),
    slotId: z.string(),
    day: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    marks: z.array(z.enum(['arrived', 'done', 'no_show'])).openapi({ description: 'The marks the station can record on this booking now' }),
  })
  .openapi('InspectionRosterEntry');

export const RosterMarkRequest = z
  .strictObject({ mark: z.enum(['arrived', 'done', 'no_show']), note: text({ max: 500, multiline: true }).default('') })
  .openapi('InspectionRosterMarkRequest');
