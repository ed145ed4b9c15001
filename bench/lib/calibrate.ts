/**
 * The load generators' own share of a rush's latency: the same 2,000-client
 * rush against a stub server (a child process on node:http that answers every
 * request at once), through autocannon with a fresh connection per client and
 * through the open-connection generator (lib/burst.ts). Whatever p99 a
 * generator shows here, it adds to every rush it measures (ADR-018).
 *
 * Then what a request costs this machine at a low and at a high rate: the
 * open-loop generator paces requests at the stub, and the stub's and the
 * generator's CPU per request are read from the kernel's own count of each
 * thread's time on a core (schedstat, not the 10 ms ticks). The stub does the
 * same work for every request, so a higher cost at a low rate is the
 * machine's — a process woken for each request on cores that idle in between
 * — and every process of the open-loop runs pays it too (ADR-040).
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { runBurst } from './burst.ts';
import { runLoad, type LoadResult } from './load.ts';
import { latencyOf, log, ms, type Latency } from './util.ts';

/** One paced run against the stub: CPU per request (ms) of the stub and of the generator. */
export type PacedCost = { rate: number; stubMs: number; generatorMs: number };
export type Calibration = { clients: number; autocannon: Latency; burst: Latency; paced: PacedCost[] };

/** Rates of the paced runs: about a quarter of what the bff answers in the open-loop booking runs, and four times more. */
const PACED_RATES = [150, 600, 2400];

/** Milliseconds a process's threads have spent on a core (schedstat: nanoseconds, exact), or NaN without /proc. */
function onCpuMs(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/task`).reduce((a, t) => a + Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]), 0) / 1e6;
  } catch {
    return NaN;
  }
}

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
    const paced: PacedCost[] = [];
    for (const rate of PACED_RATES) {
      // Only the paced requests: the connections are opened (and their first request answered) before the window.
      const at = { stub: 0, gen: 0 };
      const used = { stub: 0, gen: 0 };
      const window = {
        start: () => Object.assign(at, { stub: onCpuMs(child.pid!), gen: onCpuMs(process.pid) }),
        end: () => Object.assign(used, { stub: onCpuMs(child.pid!) - at.stub, gen: onCpuMs(process.pid) - at.gen }),
      };
      const r = await runLoad({ name: 'calibrate', urls: [url], connections: 200, duration: 4, pacedRate: rate, window, requestsFor: (i) => [request(i)] });
      const n = r.samples.length || 1;
      paced.push({ rate, stubMs: used.stub / n, generatorMs: used.gen / n });
    }
    log(`  the same stub paced (open loop, 200 connections), CPU per request: ${paced.map((p) => `${p.rate}/s: stub ${p.stubMs.toFixed(2)} ms, generator ${p.generatorMs.toFixed(2)} ms`).join('; ')}`);
    return { clients, autocannon, burst, paced };
  } finally {
    child.kill('SIGKILL');
  }
}
