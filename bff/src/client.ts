/**
 * Typed client for the citizen API, used by `web` (server-side loads and the
 * browser-side offline replay). Shapes mirror the zod schemas in the modules;
 * the OpenAPI document at /api/openapi.json is generated from those schemas.
 */
export type Locale = 'zh-CN' | 'en';

export type { Problem, FieldError } from './core/problem.ts';
import type { Problem } from './core/problem.ts';

export type UserDto = {
  id: string;
  name: string;
  phoneMasked: string;
  idNumberMasked: string;
  kind: 'personal' | 'organisation';
  personalType: 'owner_driver' | 'learner' | 'new_car_owner' | null;
  registrationChannel: 'online' | 'counter';
  status: 'active' | 'suspended' | 'cancelled';
};

export type VehicleDto = {
  id: string;
  plateNo: string | null;
  plateKind: string;
  vehicleType: string;
  brandModel: string;
  vinMasked: string;
  states: string[];
  inspectionValidUntil: string | null;
  binding: 'own' | 'non_own' | 'organisation';
};

export type LicenceDto = {
  id: string;
  licenceNoMasked: string;
  classes: string;
  validUntil: string;
  status: string;
  points: number;
};

export type MeResponse = { user: UserDto; vehicles: VehicleDto[]; licences: LicenceDto[]; asOf: string };

export type SmsCodeRequest = { phone: string; purpose: 'sign_up' | 'sign_in' };
export type SmsCodeResponse = { expiresAt: string; resendAfterSeconds: number };
export type SignUpRequest = { name: string; idNumber: string; phone: string; smsCode: string; password: string };
export type SignInRequest = { phone: string; password: string };
export type SmsSignInRequest = { phone: string; smsCode: string };
export type AuthResponse = { user: UserDto };

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.title);
  }
}

type Fetch = typeof fetch;

export type ClientOptions = {
  baseUrl: string;
  fetch?: Fetch;
  /** Extra headers on every call: cookie forwarding, Accept-Language. */
  headers?: Record<string, string>;
};

export type CallOptions = { idempotencyKey?: string };

/** A response plus the headers the caller may need to forward (Set-Cookie). */
export type ApiResult<T> = { data: T; status: number; headers: Headers };

export function createClient(opts: ClientOptions) {
  const f = opts.fetch ?? fetch;
  async function call<T>(method: string, path: string, body?: unknown, call?: CallOptions): Promise<ApiResult<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (call?.idempotencyKey) headers['idempotency-key'] = call.idempotencyKey;
    const res = await f(new URL(path, opts.baseUrl), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) {
      const problem = (await res.json().catch(() => null)) as Problem | null;
      throw new ApiError(
        problem ?? { type: 'about:blank', code: 'request.failed', status: res.status, title: res.statusText },
      );
    }
    const data = (res.status === 204 ? undefined : await res.json()) as T;
    return { data, status: res.status, headers: res.headers };
  }
  return {
    call,
    requestSmsCode: (b: SmsCodeRequest, c?: CallOptions) => call<SmsCodeResponse>('POST', '/api/v1/auth/sms-codes', b, c),
    signUp: (b: SignUpRequest, c?: CallOptions) => call<AuthResponse>('POST', '/api/v1/auth/sign-up', b, c),
    signIn: (b: SignInRequest) => call<AuthResponse>('POST', '/api/v1/auth/sign-in', b),
    signInWithSms: (b: SmsSignInRequest) => call<AuthResponse>('POST', '/api/v1/auth/sign-in/sms', b),
    signOut: () => call<void>('POST', '/api/v1/auth/sign-out'),
    signOutEverywhere: () => call<void>('POST', '/api/v1/auth/sign-out-everywhere'),
    me: () => call<MeResponse>('GET', '/api/v1/me'),
  };
}

export type ApiClient = ReturnType<typeof createClient>;

// ---------------------------------------------------------------------------
// Safety-inspection appointments (issue 6, /api/v1/inspections). Shapes mirror
// bff/src/modules/inspections/schemas.ts.
// ---------------------------------------------------------------------------

export type InspectionRefusal = { code: string; title: string; detail: string | null; params: Record<string, string | number> | null };

export type InspectionVehicle = {
  id: string;
  plateNo: string | null;
  plateKind: string;
  vehicleType: string;
  brandModel: string;
  binding: 'own' | 'non_own' | 'organisation';
  registrationCityId: string;
  registrationCityName: string;
  inspectionValidUntil: string | null;
  eligible: boolean;
  overdue: boolean;
  /** The day booking opens: three months before the valid-until day. */
  opensOn: string | null;
  reason: InspectionRefusal | null;
  activeBookingId: string | null;
};
export type InspectionVehicles = { vehicles: InspectionVehicle[]; asOf: string };

export type InspectionOfferedSlot = { id: string; day: string; startsAt: string; endsAt: string; capacity: number; free: number };
export type InspectionOfferedStation = {
  id: string;
  name: string;
  address: string;
  phone: string | null;
  cityId: string;
  cityName: string;
  /** Offered under the province's published cross-city plan. */
  crossCity: boolean;
  slots: InspectionOfferedSlot[];
};
export type InspectionSlotSearch = { vehicleId: string; plateNo: string | null; from: string; to: string; stations: InspectionOfferedStation[]; asOf: string };

export type InspectionBooking = {
  id: string;
  code: string;
  status: 'booked' | 'cancelled' | 'moved' | 'completed' | 'no_show';
  cancelledReason: string | null;
  disruption: 'slot_closed' | 'station_suspended' | 'station_withdrawn' | null;
  crossCity: boolean;
  vehicle: { id: string; plateNo: string | null; brandModel: string };
  station: { id: string; name: string; address: string; phone: string | null; cityName: string };
  slot: { id: string; day: string; startsAt: string; endsAt: string };
  movedFromId: string | null;
  createdAt: string;
  endedAt: string | null;
  canCancel: boolean;
  canMove: boolean;
};
export type InspectionBookings = { bookings: InspectionBooking[]; asOf: string };

export type InspectionAlternative = {
  slotId: string;
  stationId: string;
  stationName: string;
  address: string;
  cityName: string;
  day: string;
  startsAt: string;
  endsAt: string;
  free: number;
  distanceKm: number | null;
  crossCity: boolean;
};
export type InspectionAlternatives = { bookingId: string; alternatives: InspectionAlternative[]; asOf: string };

export type InspectionNotice = {
  id: string;
  stationId: string;
  stationName: string;
  cityName: string;
  fromStatus: string;
  toStatus: string;
  reason: string;
  note: string;
  pendingBookings: number;
  at: string;
};

/** The inspection calls, on a client made by {@link createClient}. */
export function inspectionsClient(api: ApiClient) {
  const { call } = api;
  const q = (params: Record<string, string | undefined>) => {
    const s = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined)).toString();
    return s ? `?${s}` : '';
  };
  return {
    vehicles: () => call<InspectionVehicles>('GET', '/api/v1/inspections/vehicles'),
    slots: (p: { vehicleId: string; from?: string; to?: string }) => call<InspectionSlotSearch>('GET', `/api/v1/inspections/slots${q(p)}`),
    book: (b: { vehicleId: string; slotId: string }, c?: CallOptions) => call<InspectionBooking>('POST', '/api/v1/inspections/bookings', b, c),
    bookings: () => call<InspectionBookings>('GET', '/api/v1/inspections/bookings'),
    booking: (id: string) => call<InspectionBooking>('GET', `/api/v1/inspections/bookings/${encodeURIComponent(id)}`),
    cancel: (id: string, c?: CallOptions) => call<InspectionBooking>('POST', `/api/v1/inspections/bookings/${encodeURIComponent(id)}/cancel`, undefined, c),
    move: (id: string, b: { slotId: string }, c?: CallOptions) => call<InspectionBooking>('POST', `/api/v1/inspections/bookings/${encodeURIComponent(id)}/move`, b, c),
    alternatives: (id: string) => call<InspectionAlternatives>('GET', `/api/v1/inspections/bookings/${encodeURIComponent(id)}/alternatives`),
    notices: () => call<{ notices: InspectionNotice[] }>('GET', '/api/v1/inspections/notices'),
  };
}

// ---------------------------------------------------------------------------
// Plate-number preselection (issue 4, /api/v1/plates). Shapes mirror
// bff/src/modules/plates/schemas.ts.
// ---------------------------------------------------------------------------

export type PlateKind = 'small_blue' | 'small_new_energy' | 'large_yellow' | 'large_new_energy';
export type OwnerIdType = 'resident_id' | 'passport' | 'hk_macao_permit' | 'taiwan_permit' | 'foreign_permanent_id' | 'military_id' | 'uscc';

export type PlateSegment = {
  id: string;
  authorityId: string;
  authorityName: string;
  prefix: string;
  plateKind: PlateKind;
  pattern: string;
  size: number;
  excludeDigits: string;
  startAt: string;
  /** announced = published, not open yet */
  state: 'announced' | 'open';
  available: number | null;
};

export type PlateSerialCheck = {
  plateNo: string;
  serial: string;
  status: 'free' | 'taken' | 'withheld' | 'invalid';
  problems: { code: string; message: string }[];
};

export type PlateOffer = {
  id: string;
  drawNo: number;
  numbers: string[];
  drawnAt: string;
  expiresAt: string;
  commitment: string;
  status: 'open' | 'picked' | 'expired' | 'superseded' | 'lapsed';
};

export type PlatePreselection = {
  id: string;
  reference: string;
  planId: string;
  authorityName: string;
  prefix: string;
  plateKind: PlateKind;
  mode: 'self' | 'random';
  vinMasked: string;
  ownerIdType: OwnerIdType;
  ownerIdNumberMasked: string;
  ownerNameMasked: string;
  phoneMasked: string;
  plateNo: string | null;
  status: 'drawing' | 'reserved' | 'registered' | 'expired' | 'cancelled' | 'lapsed';
  createdAt: string;
  reservedAt: string | null;
  /** the instant the reservation lapses (24:00 of the third working day) */
  deadline: string | null;
  /** the last calendar day to register */
  lastDay: string | null;
  registeredAt: string | null;
  endedAt: string | null;
  mismatchFields: string[] | null;
  drawsUsed: number;
  drawsLeft: number;
  offer: PlateOffer | null;
  draws: { id: string; drawNo: number; status: string; proofAvailable: boolean }[];
  /** the server's now: countdowns run against it, not the device clock */
  asOf: string;
};

export type PlateBan = { reason: 'overdue' | 'mismatch'; startsAt: string; endsOn: string; reference: string };
export type MyPlates = { current: PlatePreselection | null; history: PlatePreselection[]; ban: PlateBan | null; asOf: string };

export type PlatePreselectionRequest = {
  planId: string;
  mode: 'self' | 'random';
  serial?: string;
  vin: string;
  ownerIdType: OwnerIdType;
  ownerIdNumber: string;
  ownerName: string;
  phone: string;
};

export type PlateDrawProof = {
  drawId: string;
  drawNo: number;
  algorithm: string;
  seed: string;
  commitment: string;
  planId: string;
  poolVersion: number;
  poolSize: number;
  poolDigest: string | null;
  drawnAt: string;
  expiresAt: string;
  endedAt: string;
  status: string;
  candidates: { n: number; idx: number; plateNo: string; outcome: string }[];
  rejectedWords: number;
  offered: string[];
  picked: string | null;
  /** the server's own re-run of the published algorithm */
  verified: boolean;
};

/** The plate-preselection calls, on a client made by {@link createClient}. */
export function platesClient(api: ApiClient) {
  const { call } = api;
  const id = (v: string) => encodeURIComponent(v);
  return {
    segments: () => call<PlateSegment[]>('GET', '/api/v1/plates/segments'),
    check: (segmentId: string, serial: string) => call<PlateSerialCheck>('GET', `/api/v1/plates/segments/${id(segmentId)}/check?serial=${encodeURIComponent(serial)}`),
    mine: () => call<MyPlates>('GET', '/api/v1/plates/me'),
    preselect: (b: PlatePreselectionRequest, c?: CallOptions) => call<PlatePreselection>('POST', '/api/v1/plates/preselections', b, c),
    preselection: (psId: string) => call<PlatePreselection>('GET', `/api/v1/plates/preselections/${id(psId)}`),
    draw: (psId: string, c?: CallOptions) => call<PlatePreselection>('POST', `/api/v1/plates/preselections/${id(psId)}/draws`, undefined, c),
    pick: (psId: string, b: { drawId: string; plateNo: string }, c?: CallOptions) => call<PlatePreselection>('POST', `/api/v1/plates/preselections/${id(psId)}/pick`, b, c),
    proof: (drawId: string) => call<PlateDrawProof>('GET', `/api/v1/plates/draws/${id(drawId)}/proof`),
  };
}

// ---------------------------------------------------------------------------
// Replacements (补、换领号牌、行驶证、检验合格标志, R-26 … R-29) — issue 5
// ---------------------------------------------------------------------------

export type ReplacementItem = 'plate' | 'vehicle_licence' | 'inspection_sticker';
export type ReplacementKind = 'replacement' | 'exchange';
export type ReplacementDelivery = 'post' | 'pickup';
/** A refusal explained: the localised title and, where the rule has particulars, a detail sentence. */
export type RefusalReason = { code: string; title: string; detail: string | null };

export type ReplacementOptions = {
  eligible: boolean;
  refusal: RefusalReason | null;
  bar: { endsOn: string; reason: string } | null;
  recipient: { name: string; phoneMasked: string; postalAddress: string | null; postcode: string | null };
  vehicles: {
    id: string;
    plateNo: string | null;
    plateKind: string;
    brandModel: string;
    vinMasked: string;
    states: string[];
    binding: string;
    authorityName: string;
    items: {
      item: ReplacementItem;
      allowed: boolean;
      reason: RefusalReason | null;
      postAllowed: boolean;
      postReason: RefusalReason | null;
      tempPlateOffered: boolean;
      insuranceRequired: boolean;
    }[];
  }[];
};

export type ReplacementRequest = {
  vehicleId: string;
  item: ReplacementItem;
  kind: ReplacementKind;
  reasonNote?: string;
  delivery: ReplacementDelivery;
  recipientName?: string;
  recipientPhone?: string;
  postalAddress?: string;
  postcode?: string;
  tempPlate?: boolean;
  insuranceUploadId?: string;
};

export type ReplacementApplication = {
  id: string;
  reference: string;
  status: string;
  item: ReplacementItem;
  kind: ReplacementKind;
  reasonNote: string;
  plateNo: string | null;
  plateKind: string;
  brandModel: string;
  vinMasked: string;
  authorityId: string;
  authorityName: string;
  delivery: ReplacementDelivery;
  tempPlateRequested: boolean;
  tempPlateNo: string | null;
  oldItemHandOverRequired: boolean;
  oldItemHandedOver: boolean | null;
  submittedAt: string;
  acceptDeadline: string;
  acceptLastDay: string;
  acceptedAt: string | null;
  rejectedAt: string | null;
  rejectionReason: string | null;
  producedAt: string | null;
  sentAt: string | null;
  post: { messageId: string; status: string | null; trackingNo: string | null } | null;
  readyAt: string | null;
  pickupLastDay: string | null;
  completedAt: string | null;
  failedAt: string | null;
  archivedAt: string | null;
  closedAt: string | null;
  updatedAt: string;
  recipientName: string | null;
  recipientPhoneMasked: string | null;
  postalAddress: string | null;
  postcode: string | null;
  events: { at: string; status: string; note: string | null }[];
  bar?: ReplacementBar | null;
};

/** no online replacement (plates, 行驶证, sticker, 驾驶证) until `endsOn`. */
export type ReplacementBar = { endsOn: string; reason: string; startsAt: string; reference: string };
export type MyReplacements = { bar: ReplacementBar | null; applications: ReplacementApplication[]; asOf: string };

/** Chunked upload (JSON bodies stay small): start, PUT chunks of `chunkBytes` in order as base64, complete. */
export type ReplacementUploadStart = { fileName: string; contentType: 'image/jpeg' | 'image/png' | 'application/pdf'; sizeBytes: number; sha256: string };
export type ReplacementUpload = {
  id: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  receivedBytes: number;
  nextChunk: number;
  chunkBytes: number;
  status: 'receiving' | 'complete';
};

/** The replacement calls, on a client made by {@link createClient}. */
export function replacementsClient(api: ApiClient) {
  const { call } = api;
  return {
    options: () => call<ReplacementOptions>('GET', '/api/v1/replacements/options'),
    mine: () => call<MyReplacements>('GET', '/api/v1/replacements'),
    get: (id: string) => call<ReplacementApplication>('GET', `/api/v1/replacements/${encodeURIComponent(id)}`),
    apply: (b: ReplacementRequest, c?: CallOptions) => call<ReplacementApplication>('POST', '/api/v1/replacements', b, c),
    cancel: (id: string, c?: CallOptions) => call<ReplacementApplication>('POST', `/api/v1/replacements/${encodeURIComponent(id)}/cancel`, undefined, c),
    startUpload: (b: ReplacementUploadStart) => call<ReplacementUpload>('POST', '/api/v1/replacements/uploads', b),
    uploadChunk: (id: string, index: number, data: string) => call<ReplacementUpload>('PUT', `/api/v1/replacements/uploads/${encodeURIComponent(id)}/chunks/${index}`, { data }),
    completeUpload: (id: string) => call<ReplacementUpload>('POST', `/api/v1/replacements/uploads/${encodeURIComponent(id)}/complete`),
  };
}

// ---------------------------------------------------------------------------
// Accounts (issue 3, 第二章): registration types, services, bindings, changes,
// suspension, cancellation, certificate photo, counter applications' timeline
// and the pre-filled counter form. Shapes mirror bff/src/modules/accounts/schemas.ts.
// ---------------------------------------------------------------------------

export type PersonalType = 'owner_driver' | 'learner' | 'new_car_owner';
/** what an account may use (bff/src/modules/accounts/rules.ts `SERVICES`). */
export type AccountService =
  | 'bind_own_vehicles' | 'bind_own_licence' | 'query_bound' | 'plate_preselection' | 'inspection_booking' | 'exam_booking'
  | 'violation_handling' | 'fine_payment' | 'bind_licence_to_organisation' | 'replacement' | 'licence_services' | 'certificate_photo_upload'
  | 'bind_organisation_vehicles' | 'manage_driver_licences' | 'delegated_business' | 'special_services' | 'change_contact'
  | 'change_password' | 'suspend' | 'cancel' | 'reactivate';

export type AccountMe = MeResponse & {
  services: AccountService[];
  contact: { email: string | null; postalAddress: string | null; postcode: string | null };
  /** a new-car owner must preselect a plate before this instant */
  preselectBy: string | null;
};

export type BindingsResponse = {
  vehicles: (VehicleDto & { boundAt: string })[];
  licences: (LicenceDto & { binding: 'own' | 'organisation'; holderNameMasked: string })[];
  bindableVehicles: { id: string; plateNo: string | null; brandModel: string; vinMasked: string; bindable: boolean }[];
  bindableLicences: { id: string; licenceNoMasked: string; classes: string; status: string; bindable: boolean }[];
  organisationLinks: { licenceId: string; organisationAccountId: string; organisationName: string; usccMasked: string; boundAt: string }[];
  nonOwnCount: number;
  nonOwnLimit: number;
};

export type PhotoSubmission = {
  id: string; licenceId: string; status: 'submitted' | 'approved' | 'rejected'; submittedAt: string; dueAt: string; reviewedAt: string | null; rejectReason: string | null;
};

export type TimelineStep = {
  step: 'accepted' | 'check_pending' | 'check_passed' | 'check_failed' | 'returned' | 'resubmitted' | 'approved' | 'rejected' | 'completed' | 'archived' | 'overdue';
  at: string;
  dueBy?: string;
  reason?: string;
};

export type CitizenApplication = {
  reference: string;
  subject: 'person' | 'organisation';
  kind: 'registration' | 'change';
  changeKind: string | null;
  status: 'review' | 'returned' | 'approved' | 'rejected' | 'completed';
  applicantNameMasked: string;
  acceptedAt: string;
  reviewDueAt: string | null;
  overdue: boolean;
  timeline: TimelineStep[];
  asOf: string;
};

/** 《互联网个人用户注册/变更申请表》. */
export type PersonForm = {
  name: string; sex: 'M' | 'F'; birthDate: string; idType: string; idNumber: string; phone: string; email: string | null; postalAddress: string; postcode: string;
};
export type Prefill = { code: string; form: PersonForm; expiresAt: string };

export type ContactChange = { email: string | null; postalAddress: string | null; postcode: string | null };

/** The account calls, on a client made by {@link createClient}. */
export function accountsClient(api: ApiClient) {
  const { call } = api;
  const id = encodeURIComponent;
  return {
    signUp: (b: SignUpRequest & { personalType?: PersonalType }, c?: CallOptions) => call<AuthResponse>('POST', '/api/v1/auth/sign-up', b, c),
    me: () => call<AccountMe>('GET', '/api/v1/me'),
    bindings: () => call<BindingsResponse>('GET', '/api/v1/me/bindings'),
    bindVehicle: (vehicleId: string) => call<BindingsResponse>('POST', `/api/v1/me/vehicles/${id(vehicleId)}/bind`),
    unbindVehicle: (vehicleId: string) => call<BindingsResponse>('POST', `/api/v1/me/vehicles/${id(vehicleId)}/unbind`),
    bindLicence: (licenceId: string) => call<BindingsResponse>('POST', `/api/v1/me/licences/${id(licenceId)}/bind`),
    unbindLicence: (licenceId: string) => call<BindingsResponse>('POST', `/api/v1/me/licences/${id(licenceId)}/unbind`),
    bindLicenceToOrganisation: (licenceId: string, uscc: string) => call<BindingsResponse>('POST', `/api/v1/me/licences/${id(licenceId)}/organisations`, { uscc }),
    unbindLicenceFromOrganisation: (licenceId: string, accountId: string) =>
      call<BindingsResponse>('POST', `/api/v1/me/licences/${id(licenceId)}/organisations/${id(accountId)}/unbind`),
    changeContact: (b: ContactChange, c?: CallOptions) => call<AccountMe>('POST', '/api/v1/me/contact', b, c),
    requestPhoneCode: (phone: string) => call<SmsCodeResponse>('POST', '/api/v1/me/phone/sms-code', { phone }),
    changePhone: (b: { phone: string; smsCode: string }) => call<AccountMe>('POST', '/api/v1/me/phone', b),
    changePassword: (b: { currentPassword?: string; newPassword: string }) => call<void>('POST', '/api/v1/me/password', b),
    suspend: () => call<void>('POST', '/api/v1/me/suspend'),
    cancel: (b: { password?: string; confirm: true }) => call<void>('POST', '/api/v1/me/cancel', b),
    photos: () => call<PhotoSubmission[]>('GET', '/api/v1/me/certificate-photos'),
    submitPhoto: (b: { licenceId: string; uploadId: string }) => call<PhotoSubmission[]>('POST', '/api/v1/me/certificate-photos', b),
    applications: () => call<CitizenApplication[]>('GET', '/api/v1/applications'),
    application: (reference: string) => call<CitizenApplication>('GET', `/api/v1/applications/${id(reference)}`),
    track: (token: string) => call<CitizenApplication>('GET', `/api/v1/applications/track/${id(token)}`),
    createPrefill: (form: PersonForm, c?: CallOptions) => call<Prefill>('POST', '/api/v1/applications/prefills', { form }, c),
    prefill: (code: string) => call<Prefill>('GET', `/api/v1/applications/prefills/${id(code)}`),
  };
}

/** POST /api/v1/uploads: the photo's bytes as the body (JPEG / PNG ≤ 5 MB); answers the stored upload. */
export async function uploadCertificatePhoto(opts: ClientOptions, body: Blob | Uint8Array, contentType: string): Promise<{ id: string; sha256: string; size: number; contentType: string }> {
  const f = opts.fetch ?? fetch;
  const res = await f(new URL('/api/v1/uploads?purpose=certificate_photo', opts.baseUrl), {
    method: 'POST',
    headers: { accept: 'application/json', ...opts.headers, 'content-type': contentType },
    body: body as Blob,
  });
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError((json as Problem | null) ?? { type: 'about:blank', code: 'request.failed', status: res.status, title: res.statusText });
  return json as { id: string; sha256: string; size: number; contentType: string };
}
