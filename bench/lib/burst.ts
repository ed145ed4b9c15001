/**
 * The release-rush generator for already-open connections: every client has
 * its own keep-alive connection, opened and used once (GET /healthz) before
 * the clock starts, as a browser tab waiting for the release has, or a
 * TLS-terminating proxy's pool in front of the bff. Then all clients send
 * their request in one loop, and each latency counts from that request's own
 * write to the last byte of its answer.
 *
 * Why not autocannon here (ADR-018): autocannon opens a connection
 * per client and stamps each request's start when it builds the client; it
 * builds all 2,000 in one synchronous loop (request buffers, the socket), and
 * no byte leaves before the loop ends, so the first clients' latency includes
 * the generator's own 100–250 ms. Against a stub server that answers at once
 * (`pnpm bench --only=calibrate`) autocannon's p99 is several times this
 * generator's. The closed-loop runs keep autocannon: their connections are
 * opened once and that cost is not in their figures.
 *
 * Raw sockets (node:net) and prebuilt request bytes: the generator shares the
 * 2 cores with the bff and PostgreSQL, so it should cost as little as it can.
 */
import net from 'node:net';
import { cpuSnapshot, cpuUse } from './cpu.ts';
import type { LoadResult, Sample } from './load.ts';

export type BurstRequest = {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  onResponse?: (status: number, body: string) => void;
};

export type BurstOptions = {
  name: string;
  /** bff base URLs; client i uses urls[i % urls.length] */
  urls: string[];
  clients: number;
  requestFor: (client: number) => BurstRequest;
  timeoutS?: number;
};

/** One HTTP/1.1 response off a keep-alive socket: status line, headers, a Content-Length or chunked body. */
class ResponseReader {
  private buf: Buffer = Buffer.alloc(0);
  constructor(private readonly onResponse: (status: number, body: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      const r = this.take();
      if (!r) return;
      this.onResponse(r.status, r.body);
    }
  }

  private take(): { status: number; body: Buffer } | null {
    const end = this.buf.indexOf('\r\n\r\n');
    if (end < 0) return null;
    const head = this.buf.subarray(0, end).toString('latin1');
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    let at = end + 4;
    if (length) {
      const n = Number(length[1]);
      if (this.buf.length < at + n) return null;
      const body = this.buf.subarray(at, at + n);
      this.buf = this.buf.subarray(at + n);
      return { status, body };
    }
    if (/\r\ntransfer-encoding: *chunked/i.test(head)) {
      const parts: Buffer[] = [];
      for (;;) {
        const eol = this.buf.indexOf('\r\n', at);
        if (eol < 0) return null;
        const size = parseInt(this.buf.subarray(at, eol).toString('latin1'), 16);
        if (this.buf.length < eol + 2 + size + 2) return null;
        if (size === 0) {
          this.buf = this.buf.subarray(eol + 4);
          return { status, body: Buffer.concat(parts) };
        }
        parts.push(this.buf.subarray(eol + 2, eol + 2 + size));
        at = eol + 2 + size + 2;
      }
    }
    // No body (204, 304).
    this.buf = this.buf.subarray(at);
    return { status, body: Buffer.alloc(0) };
  }
}

export const bytesOf = (host: string, r: Pick<BurstRequest, 'method' | 'path' | 'headers' | 'body'>): Buffer => {
  const body = r.body === undefined ? undefined : Buffer.from(r.body, 'utf8');
  const lines = [`${r.method} ${r.path} HTTP/1.1`, `host: ${host}`, 'connection: keep-alive', ...Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`)];
  if (body) lines.push(`content-length: ${body.length}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8');
  return body ? Buffer.concat([head, body]) : head;
};

export type Conn = { socket: net.Socket; wait: ((status: number, body: Buffer) => void) | null };

/** Opens a keep-alive connection and sends GET /healthz on it, so the server has accepted it and set it up. */
function open(url: URL): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    socket.setNoDelay(true);
    const conn: Conn = { socket, wait: null };
    const reader = new ResponseReader((status, body) => {
      const w = conn.wait;
      conn.wait = null;
      w?.(status, body);
    });
    socket.on('data', (c: Buffer) => reader.push(c));
    socket.once('error', reject);
    conn.wait = (status) => (status === 200 ? resolve(conn) : reject(new Error(`GET /healthz answered ${status}`)));
    socket.write(bytesOf(url.host, { method: 'GET', path: '/healthz', headers: {} }));
  });
}

/** `n` connections, connection i to `urlOf(i)`, a hundred at a time (a handshake storm is not what is measured). */
export async function openMany(n: number, urlOf: (i: number) => URL): Promise<Conn[]> {
  const conns: Conn[] = [];
  for (let i = 0; i < n; i += 100) conns.push(...(await Promise.all(Array.from({ length: Math.min(100, n - i) }, (_, k) => open(urlOf(i + k))))));
  return conns;
}

export async function runBurst(o: BurstOptions): Promise<LoadResult> {
  const urls = o.urls.map((u) => new URL(u));
  const reqs = Array.from({ length: o.clients }, (_, i) => o.requestFor(i));
  const bytes = reqs.map((r, i) => bytesOf(urls[i % urls.length]!.host, r));
  const conns = await openMany(o.clients, (i) => urls[i % urls.length]!);
  // A moment for the /healthz statements and their garbage to settle (well inside the server's
  // keep-alive timeout, 5 s in Node: a connection it closed would show as a transport error).
  await new Promise((r) => setTimeout(r, 500));

  const samples: Sample[] = [];
  let errors = 0;
  let timeouts = 0;
  const sentAt = new Float64Array(o.clients);
  const cpu0 = cpuSnapshot();
  const t0 = performance.now();
  const done = new Promise<void>((resolve) => {
    let left = o.clients;
    const finish = () => --left === 0 && resolve();
    const timer = setTimeout(() => {
      for (const c of conns) {
        if (c.wait) {
          timeouts++;
          c.wait = null;
          finish();
        }
      }
    }, (o.timeoutS ?? 30) * 1000);
    timer.unref();
    conns.forEach((c, i) => {
      // A reset or a close before the answer (the server dropped the connection) is a transport error.
      const lost = () => {
        if (!c.wait) return;
        c.wait = null;
        errors++;
        finish();
      };
      c.socket.removeAllListeners('error');
      c.socket.on('error', lost);
      c.socket.on('close', lost);
      c.wait = (status, body) => {
        const now = performance.now();
        samples.push({ kind: reqs[i]!.kind, status, ms: now - sentAt[i]!, at: now - t0, client: i });
        reqs[i]!.onResponse?.(status, body.toString('utf8'));
        finish();
      };
    });
  });
  for (let i = 0; i < o.clients; i++) {
    sentAt[i] = performance.now();
    conns[i]!.socket.write(bytes[i]!);
  }
  await done;
  const use = cpuUse(cpu0, cpuSnapshot());
  for (const c of conns) c.socket.destroy();
  return { name: o.name, seconds: (performance.now() - t0) / 1000, samples, errors, timeouts, cpu: use?.text ?? '', cpuUse: use };
}
