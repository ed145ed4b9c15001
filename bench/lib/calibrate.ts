/**
 * The load generators' own share of a rush's latency: the same 2,000-client
 * rush against a stub server (a child process on node:http that answers every
 * request at once), through autocannon with a fresh connection per client and
 * through the open-connection generator (lib/burst.ts). Whatever p99 a
 * generator shows here, it adds to every rush it measures (ADR-018).
 */
import { spawn } from 'node:child_process';
import { runBurst } from './burst.ts';
import { runLoad, type LoadResult } from './load.ts';
import { latencyOf, log, ms, type Latency } from './util.ts';

export type Calibration = { clients: number; autocannon: Latency; burst: Latency };

const STUB = `
const http = require('node:http');
const body = JSON.stringify({ type: 'about:blank', title: 'stub', status: 409, code: 'inspection.slot_full' });
const s = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const ok = req.url === '/healthz';
    const b = ok ? '{"ok":true}' : body;
    res.writeHead(ok ? 200 : 409, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(b) });
    res.end(b);
  });
});
s.listen({ port: 0, host: '127.0.0.1', backlog: 8192 }, () => console.log(s.address().port));
`;

export async function calibrate(clients: number): Promise<Calibration> {
  const child = spawn(process.execPath, ['-e', STUB], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
      child.once('exit', (c) => reject(new Error(`stub server exited (${c})`)));
    });
    const url = `http://127.0.0.1:${port}`;
    const request = (i: number) => ({
      kind: 'book',
      method: 'POST',
      path: '/api/v1/inspections/bookings',
      headers: { 'content-type': 'application/json', cookie: `jg_session=${'x'.repeat(40)}`, 'idempotency-key': `calibrate-${i}` },
      body: JSON.stringify({ vehicleId: '00000000-0000-4000-8000-000000000000', slotId: '00000000-0000-4000-8000-000000000001' }),
    });
    const viaAutocannon = () => runLoad({ name: 'calibrate', urls: [url], connections: clients, duration: 30, maxConnectionRequests: 1, timeoutS: 30, requestsFor: (i) => [request(i)] });
    const viaBurst = () => runBurst({ name: 'calibrate', urls: [url], clients, requestFor: request });
    const lat = (r: LoadResult) => latencyOf(r.samples.map((s) => s.ms));
    // A first round of each warms both the stub and the generator.
    await viaAutocannon();
    await viaBurst();
    const autocannon = lat(await viaAutocannon());
    const burst = lat(await viaBurst());
    log(`  ${clients} clients against a stub server that answers at once:`);
    log(`    autocannon, a fresh connection per client: p50 ${ms(autocannon.p50)} p99 ${ms(autocannon.p99)}`);
    log(`    open connections (lib/burst.ts):           p50 ${ms(burst.p50)} p99 ${ms(burst.p99)}`);
    return { clients, autocannon, burst };
  } finally {
    child.kill('SIGKILL');
  }
}
