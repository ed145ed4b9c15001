/**
 * Fault-test helpers: the production bff as a real process (so it can be
 * killed with SIGKILL), an embedded PostgreSQL of the test's own (so it can
 * be stopped and started again), free ports in the chaos range
 * (19150–19199), and fixtures written straight in SQL against the real clock
 * (the production process has no test clock).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { createDatabase, loadSeed, migrate, startEmbeddedPostgres } from 'db';
import type { Sql } from '../../src/db.ts';
import { addDays, shanghaiDay } from '../../src/platform/calendar.ts';
import { createSession } from '../../src/platform/sessions.ts';
import { bffNodeFlags } from '../../src/node-flags.ts';
import { vinCheckChar } from '../../src/platform/check-digits.ts';
import { demoMerchantEnv } from '../../src/modules/payments/dev-gateway/demo-keys.ts';

export const BFF_DIR = path.resolve(import.meta.dirname, '../..');
export const FUTIAN = '80000000-0000-4000-8000-000000000001';
export const REVIEW_STAFF = '90000000-0000-4000-8000-000000000002';

const handedOut = new Set<number>();

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.unref();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A port of the chaos range nobody listens on. */
export async function chaosPort(): Promise<number> {
  for (let p = 19150; p <= 19199; p++) {
    if (handedOut.has(p)) continue;
    if (await canListen(p)) {
      handedOut.add(p);
      return p;
    }
  }
  throw new Error('no free port in 19150–19199');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 20_000, everyMs = 50): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

// ---------------------------------------------------------------------------
// The production bff, as a process
// ---------------------------------------------------------------------------

export type BffProcess = {
  url: string;
  port: number;
  child: ChildProcess;
  alive: () => boolean;
  /** kill -9: no shutdown handler runs, sockets just close */
  kill9: () => Promise<void>;
  stop: () => Promise<void>;
  output: () => string;
};

export async function startBff(databaseUrl: string, opts: { port?: number; env?: Record<string, string> } = {}): Promise<BffProcess> {
  const port = opts.port ?? (await chaosPort());
  const child = spawn(process.execPath, [...bffNodeFlags(BFF_DIR), 'dist/server.js'], {
    cwd: BFF_DIR,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      JOBS_ENABLED: 'true',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      TZ: 'UTC',
      // a production bff checks its payment merchant at startup (ADR-038): the demo merchant, unreachable
      ...demoMerchantEnv(),
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + String(d)).slice(-400_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`the bff on ${url}`, async () => {
    if (!alive()) throw new Error(`bff exited while starting:\n${out}`);
    const r = await fetch(`${url}/healthz`);
    return r.ok;
  }, 30_000, 100).catch((e) => {
    child.kill('SIGKILL');
    throw new Error(`${(e as Error).message}\n${out}`);
  });
  return {
    url,
    port,
    child,
    alive,
    kill9: async () => {
      if (alive()) child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (!alive()) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
    output: () => out,
  };
}

// ---------------------------------------------------------------------------
// A PostgreSQL of the test's own, that can be stopped and started again
// ---------------------------------------------------------------------------

export type OwnPostgres = { url: string; port: number; stop: () => Promise<void>; start: () => Promise<void>; destroy: () => Promise<void> };

export async function ownPostgres(database = 'jg_chaos'): Promise<OwnPostgres> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'jg-chaos-pg-'));
  chmodSync(tmp, 0o755); // the postgres user (under root) must enter it
  const dataDir = path.join(tmp, 'data');
  const port = await chaosPort();
  let handle = await startEmbeddedPostgres({ dataDir, port, persistent: true });
  const url = await createDatabase(handle.url, database);
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrate(sql);
    await loadSeed(sql);
  } finally {
    await sql.end();
  }
  let running = true;
  return {
    url,
    port,
    stop: async () => {
      if (!running) return;
      await handle.stop();
      running = false;
    },
    start: async () => {
      if (running) return;
      handle = await startEmbeddedPostgres({ dataDir, port, persistent: true });
      running = true;
    },
    destroy: async () => {
      if (running) await handle.stop().catch(() => {});
      running = false;
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------
// Fixtures against the real clock
// ---------------------------------------------------------------------------

export const today = () => shanghaiDay(new Date());

function vin(n: number): string {
  const draft = `LSVCH${String(n % 1000).padStart(3, '0')}0TC${String(n).padStart(6, '0').slice(-6)}`;
  return draft.slice(0, 8) + vinCheckChar(draft) + draft.slice(9);
}

export type Citizen = { userId: string; vehicleId: string; phone: string; cookie: string; n: number };

/**
 * `count` citizens from number `start`, each with one own small car due for
 * inspection in two months (booking open, R-35.3) and a live session,
 * written set-based (persons, accounts, vehicles, bindings in four statements).
 */
export async function citizens(sql: Sql, start: number, count: number, opts: { sessions?: boolean } = {}): Promise<Citizen[]> {
  const now = new Date();
  const validUntil = addDays(today(), 60);
  const ns = Array.from({ length: count }, (_, i) => start + i);
  // postgres.js learns the server's array types with its first query; sql.array() needs them.
  await sql`SELECT 1`;
  const rows = await sql<{ n: number; user_id: string; vehicle_id: string; phone: string }[]>`
    WITH input AS (
      SELECT n, '145' || lpad(n::text, 8, '0') AS phone, v AS vin FROM unnest(${sql.array(ns.map(String))}::int[], ${sql.array(ns.map(vin))}::text[]) AS t(n, v)
    ), p AS (
      INSERT INTO person (id_type, id_number, name, sex, birth_date, phone)
      SELECT 'passport', 'CHAOS' || lpad(n::text, 8, '0'), '混沌' || n, 'F', '1991-02-03', phone FROM input
      RETURNING id, phone
    ), u AS (
      INSERT INTO user_account (kind, personal_type, registration_channel, person_id, phone, created_at)
      SELECT 'personal', 'owner_driver', 'online', p.id, p.phone, ${now} FROM p
      RETURNING id, person_id, phone
    ), v AS (
      INSERT INTO vehicle (vin, plate_no, plate_kind, vehicle_type, brand_model, owner_person_id, owner_phone, registration_authority_id, registered_on, inspection_valid_until, axle_load_kg, brake_type)
      SELECT input.vin, '混B' || input.n, 'small_blue', 'K33', '测试车', u.person_id, u.phone, '440300', '2020-01-01', ${validUntil}, 900, 'hydraulic'
      FROM u JOIN input ON input.phone = u.phone
      RETURNING id, owner_phone
    ), b AS (
      INSERT INTO vehicle_binding (user_account_id, vehicle_id, kind, bound_at)
      SELECT u.id, v.id, 'own', ${now} FROM u JOIN v ON v.owner_phone = u.phone
      RETURNING user_account_id, vehicle_id
    )
    SELECT input.n, u.id AS user_id, v.id AS vehicle_id, input.phone
    FROM input JOIN u ON u.phone = input.phone JOIN v ON v.owner_phone = input.phone
    ORDER BY input.n`;
  const out: Citizen[] = [];
  for (const r of rows) {
    const cookie = opts.sessions === false ? '' : `jg_session=${(await createSession(sql, 'user', r.user_id, now, { ip: '127.0.0.1', userAgent: 'chaos' })).token}`;
    out.push({ userId: r.user_id, vehicleId: r.vehicle_id, phone: r.phone, cookie, n: r.n });
  }
  return out;
}

/** An open slot at 福田 `daysAhead` days from today (Asia/Shanghai), at an hour no seeded schedule uses. */
export async function slot(sql: Sql, daysAhead: number, minute: number, capacity: number): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    INSERT INTO inspection_slot (station_id, day, starts_at, ends_at, capacity, created_at, updated_at)
    VALUES (${FUTIAN}, ${addDays(today(), daysAhead)}, time '04:00' + make_interval(mins => ${minute}), time '04:00' + make_interval(mins => ${minute + 1}), ${capacity}, now(), now())
    RETURNING id`;
  return row!.id;
}

/** Capacity, counter and active bookings of slots; and whether any booking of theirs is half-written. */
export async function bookingState(sql: Sql, slotIds: string[]) {
  const [s] = await sql<{ capacity: number; booked: number; active: number; over: number; drift: number }[]>`
    SELECT sum(s.capacity)::int AS capacity, sum(s.booked)::int AS booked,
           (SELECT count(*)::int FROM inspection_booking b WHERE b.slot_id = ANY(${slotIds}::uuid[]) AND b.status = 'booked') AS active,
           count(*) FILTER (WHERE s.booked > s.capacity)::int AS over,
           count(*) FILTER (WHERE s.booked <> (SELECT count(*) FROM inspection_booking b WHERE b.slot_id = s.id AND b.status = 'booked'))::int AS drift
    FROM inspection_slot s WHERE s.id = ANY(${slotIds}::uuid[])`;
  const [h] = await sql<{ no_audit: number; no_sms: number; twice: number }[]>`
    SELECT count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity_type = 'inspection_booking' AND a.entity_id = b.id::text AND a.action = 'inspections.booked'))::int AS no_audit,
           count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM outbox_message m WHERE m.dedupe_key = 'inspections.booked:' || b.id))::int AS no_sms,
           (SELECT count(*)::int FROM (SELECT vehicle_id FROM inspection_booking WHERE status = 'booked' GROUP BY vehicle_id HAVING count(*) > 1) x) AS twice
    FROM inspection_booking b WHERE b.slot_id = ANY(${slotIds}::uuid[])`;
  return { ...s!, ...h! };
}

export type Answer = { status: number; code?: string; bookingCode?: string; id?: string; contentType?: string; error?: string };

/** One HTTP call; a transport failure (refused, reset) is an answer too. */
export async function call(url: string, init: RequestInit & { timeoutMs?: number }): Promise<Answer> {
  try {
    const r = await fetch(url, { ...init, signal: AbortSignal.timeout(init.timeoutMs ?? 15_000) });
    const text = await r.text();
    let body: { code?: string; id?: string } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      /* not JSON */
    }
    return {
      status: r.status,
      code: r.status >= 400 ? body.code : undefined,
      bookingCode: r.status < 300 ? body.code : undefined,
      id: body.id,
      contentType: r.headers.get('content-type') ?? undefined,
    };
  } catch (e) {
    return { status: 0, error: (e as Error).cause ? String(((e as Error).cause as Error).message ?? (e as Error).cause) : (e as Error).message };
  }
}

/** Runs `tasks` with at most `width` at a time. */
export async function pool<T>(tasks: (() => Promise<T>)[], width: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]!();
      }
    }),
  );
  return out;
}

export function tally(answers: Answer[]): Record<string, number> {
  const t: Record<string, number> = {};
  for (const a of answers) {
    const k = a.status === 0 ? 'transport error' : `${a.status}${a.code ? ` ${a.code}` : ''}`;
    t[k] = (t[k] ?? 0) + 1;
  }
  return t;
}
