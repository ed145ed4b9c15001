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
import http from 'node:http';
import autocannon from 'autocannon';
import { latencyOf, type Latency } from './util.ts';
import { cpuSnapshot, cpuUse, type CpuUse } from './cpu.ts';

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
 * start + n / rate. A request whose socket is still busy waits in the agent's
 * queue, and that wait is part of its latency.
 */
async function runPaced(o: LoadOptions, rate: number): Promise<LoadResult> {
  const samples: Sample[] = [];
  // FIFO: every one of the connections carries its share. With the agent's default (LIFO) a few
  // sockets carry everything, the others idle past the server's keep-alive timeout (5 s) and now
  // and then one is reused just as the server closes it: an ECONNRESET that is the generator's.
  const agents = o.urls.map(() => new http.Agent({ keepAlive: true, scheduling: 'fifo', maxSockets: Math.ceil(o.connections / o.urls.length) }));
  const users = Array.from({ length: o.connections }, (_, i) => ({ list: o.requestsFor(i), next: 0 }));
  const total = Math.floor(rate * o.duration);
  // The connections first, as the closed-loop runs have them: 200 TCP handshakes inside the
  // measured window would be measured as the first requests' latency.
  await Promise.all(
    agents.flatMap((agent, a) =>
      Array.from({ length: Math.ceil(o.connections / o.urls.length) }, () =>
        new Promise<void>((resolve) => {
          const base = new URL(o.urls[a]!);
          http.get({ host: base.hostname, port: base.port, path: '/healthz', agent }, (res) => res.resume().on('end', resolve)).on('error', () => resolve());
        }),
      ),
    ),
  );
  // …and a moment for what the previous run left behind (its sockets closing, a garbage collection) to pass.
  await new Promise((r) => setTimeout(r, 1500));
  const cpu0 = cpuSnapshot();
  const t0 = performance.now();
  let errors = 0;
  const errorCodes: Record<string, number> = {};
  let timeouts = 0;
  let sent = 0;
  const pending = new Set<Promise<void>>();
  const fire = (n: number, due: number) => {
    const client = n % o.connections;
    const user = users[client]!;
    const spec = user.list[user.next++ % user.list.length]!;
    let req: autocannon.Request = spec;
    if (spec.setupRequest) req = spec.setupRequest({ ...spec }, {}) as autocannon.Request;
    const base = new URL(o.urls[n % o.urls.length]!);
    const kind = typeof spec.kind === 'function' ? spec.kind() : spec.kind;
    const p = new Promise<void>((resolve) => {
      const r = http.request(
        { host: base.hostname, port: base.port, method: req.method ?? 'GET', path: req.path ?? '/', headers: req.headers as http.OutgoingHttpHeaders, agent: agents[n % o.urls.length], timeout: (o.timeoutS ?? 30) * 1000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const now = performance.now();
            const status = res.statusCode ?? 0;
            if (kind !== 'skip') samples.push({ kind, status, ms: now - due, at: now - t0, client });
            spec.onResponse?.(status, Buffer.concat(chunks).toString('utf8'), {}, res.headers as Record<string, string>);
            resolve();
          });
        },
      );
      r.on('timeout', () => {
        timeouts++;
        r.destroy(new Error('timeout'));
      });
      r.on('error', (e: NodeJS.ErrnoException) => {
        errors++;
        const code = e.code ?? e.message;
        errorCodes[code] = (errorCodes[code] ?? 0) + 1;
        resolve();
      });
      r.end(req.body as string | undefined);
    });
    pending.add(p);
    void p.then(() => pending.delete(p));
  };
  await new Promise<void>((done) => {
    const tick = () => {
      const now = performance.now();
      while (sent < total && t0 + (sent * 1000) / rate <= now) {
        fire(sent, t0 + (sent * 1000) / rate);
        sent++;
      }
      if (sent >= total) return done();
      setTimeout(tick, Math.max(0, Math.min(5, t0 + (sent * 1000) / rate - performance.now())));
    };
    tick();
  });
  await Promise.all(pending);
  for (const a of agents) a.destroy();
  const use = cpuUse(cpu0, cpuSnapshot());
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
