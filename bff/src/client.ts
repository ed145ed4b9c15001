/**
 * Typed client for the citizen API, used by `web` (server-side loads and the
 * browser-side offline replay): the fetch, Idempotency-Key and error plumbing
 * and one typed function per call. The body types come from the bff's zod
 * schemas through `contract.ts` — never written here a second time.
 */
import type {
  AuthResponse,
  BindingsResponse,
  BindLicenceToOrganisationRequest,
  CancelRequest,
  ChangeContactRequest,
  ChangePasswordRequest,
  ChangePhoneRequest,
  CitizenApplication,
  DataAccessLog,
  DueSoon,
  InspectionAlternatives,
  InspectionBooking,
  InspectionBookings,
  InspectionBookRequest,
  InspectionMoveRequest,
  InspectionNotice,
  InspectionSlotQuery,
  InspectionSlotSearch,
  InspectionVehicles,
  MeResponse,
  MyPlates,
  PasswordResetCodeRequest,
  PasswordResetRequest,
  PasswordResetResponse,
  MyReplacements,
  OwnRecord,
  PersonForm,
  PrefillCreate,
  PhoneCodeRequest,
  PhotoSubmission,
  PlateDrawProof,
  PlateDrawRequest,
  PlatePickRequest,
  PlatePreselection,
  PlatePreselectionRequest,
  PlateSegment,
  PlateSerialCheck,
  PlateRulesCheck,
  Prefill,
  ReplacementApplication,
  ReplacementOptions,
  ReplacementRequest,
  ReplacementUpload,
  ReplacementUploadChunk,
  ReplacementUploadStart,
  SignInRequest,
  SignUpRequest,
  SmsCodeRequest,
  SmsCodeResponse,
  SmsSignInRequest,
  SubmitPhotoRequest,
  UploadDto,
} from './contract.ts';
import type { Problem } from './core/problem.ts';

export type * from './contract.ts';
export type { Problem, FieldError } from './core/problem.ts';
export type Locale = 'zh-CN' | 'en';
/** GET /api/v1/me as the account pages read it (the same answer as {@link MeResponse}). */
export type AccountMe = MeResponse;
export type ContactChange = ChangeContactRequest;

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

/** The problem+json of a failed answer; a body that is not one (a proxy's HTML page) still gives a problem. */
async function problemOf(res: Response): Promise<Problem> {
  const body = (await res.json().catch(() => null)) as Problem | null;
  return body && typeof body.code === 'string' && typeof body.title === 'string'
    ? body
    : { type: 'about:blank', code: 'request.failed', status: res.status, title: res.statusText };
}

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
    if (!res.ok) throw new ApiError(await problemOf(res));
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

/** The inspection calls, on a client made by {@link createClient}. */
export function inspectionsClient(api: ApiClient) {
  const { call } = api;
  const q = (params: Record<string, string | undefined>) => {
    const s = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined)).toString();
    return s ? `?${s}` : '';
  };
  return {
    vehicles: () => call<InspectionVehicles>('GET', '/api/v1/inspections/vehicles'),
    slots: (p: InspectionSlotQuery) => call<InspectionSlotSearch>('GET', `/api/v1/inspections/slots${q(p)}`),
    book: (b: InspectionBookRequest, c?: CallOptions) => call<InspectionBooking>('POST', '/api/v1/inspections/bookings', b, c),
    bookings: () => call<InspectionBookings>('GET', '/api/v1/inspections/bookings'),
    booking: (id: string) => call<InspectionBooking>('GET', `/api/v1/inspections/bookings/${encodeURIComponent(id)}`),
    cancel: (id: string, c?: CallOptions) => call<InspectionBooking>('POST', `/api/v1/inspections/bookings/${encodeURIComponent(id)}/cancel`, undefined, c),
    move: (id: string, b: InspectionMoveRequest, c?: CallOptions) => call<InspectionBooking>('POST', `/api/v1/inspections/bookings/${encodeURIComponent(id)}/move`, b, c),
    alternatives: (id: string) => call<InspectionAlternatives>('GET', `/api/v1/inspections/bookings/${encodeURIComponent(id)}/alternatives`),
    notices: () => call<{ notices: InspectionNotice[] }>('GET', '/api/v1/inspections/notices'),
  };
}

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
    rulesCheck: (plateKind: string, serial: string) =>
      call<PlateRulesCheck>('GET', `/api/v1/plates/rules-check?plateKind=${encodeURIComponent(plateKind)}&serial=${encodeURIComponent(serial)}`),
    draw: (psId: string, b: PlateDrawRequest, c?: CallOptions) => call<PlatePreselection>('POST', `/api/v1/plates/preselections/${id(psId)}/draws`, b, c),
    pick: (psId: string, b: PlatePickRequest, c?: CallOptions) => call<PlatePreselection>('POST', `/api/v1/plates/preselections/${id(psId)}/pick`, b, c),
    proof: (drawId: string) => call<PlateDrawProof>('GET', `/api/v1/plates/draws/${id(drawId)}/proof`),
  };
}

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
    uploadChunk: (id: string, index: number, data: string) => call<ReplacementUpload>('PUT', `/api/v1/replacements/uploads/${encodeURIComponent(id)}/chunks/${index}`, { data } satisfies ReplacementUploadChunk),
    completeUpload: (id: string) => call<ReplacementUpload>('POST', `/api/v1/replacements/uploads/${encodeURIComponent(id)}/complete`),
  };
}

/** Issue 18: password reset by SMS code, on a client made by {@link createClient}. */
export function passwordResetClient(api: ApiClient) {
  const { call } = api;
  return {
    requestCode: (b: PasswordResetCodeRequest) => call<SmsCodeResponse>('POST', '/api/v1/auth/password-reset/sms-code', b),
    reset: (b: PasswordResetRequest) => call<PasswordResetResponse>('POST', '/api/v1/auth/password-reset', b),
  };
}

/** The account calls, on a client made by {@link createClient}. */
export function accountsClient(api: ApiClient) {
  const { call } = api;
  const id = encodeURIComponent;
  return {
    signUp: (b: SignUpRequest, c?: CallOptions) => call<AuthResponse>('POST', '/api/v1/auth/sign-up', b, c),
    me: () => call<MeResponse>('GET', '/api/v1/me'),
    bindings: () => call<BindingsResponse>('GET', '/api/v1/me/bindings'),
    bindVehicle: (vehicleId: string) => call<BindingsResponse>('POST', `/api/v1/me/vehicles/${id(vehicleId)}/bind`),
    unbindVehicle: (vehicleId: string) => call<BindingsResponse>('POST', `/api/v1/me/vehicles/${id(vehicleId)}/unbind`),
    bindLicence: (licenceId: string) => call<BindingsResponse>('POST', `/api/v1/me/licences/${id(licenceId)}/bind`),
    unbindLicence: (licenceId: string) => call<BindingsResponse>('POST', `/api/v1/me/licences/${id(licenceId)}/unbind`),
    bindLicenceToOrganisation: (licenceId: string, uscc: string) =>
      call<BindingsResponse>('POST', `/api/v1/me/licences/${id(licenceId)}/organisations`, { uscc } satisfies BindLicenceToOrganisationRequest),
    unbindLicenceFromOrganisation: (licenceId: string, accountId: string) =>
      call<BindingsResponse>('POST', `/api/v1/me/licences/${id(licenceId)}/organisations/${id(accountId)}/unbind`),
    changeContact: (b: ChangeContactRequest, c?: CallOptions) => call<MeResponse>('POST', '/api/v1/me/contact', b, c),
    requestPhoneCode: (phone: string) => call<SmsCodeResponse>('POST', '/api/v1/me/phone/sms-code', { phone } satisfies PhoneCodeRequest),
    changePhone: (b: ChangePhoneRequest) => call<MeResponse>('POST', '/api/v1/me/phone', b),
    changePassword: (b: ChangePasswordRequest) => call<void>('POST', '/api/v1/me/password', b),
    suspend: () => call<void>('POST', '/api/v1/me/suspend'),
    cancel: (b: CancelRequest) => call<void>('POST', '/api/v1/me/cancel', b),
    photos: () => call<PhotoSubmission[]>('GET', '/api/v1/me/certificate-photos'),
    submitPhoto: (b: SubmitPhotoRequest) => call<PhotoSubmission[]>('POST', '/api/v1/me/certificate-photos', b),
    applications: () => call<CitizenApplication[]>('GET', '/api/v1/applications'),
    application: (reference: string) => call<CitizenApplication>('GET', `/api/v1/applications/${id(reference)}`),
    track: (token: string) => call<CitizenApplication>('GET', `/api/v1/applications/track/${id(token)}`),
    createPrefill: (form: PersonForm, c?: CallOptions) => call<Prefill>('POST', '/api/v1/applications/prefills', { form } satisfies PrefillCreate, c),
    prefill: (code: string) => call<Prefill>('GET', `/api/v1/applications/prefills/${id(code)}`),
    dataAccess: () => call<DataAccessLog>('GET', '/api/v1/me/data-access'),
    dueSoon: () => call<DueSoon>('GET', '/api/v1/me/due-soon'),
    ownRecord: () => call<OwnRecord>('GET', '/api/v1/me/record'),
  };
}

/** POST /api/v1/uploads: the photo's bytes as the body (JPEG / PNG ≤ 5 MB); answers the stored upload. */
export async function uploadCertificatePhoto(opts: ClientOptions, body: Blob | Uint8Array, contentType: string): Promise<UploadDto> {
  const f = opts.fetch ?? fetch;
  const res = await f(new URL('/api/v1/uploads?purpose=certificate_photo', opts.baseUrl), {
    method: 'POST',
    headers: { accept: 'application/json', ...opts.headers, 'content-type': contentType },
    body: body as Blob,
  });
  if (!res.ok) throw new ApiError(await problemOf(res));
  return (await res.json()) as UploadDto;
}
