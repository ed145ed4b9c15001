// The bare route of bench/lib/bare.ts (read the reason there), run as a child process:
// Hono on @hono/node-server and postgres.js, the booking's two statements as the pgbench
// script runs them, nothing else. The packages come from the bff's own node_modules.
import { argsOf, body, read, sql, varsOf, write } from './bare-common.mjs';

const { Hono } = await import(process.env.BARE_HONO);
const { serve } = await import(process.env.BARE_NODE_SERVER);

const app = new Hono();
app.post('*', async (c) => {
  const vars = varsOf(await c.req.json(), c.req.header('cookie'));
  const [r] = await sql.unsafe(read.text, argsOf(read, vars), { prepare: true });
  if (!r?.session || !r.vehicle || !r.slot || r.vehicle.active_booking_id) return c.json({ code: 'refused' }, 409);
  vars.uid = r.session.user_id;
  const claimed = await sql.unsafe(write.text, argsOf(write, vars), { prepare: true });
  if (!claimed.length) return c.json({ code: 'inspection.slot_full' }, 409);
  return c.body(body, 201, { 'content-type': 'application/json' });
});
app.get('/healthz', (c) => c.json({ ok: true }));
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
