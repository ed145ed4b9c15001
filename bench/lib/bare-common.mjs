// What the bare route (bare-server.mjs) and the floor server (floor-server.mjs) share: postgres.js
// from the bff's own node_modules on DATABASE_URL, the booking's two statements as lib/pgbench.ts
// gives them (BARE_STATEMENTS), and one request's parameters for them.
import { createHash } from 'node:crypto';

const postgres = (await import(process.env.BARE_POSTGRES)).default;
export const { read, write, body } = JSON.parse(process.env.BARE_STATEMENTS);
export const sql = postgres(process.env.DATABASE_URL, { max: Number(process.env.BARE_POOL), onnotice: () => {} });
const base = BigInt(process.env.BARE_RUN) * 1_000_000_000n;
let next = 0n;
/** the fixtures' number of an id (its last 12 digits), which the statements turn back into the id */
const numberOf = (id) => String(Number(String(id).slice(-12)));

/** A booking request's parameters: its session (from the cookie), vehicle and slot, and a booking number of its own. */
export function varsOf({ vehicleId, slotId }, cookie) {
  const token = /jg_session=([a-z2-7]+)/.exec(cookie ?? '')?.[1] ?? '';
  return { sid: createHash('sha256').update(token).digest('hex'), n: numberOf(vehicleId), s: numberOf(slotId), bn: String(base + ++next) };
}
/** A statement's parameters in its order, from a request's (and, for the write, its user). */
export const argsOf = (st, vars) => st.names.map((k) => vars[k]);
