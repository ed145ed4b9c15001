/**
 * autocannon, programmatically, with one virtual user per connection: each
 * connection gets its own request sequence from `requestsFor(clientIndex)`
 * (its own session cookie, vehicle, preselection…), and every response is
 * recorded with its kind, status, latency and time since the start, so a
 * scenario can split figures by outcome (winners / losers) and find the
 * moment the last place went.
 *
 * Bounded: every run has a duration cap, and a request cap where given.
 */
import autocannon from 'autocannon';
import { latencyOf, type Latency } from './util.ts';
import { cpuSnapshot, cpuUse, type CpuUse } from './cpu.ts';
import { bytesOf, openMany, type Conn } from './burst.ts';

export type Sample = { kind: string; status: number; ms: number; at: number; client: number };

/**
 * A request of a virtual user; `kind` labels its responses, read when the
 * response arrives ('skip' ones — placeholders sent when a flow's earlier
 * step failed — are not counted).
 */
export type VRequest = autocannon.Request & { kind: string | (() => string) };

export type LoadOptions = {
  name: string;
  /** one or more bff base URLs; connections alternate between them */
  urls: string[];
  connections: number;
  /** seconds; always set (the cap when `amount`/`maxConnectionRequests` end it earlier) */
  duration: number;
  amount?: number;
  maxConnectionRequests?: number;
  /**
   * Open loop: this many requests a second in all, evenly spaced, whatever the
   * answers' speed (autocannon's own rate limit releases each second's quota in
   * a burst at the start of the second, which measures the burst, not the rate).
   * Latency counts from each request's scheduled time, so a queue is not hidden
   * (no coordinated omission).
   */
  pacedRate?: number;
  /**
   * Open loop: seconds at the same rate before the measured window, answered but not counted: the
   * database's plans, dropped by the reset between runs (VACUUM, ANALYZE), are made again in every
   * connection before the first measured request, not during it (ADR-040 "The open loop's lead-in").
   */
  leadInS?: number;
  /** Open loop: called as the first measured request is due and once the last is answered (the connections already open). */
  window?: { start: () => void; end: () => void };
  timeoutS?: number;
  requestsFor: (client: number) => VRequest[];
};

export type LoadResult = {
  name: string;
  seconds: number;
  samples: Sample[];
  /** transport errors and timeouts as autocannon counts them */
  errors: number;
  timeouts: number;
  /** the open-loop generator's transport errors by their code (ECONNRESET, …) */
  errorCodes?: Record<string, number>;
  /** where the cores went during the run */
  cpu: string;
  cpuUse: CpuUse | null;
};

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  if (!o.urls.every((u) => /^http:\/\/127\.0\.0\.1:\d+$/.test(u))) throw new Error(`bench targets 127.0.0.1 only: ${o.urls.join(', ')}`);
  if (o.pacedRate) return runPaced(o, o.pacedRate);
  const samples: Sample[] = [];
  const clientIdx = new WeakMap<object, number>();
  const lastKind = new Map<number, string>();
  let next = 0;
  const t0 = performance.now();
  const cpu0 = cpuSnapshot();

  const one = (url: string, connections: number) =>
    new Promise<{ errors: number; timeouts: number }>((resolve, reject) => {
      const instance = autocannon(
        {
          url,
          connections,
          duration: o.duration,
          ...(o.amount ? { amount: Math.max(connections, Math.round((o.amount * connections) / o.connections)) } : {}),
          ...(o.maxConnectionRequests ? { maxConnectionRequests: o.maxConnectionRequests } : {}),
          timeout: o.timeoutS ?? 30,
          // A placeholder that the client replaces at once with its own sequence.
          requests: [{ method: 'GET', path: '/healthz' }],
          setupClient(client) {
            const idx = next++;
            clientIdx.set(client, idx);
            client.setRequests(
              o.requestsFor(idx).map((r) => ({
                ...r,
                onResponse(status: number, body: string, context: Record<string, unknown>, headers: Record<string, string | string[]>) {
                  lastKind.set(idx, typeof r.kind === 'function' ? r.kind() : r.kind);
                  r.onResponse?.(status, body, context, headers);
                },
              })),
            );
          },
        },
        (err, result) => (err ? reject(err) : resolve({ errors: result.errors, timeouts: result.timeouts })),
      );
      instance.on('response', (client: object, status: number, _bytes: number, responseTime: number) => {
        const idx = clientIdx.get(client) ?? -1;
        const kind = lastKind.get(idx) ?? '?';
        if (kind !== 'skip') samples.push({ kind, status, ms: responseTime, at: performance.now() - t0, client: idx });
      });
    });

  // Connections split over the targets (two bff processes: half each), one autocannon per target.
  const per = o.urls.map((_, i) => Math.floor(o.connections / o.urls.length) + (i < o.connections % o.urls.length ? 1 : 0));
  // Clients are numbered 0 … connections−1 across all targets, in construction order.
  const results = await Promise.all(o.urls.map((u, i) => one(u, per[i]!)));
  const use = cpuUse(cpu0, cpuSnapshot());
  return {
    cpu: use?.text ?? '',
    cpuUse: use,
    name: o.name,
    seconds: (performance.now() - t0) / 1000,
    samples,
    errors: results.reduce((a, r) => a + r.errors, 0),
    timeouts: results.reduce((a, r) => a + r.timeouts, 0),
  };
}

/**
 * The open-loop generator of {@link LoadOptions.pacedRate}: `connections`
 * keep-alive sockets (virtual user i sends on them in turn), request n due at
 * start + n / rate. A request that finds every socket of its target busy waits
 * in a queue for the first one free, and that wait is part of its latency.
 *
 * Raw sockets and request bytes built as each request is due (lib/burst.ts),
 * not node:http's client: the generator shares the cores with the bff and
 * PostgreSQL, and at these rates node:http's client cost more CPU a request
 * than the bff's stub (the calibration's paced runs print both).
 * Free sockets are taken in the order they were freed, so every one of them
 * carries its share and none idles past the server's keep-alive timeout.
 */
async function runPaced(o: LoadOptions, rate: number): Promise<LoadResult> {
  const samples: Sample[] = [];
  const urls = o.urls.map((u) => new URL(u));
  const per = Math.ceil(o.connections / urls.length);
  const users = Array.from({ length: o.connections }, (_, i) => ({ list: o.requestsFor(i), next: 0 }));
  const total = Math.floor(rate * o.duration);
  // The connections first, as the closed-loop runs have them: 200 TCP handshakes inside the
  // measured window would be measured as the first requests' latency.
  const conns = await openMany(per * urls.length, (i) => urls[i % urls.length]!);
  type Job = { bytes: Buffer; due: number; kind: string; client: number; spec: VRequest; counted: boolean };
  const targets = urls.map((_, t) => ({ free: conns.filter((_, i) => i % urls.length === t), queue: [] as Job[] }));
  // …and a moment for what the previous run left behind (its sockets closing, a garbage collection) to pass.
  await new Promise((r) => setTimeout(r, 1500));
  // The lead-in: `lead` requests at the same rate, answered and not counted; the window opens with request `lead`.
  const lead = Math.floor(rate * (o.leadInS ?? 0));
  const tLead = performance.now();
  const t0 = tLead + (lead * 1000) / rate;
  let cpu0 = cpuSnapshot();
  const openWindow = () => {
    o.window?.start();
    cpu0 = cpuSnapshot();
  };
  if (lead === 0) openWindow();
  let errors = 0;
  const errorCodes: Record<string, number> = {};
  let timeouts = 0;
  let sent = 0;
  let answered = 0;
  let finished = () => {};
  const settle = () => {
    answered++;
    if (sent >= lead + total && answered >= lead + total) finished();
  };

  const send = (conn: Conn, job: Job, target: (typeof targets)[number]) => {
    conn.wait = (status, body) => {
      const now = performance.now();
      if (job.counted && job.kind !== 'skip') samples.push({ kind: job.kind, status, ms: now - job.due, at: now - t0, client: job.client });
      job.spec.onResponse?.(status, body.toString('utf8'), {}, {});
      const next = target.queue.shift();
      if (next) send(conn, next, target);
      else target.free.push(conn);
      settle();
    };
    conn.socket.write(job.bytes);
  };
  for (const target of targets) {
    for (const conn of target.free) {
      // A reset or a close before the answer is a transport error; the connection is not used again.
      const lost = (e?: NodeJS.ErrnoException) => {
        const i = target.free.indexOf(conn);
        if (i >= 0) target.free.splice(i, 1);
        if (!conn.wait) return;
        conn.wait = null;
        errors++;
        const code = e?.code ?? 'closed';
        errorCodes[code] = (errorCodes[code] ?? 0) + 1;
        settle();
      };
      conn.socket.removeAllListeners('error');
      conn.socket.on('error', lost);
      conn.socket.on('close', () => lost());
    }
  }

  const fire = (n: number, due: number) => {
    const client = n % o.connections;
    const user = users[client]!;
    const spec = user.list[user.next++ % user.list.length]!;
    const req = spec.setupRequest ? (spec.setupRequest({ ...spec }, {}) as autocannon.Request) : spec;
    const t = n % urls.length;
    const kind = typeof spec.kind === 'function' ? spec.kind() : spec.kind;
    const job: Job = {
      bytes: bytesOf(urls[t]!.host, { method: req.method ?? 'GET', path: req.path ?? '/', headers: (req.headers ?? {}) as Record<string, string>, ...(req.body === undefined ? {} : { body: String(req.body) }) }),
      due,
      kind,
      client,
      spec,
      counted: n >= lead,
    };
    const target = targets[t]!;
    const conn = target.free.shift();
    if (conn) send(conn, job, target);
    else target.queue.push(job);
  };
  const done = new Promise<void>((resolve) => (finished = resolve));
  await new Promise<void>((scheduled) => {
    const tick = () => {
      const now = performance.now();
      while (sent < lead + total && tLead + (sent * 1000) / rate <= now) {
        if (sent === lead && lead > 0) openWindow();
        fire(sent, tLead + (sent * 1000) / rate);
        sent++;
      }
      if (sent >= lead + total) return scheduled();
      setTimeout(tick, Math.max(0, Math.min(5, tLead + (sent * 1000) / rate - performance.now())));
    };
    tick();
  });
  if (answered >= lead + total) finished();
  // Whatever is still unanswered this long after the last send counts as timed out.
  const limit = setTimeout(() => {
    timeouts = lead + total - answered;
    finished();
  }, (o.timeoutS ?? 30) * 1000);
  await done;
  clearTimeout(limit);
  o.window?.end();
  const use = cpuUse(cpu0, cpuSnapshot());
  for (const c of conns) c.socket.destroy();
  return { cpu: use?.text ?? '', cpuUse: use, name: o.name, seconds: (performance.now() - t0) / 1000, samples, errors, errorCodes, timeouts };
}

export type Summary = {
  total: number;
  rps: number;
  byStatus: Record<string, number>;
  latency: Latency;
  count2xx: number;
  count5xx: number;
};

/** Figures of a run (optionally of some of its responses); rates over the time from the start to the last response. */
export function summarise(r: LoadResult, filter: (s: Sample) => boolean = () => true): Summary {
  const s = r.samples.filter(filter);
  const span = r.samples.reduce((m, x) => Math.max(m, x.at), 0) / 1000 || r.seconds;
  const byStatus: Record<string, number> = {};
  for (const x of s) byStatus[x.status] = (byStatus[x.status] ?? 0) + 1;
  return {
    total: s.length,
    rps: s.length / span,
    byStatus,
    latency: latencyOf(s.map((x) => x.ms)),
    count2xx: s.filter((x) => x.status >= 200 && x.status < 300).length,
    count5xx: s.filter((x) => x.status >= 500).length,
  };
}

export const statusLine = (b: Record<string, number>) =>
  Object.entries(b)
    .sort(([a], [c]) => Number(a) - Number(c))
    .map(([k, v]) => `${k}×${v}`)
    .join(' ');
