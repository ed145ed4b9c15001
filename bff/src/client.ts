/**
 * Typed client for the citizen API, used by `web` (server-side loads and the
 * browser-side offline replay). Shapes mirror the zod schemas in the modules;
 * the OpenAPI document at /api/openapi.json is generated from those schemas.
 */
export type Locale = 'zh-CN' | 'en';

export type Problem = {
  type: string;
  code: string;
  status: number;
  title: string;
  detail?: string;
  requestId?: string;
  fields?: Record<string, string>;
  fieldMessages?: Record<string, string>;
};

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
