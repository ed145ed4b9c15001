// The bare route of bench/lib/bare.ts (read the reason there), run as a child process:
// Hono on @hono/node-server and postgres.js, the booking's two statements as the pgbench
// script runs them, nothing else. The packages come from the bff's own node_modules.
import { createHash } from 'node:crypto';

const { Hono } = await import(process.env.BARE_HONO);
const { serve } = await import(process.env.BARE_NODE_SERVER);
const postgres = (await import(process.env.BARE_POSTGRES)).default;
const { read, write, body } = JSON.parse(process.env.BARE_STATEMENTS);
const sql = postgres(process.env.DATABASE_URL, { max: Number(process.env.BARE_POOL), onnotice: () => {} });
const base = BigInt(process.env.BARE_RUN) * 1_000_000_000n;
let next = 0n;
/** the fixtures' number of an id (its last 12 digits), which the statements turn back into the id */
const numberOf = (id) => String(Number(String(id).slice(-12)));
const argsOf = (st, vars) => st.names.map((k) => vars[k]);

const app = new Hono();
app.post('*', async (c) => {
  const { vehicleId, slotId } = await c.req.json();
  const token = /jg_session=([a-z2-7]+)/.exec(c.req.header('cookie') ?? '')?.[1] ?? '';
  const vars = { sid: createHash('sha256').update(token).digest('hex'), n: numberOf(vehicleId), s: numberOf(slotId), bn: String(base + ++next) };
  const [r] = await sql.unsafe(read.text, argsOf(read, vars), { prepare: true });
  if (!r?.session || !r.vehicle || !r.slot || r.vehicle.active_booking_id) return c.json({ code: 'refused' }, 409);
  vars.uid = r.session.user_id;
  const claimed = await sql.unsafe(write.text, argsOf(write, vars), { prepare: true });
  if (!claimed.length) return c.json({ code: 'inspection.slot_full' }, 409);
  return c.body(body, 201, { 'content-type': 'application/json' });
});
app.get('/healthz', (c) => c.json({ ok: true }));
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
