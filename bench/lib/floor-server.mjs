// The release rush's floor on this machine (lib/bare.ts startFloorServer, ADR-040 "The release
// rush's floor"): what the least a server can do for a rush's request costs these cores. node:http
// with no framework, no validation, no middleware, no error handling beyond a 500; the booking's
// read statement (lib/pgbench.ts, the bff's read) for all the requests that arrived in one turn of
// the event loop as ONE statement (unnest … CROSS JOIN LATERAL the single read), at most four such
// statements at once; a slot full when read is a 409 at once; a winner's write is the pgbench
// script's single statement. Nothing a real endpoint must do is added, so a rush figure of the bff
// near this one is the machine's, not the bff's. The packages come from the bff's own node_modules.
import http from 'node:http';
import { argsOf, body, read, sql, varsOf, write } from './bare-common.mjs';

// The single read with each parameter ($k::type) taken from the k-th array, one row per request.
const cols = read.names.map((_, k) => `a${k + 1}`);
const batchRead = `SELECT m.i, r.* FROM unnest(${cols.map((_, k) => `$${k + 1}::text[]`).join(', ')}) WITH ORDINALITY AS m(${cols.join(', ')}, i)
  CROSS JOIN LATERAL (${read.text.replace(/\$(\d+)::/g, (_, k) => `m.a${k}::`)}) r`;
let queue = [];
let inFlight = 0;
function flush() {
  if (queue.length === 0 || inFlight >= 4) return;
  const batch = queue;
  queue = [];
  inFlight++;
  sql.unsafe(batchRead, read.names.map((_, k) => batch.map((b) => b.args[k])), { prepare: true })
    .then((rows) => { for (const r of rows) batch[Number(r.i) - 1].resolve(r); }, (e) => { for (const b of batch) b.reject(e); })
    .finally(() => { inFlight--; if (queue.length) setImmediate(flush); });
}
const readOne = (args) => new Promise((resolve, reject) => {
  queue.push({ args, resolve, reject });
  if (queue.length === 1) setImmediate(flush);
});

function answer(res, status, type, text) {
  res.writeHead(status, { 'content-type': type });
  res.end(text);
}

const server = http.createServer((req, res) => {
  if (req.url === '/healthz') return answer(res, 200, 'application/json', '{"ok":true}');
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    try {
      const vars = varsOf(JSON.parse(Buffer.concat(chunks).toString()), req.headers.cookie);
      const r = await readOne(argsOf(read, vars));
      if (!r?.session || !r.vehicle || !r.slot || r.vehicle.active_booking_id) return answer(res, 409, 'application/problem+json', '{"code":"refused"}');
      if (r.slot.booked >= r.slot.capacity) return answer(res, 409, 'application/problem+json', '{"code":"inspections.slot_full"}');
      vars.uid = r.session.user_id;
      const claimed = await sql.unsafe(write.text, argsOf(write, vars), { prepare: true });
      if (!claimed.length) return answer(res, 409, 'application/problem+json', '{"code":"inspections.slot_full"}');
      answer(res, 201, 'application/json', body);
    } catch (e) {
      console.error(e);
      answer(res, 500, 'text/plain', '');
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
