import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { testEnv } from './support.ts';
import { IMMUTABLE } from '../src/http/admin-static.ts';

/** A built console as admin/vite.config.ts writes it: hashed assets with `.br` and `.gz` beside them. */
function adminDist(): { dir: string; js: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'jg-admin-static-'));
  mkdirSync(path.join(dir, 'assets'));
  const js = `export const app = ${JSON.stringify('console '.repeat(400))};\n`;
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><html><head><script type="module" src="/admin/assets/index-Ab12Cd34.js"></script></head><body><div id="root"></div></body></html>');
  writeFileSync(path.join(dir, 'assets', 'index-Ab12Cd34.js'), js);
  writeFileSync(path.join(dir, 'assets', 'index-Ab12Cd34.js.br'), brotliCompressSync(js));
  writeFileSync(path.join(dir, 'assets', 'index-Ab12Cd34.js.gz'), gzipSync(js));
  return { dir, js };
}

describe('issue 18 · the staff console is served compressed, hashed assets cached for good, index.html revalidated', async () => {
  const { dir, js } = adminDist();
  const env = await testEnv({ config: { ADMIN_DIST: dir } });
  const asset = '/admin/assets/index-Ab12Cd34.js';

  it('a hashed asset: brotli when accepted, else gzip, else as it is; a year, immutable; Vary: Accept-Encoding', async () => {
    const br = await env.call('GET', asset, { headers: { 'accept-encoding': 'gzip, deflate, br, zstd' } });
    expect(br.status).toBe(200);
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('content-type')).toContain('javascript');
    expect(br.headers.get('cache-control')).toBe(IMMUTABLE);
    expect(br.headers.get('vary')).toMatch(/accept-encoding/i);
    const brBody = Buffer.from(await br.arrayBuffer());
    expect(brBody.length).toBeLessThan(js.length / 4);
    expect(brotliDecompressSync(brBody).toString()).toBe(js);

    const gz = await env.call('GET', asset, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(js);
    expect(gz.headers.get('cache-control')).toBe(IMMUTABLE);

    const plain = await env.call('GET', asset, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(js);
    expect(plain.headers.get('vary')).toMatch(/accept-encoding/i);
  });

  it('index.html and the single-page app’s routes are revalidated on every load (no-cache), so a new build reaches staff at once', async () => {
    for (const p of ['/admin/', '/admin/index.html', '/admin/replacements/42/show']) {
      const res = await env.call('GET', p, { headers: { 'accept-encoding': 'gzip, br' } });
      expect(res.status, p).toBe(200);
      expect(res.headers.get('cache-control'), p).toBe('no-cache');
      expect(await res.text(), p).toContain('/admin/assets/index-Ab12Cd34.js');
    }
  });

  it('a missing asset is a 404 problem, never the app’s page cached for a year under an asset’s name', async () => {
    const res = await env.call('GET', '/admin/assets/index-Old00000.js', { headers: { 'accept-encoding': 'br' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.headers.get('cache-control')).not.toBe(IMMUTABLE);
  });
});
