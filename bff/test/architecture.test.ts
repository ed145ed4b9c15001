import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The house's seams, checked on the source (issue 16): the HTTP folder is Hono
 * only and nothing below the routes depends on it; modules do not import each
 * other in a cycle; there is one error path.
 */
const src = path.resolve(import.meta.dirname, '../src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

const rel = (p: string) => path.relative(src, p).split(path.sep).join('/');
const importsOf = (p: string) =>
  [...readFileSync(p, 'utf8').matchAll(/^(?:import|export)[^;]*?from '(\.[^']+)'/gms)].map((m) => rel(path.resolve(path.dirname(p), m[1]!)));

/** Files that speak HTTP: the routers, the module descriptors that list them, the app and the server. */
const isHttpFacing = (f: string) => /^http\//.test(f) || /(^|\/)([a-z-]+\.)?routes\.ts$/.test(f) || /^modules\/([^/]+\/)?index\.ts$/.test(f) || /^(app|server|contract|client)\.ts$/.test(f);

describe('architecture (issue 16)', () => {
  it('no service, repo, rule, job, platform or core file imports from http/', () => {
    const offenders = files(src)
      .map(rel)
      .filter((f) => !isHttpFacing(f))
      .flatMap((f) => importsOf(path.join(src, f)).filter((i) => i.startsWith('http/')).map((i) => `${f} → ${i}`));
    expect(offenders).toEqual([]);
  });

  it('modules import each other without a cycle', () => {
    const graph = new Map<string, Set<string>>();
    for (const f of files(path.join(src, 'modules')).map(rel)) {
      const from = f.split('/')[1]!;
      if (f.split('/').length < 3) continue; // modules/index.ts, the registry
      for (const i of importsOf(path.join(src, f))) {
        const to = i.startsWith('modules/') ? i.split('/')[1] : undefined;
        if (to && to !== from && i.split('/').length > 2) (graph.get(from) ?? graph.set(from, new Set()).get(from)!).add(to);
      }
    }
    const cycles: string[] = [];
    const visit = (node: string, trail: string[]) => {
      if (trail.includes(node)) return cycles.push([...trail.slice(trail.indexOf(node)), node].join(' → '));
      for (const next of graph.get(node) ?? []) visit(next, [...trail, node]);
    };
    for (const node of graph.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });

  it('one error path: no module renders or maps its own refusals', () => {
    const found = files(path.join(src, 'modules'))
      .filter((f) => /function (refusal|mapConflict|mapAccountConflict|translatePg|refusalDetail)\b/.test(readFileSync(f, 'utf8')))
      .map(rel);
    expect(found).toEqual([]);
  });

  it('a business refusal never points at a field with a generic format code', () => {
    const found = files(src).flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .filter((l) => /new DomainError\(/.test(l) && !/'request\.invalid'/.test(l) && /'validation\.invalid'/.test(l))
        .map((l) => `${rel(f)}: ${l.trim()}`),
    );
    expect(found).toEqual([]);
  });
});
