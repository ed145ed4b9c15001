import type { Sql } from '../db.ts';
import type { Config } from '../env.ts';
import type { Logger } from '../platform/log.ts';
import type { OutboxProviders } from '../platform/outbox.ts';

export type Deps = {
  sql: Sql;
  /**
   * A few connections for short, lock-free reads that every request makes (the
   * session, the booking's read): many requests' statements share one socket
   * write and Postgres answers them back to back (ADR-016). Never
   * for a statement that writes or waits on a lock. Absent → `sql`.
   */
  reads?: Sql;
  config: Config;
  log: Logger;
  /** The platform clock; in dev/test the dev_clock offset is added per request. */
  clock: { now(): Date };
  providers: OutboxProviders;
};

/** The pool for short lock-free reads, or the main one (tests make one pool). */
export const readsOf = (deps: Deps): Sql => deps.reads ?? deps.sql;

/** `principal` is null on an endpoint with a deferred session until its service has read the session (platform/sessions.ts). */
export type IdempotencyContext = { principal: string | null; key: string; method: string; path: string; hash: string };

export type UserPrincipal = { kind: 'user'; id: string; sessionId: string; label: string };
export type StaffPrincipal = {
  kind: 'staff';
  id: string;
  sessionId: string;
  label: string;
  roles: StaffRole[];
  authorityId: string;
  stationId: string | null;
  organisationId: string | null;
  /**
   * Whether the member's second factor is enabled. Without it the session is
   * an enrolment session: only the TOTP enrolment routes open (issue 17,
   * GB/T 22239 level 3; `requireStaff` in http/auth.ts).
   */
  totpEnrolled: boolean;
};
/** Business posts, the system administrator, and 审计员 who reads the audit log and holds no post (issue 17, ADR-024). */
export type StaffRole =
  | 'intake'
  | 'review'
  | 'archive'
  | 'station_operator'
  | 'dealer'
  | 'system_admin'
  | 'auditor'
  /** an entrusted medical institution's operator (X-4.3.1, PD-12), bound to its organisation */
  | 'medical_operator'
  /** an exam station's operator, bound to its exam station */
  | 'exam_operator';

/** Who did it, for the audit log. */
export type Actor =
  | { kind: 'user' | 'staff'; id: string; label: string; authorityId?: string | null }
  | { kind: 'system' | 'anonymous'; id?: null; label: string; authorityId?: string | null };

/** The signed-in citizen, or — on an endpoint with a deferred session — the session her service reads first (platform/sessions.ts). */
export type Citizen = (Actor & { kind: 'user' }) | { deferredSession: string };

export type RequestMeta = { requestId: string; ip: string; now: Date };
