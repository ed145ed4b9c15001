import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The node flags the production bff runs with, as bff/package.json's `start`
 * script gives them (`node <flags> dist/server.js`), so that `npm start`, the
 * platform script, the bench and the chaos tests start the same process.
 * `--max-semi-space-size=64`: a young generation of 64 MB per semi-space
 * (ADR-040 "Young generation"): a release rush keeps thousands of requests
 * alive at once, and a small young generation copies them over and over.
 */
export function bffNodeFlags(bffDir: string): string[] {
  const start = (JSON.parse(readFileSync(path.join(bffDir, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
  const words = start.trim().split(/\s+/);
  const end = words.indexOf('dist/server.js');
  if (words[0] !== 'node' || end < 0) throw new Error(`bff/package.json "start" is not "node <flags> dist/server.js": ${start}`);
  return words.slice(1, end);
}
