/**
 * docs/rules.md — where each rule of the catalog is enforced: bff code, SQL,
 * tests, web/admin/e2e. Built from docs/rule-catalog.json (the catalog's ids
 * with a one-line summary, committed) and the sources; nothing outside the
 * repository is read, and the output holds no date and no absolute path.
 *
 *   tsx scripts/rules-index.ts            write docs/rules.md
 *   tsx scripts/rules-index.ts --check    exit 1 when docs/rules.md is stale, a
 *                                         catalog summary is missing, or a
 *                                         Markdown file links to a missing file
 *   tsx scripts/rules-index.ts --import ../shared/spec/rules.md
 *                                         refresh the catalog's ids from the
 *                                         spec (summaries are kept; new ids get
 *                                         an empty one to write by hand)
 *
 * A citation is the exact id with nothing id-like either side: `R-35.2`
 * matches in "R-35.2:" and "(R-35.2)", not in "R-35.21" nor "R-35.2.1"
 * (that one is listed under R-35.2.1, which the index shows under R-35.2).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CATALOG = 'docs/rule-catalog.json';
const OUT = 'docs/rules.md';

type Rule = { id: string; section: string; summary: string };
type Catalog = { about: string; sections: Record<string, string>; rules: Rule[]; decisions: { id: string; summary: string }[] };

// ─── ids ────────────────────────────────────────────────────────────────────

/** Exact ids; the look-arounds make `R-35.2` a citation of R-35.2 only. */
const CITATION = /(?<![\w./-])((?:R|X)-\d+(?:\.\d+)*|PD-\d+)(?![\w-]|\.\d)/g;

/** R before X before PD, then part by part numerically: R-9.4 < R-10 < R-10.2. */
function compareIds(a: string, b: string): number {
  const kind = (s: string) => ['R', 'X', 'PD'].indexOf(s.slice(0, s.indexOf('-')));
  if (kind(a) !== kind(b)) return kind(a) - kind(b);
  const pa = a.slice(a.indexOf('-') + 1).split('.').map(Number);
  const pb = b.slice(b.indexOf('-') + 1).split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (pa[i] === undefined) return -1;
    if (pb[i] === undefined) return 1;
    if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
  }
  return 0;
}

const parentOf = (id: string): string | null => (id.lastIndexOf('.') > id.indexOf('-') ? id.slice(0, id.lastIndexOf('.')) : null);
const depthOf = (id: string) => id.split('.').length;
/** GitHub's heading anchor of a heading that is just the id. */
const anchorOf = (id: string) => id.toLowerCase().replace(/\./g, '');

// ─── sources ────────────────────────────────────────────────────────────────

const SCAN = ['bff/src', 'bff/test', 'db/migrations', 'db/seed', 'db/src', 'web/src', 'admin/src', 'e2e'];
const SKIP_DIRS = new Set(['node_modules', 'dist', 'build', '.svelte-kit', 'test-results', 'playwright-report', '.data']);
const EXTENSIONS = /\.(ts|tsx|mts|js|mjs|svelte|sql)$/;

type Kind = 'code' | 'sql' | 'test' | 'ui' | 'other';
const KIND_TITLE: Record<Kind, string> = {
  code: 'code',
  sql: 'SQL',
  test: 'tests',
  ui: 'web/admin/e2e',
  other: 'seed and test helpers',
};

function kindOf(file: string): Kind {
  if (/\.(test|spec)\.[cm]?[jt]sx?$/.test(file)) return 'test';
  if (file.startsWith('db/migrations/')) return 'sql';
  if (file.startsWith('bff/src/')) return /\/test(ing|-support)\.ts$/.test(file) ? 'other' : 'code';
  if (file.startsWith('web/') || file.startsWith('admin/') || file.startsWith('e2e/')) return 'ui';
  return 'other';
}

function walk(dir: string, names = EXTENSIONS): string[] {
  const abs = path.join(root, dir);
  if (!existsSync(abs)) return [];
  const out: string[] = [];
  for (const e of readdirSync(abs, { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) out.push(...walk(rel, names));
    } else if (e.isFile() && names.test(e.name)) out.push(rel);
  }
  return out;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

type Citation = { id: string; file: string; line: number; kind: Kind; test?: { how: 'title' | 'row' | 'body'; name: string } };

/** String literals of a line ('…', "…", `…`), in order. */
function literals(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/(['"`])((?:\\.|(?!\1)[^\\])*)\1/g)) out.push(m[2]!);
  return out;
}

const TEST_CALL = /(?:\b(?:describe|it|test)(?:\.\w+)*\s*\(\s*|\)\s*\(\s*)(['"`])((?:\\.|(?!\1)[^\\])*)\1/;
const TEST_OPEN = /\b(?:describe|it|test)(?:\.\w+)*\s*\(\s*$/;

/** The title of the nearest test call above `i` that encloses it (less indented). */
function enclosingTest(lines: string[], i: number): string | null {
  const indent = (s: string) => s.length - s.trimStart().length;
  let limit = indent(lines[i]!);
  for (let j = i - 1; j >= 0; j--) {
    const l = lines[j]!;
    if (!l.trim() || indent(l) >= limit) continue;
    limit = indent(l);
    const m = /\b(?:describe|it|test)(?:\.\w+)*\s*\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/.exec(l);
    if (m) return m[2]!;
    if (limit === 0) return null;
  }
  return null;
}

/** How a test file cites `id` on line `i`: in a test's title, a table row's name, or a test's body. */
function testCitation(lines: string[], i: number, id: string): Citation['test'] {
  const has = (s: string) => [...s.matchAll(CITATION)].some((m) => m[1] === id);
  const line = lines[i]!;
  const call = TEST_CALL.exec(line);
  if (call && has(call[2]!)) return { how: 'title', name: call[2]! };
  const prev = lines.slice(0, i).reverse().find((l) => l.trim());
  const first = literals(line)[0];
  if (prev && TEST_OPEN.test(prev) && first !== undefined && has(first) && /^\s*['"`]/.test(line)) return { how: 'title', name: first };
  if (/^\s*(\[|\{|(name|title|label|rule)\s*:)/.test(line)) {
    const named = literals(line).find(has);
    if (named !== undefined) return { how: 'row', name: named };
  }
  return { how: 'body', name: enclosingTest(lines, i) ?? '' };
}

function scan(): Citation[] {
  const files = SCAN.flatMap((d) => walk(d)).sort(byString);
  const out: Citation[] = [];
  for (const file of files) {
    const lines = readFileSync(path.join(root, file), 'utf8').split(/\r?\n/);
    const kind = kindOf(file);
    lines.forEach((text, i) => {
      const ids = new Set([...text.matchAll(CITATION)].map((m) => m[1]!));
      for (const id of ids) {
        out.push({ id, file, line: i + 1, kind, ...(kind === 'test' ? { test: testCitation(lines, i, id) } : {}) });
      }
    });
  }
  return out;
}

// ─── docs/rules.md ──────────────────────────────────────────────────────────

function loadCatalog(): Catalog {
  return JSON.parse(readFileSync(path.join(root, CATALOG), 'utf8')) as Catalog;
}

const escapeMd = (s: string) => s.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);

function render(catalog: Catalog, cites: Citation[]): string {
  const byId = new Map<string, Citation[]>();
  for (const c of cites) byId.set(c.id, [...(byId.get(c.id) ?? []), c]);
  const ruleIds = catalog.rules.map((r) => r.id);
  const known = new Set(ruleIds);
  // Groups: every ancestor of a catalog id (an article, or the parent of an item list).
  const groups = new Set<string>();
  for (const id of ruleIds) for (let p = parentOf(id); p; p = parentOf(p)) if (!known.has(p)) groups.add(p);
  for (const id of ruleIds) if (!/^(R-\d+|X-\d+)/.test(id)) throw new Error(`${CATALOG}: unexpected id ${id}`);
  const articleOf = (id: string) => id.split('.')[0]!;
  for (const id of ruleIds) if (!known.has(articleOf(id))) groups.add(articleOf(id));
  const summary = new Map(catalog.rules.map((r) => [r.id, r.summary]));
  const tested = (id: string) => (byId.get(id) ?? []).some((c) => c.kind === 'test');
  const untested = ruleIds.filter((id) => !tested(id)).sort(compareIds);
  const pdIds = catalog.decisions.map((d) => d.id);
  const ancestors = (id: string) => {
    const out: string[] = [];
    for (let p = parentOf(id); p; p = parentOf(p)) out.push(p);
    return out;
  };
  const uncatalogued = [...byId.keys()].filter((id) => !known.has(id) && !groups.has(id) && !pdIds.includes(id));
  // A cited sub-item of a catalog id (R-9.2.1 under R-9.2): shown under its parent.
  const subs = new Set(uncatalogued.filter((id) => ancestors(id).some((a) => known.has(a))));
  const unknown = uncatalogued.filter((id) => !subs.has(id)).sort(compareIds);
  const subTested = (id: string) => [...known, ...subs].some((c) => c.startsWith(`${id}.`) && tested(c));
  const nearestRule = (id: string) => ancestors(id).find((a) => known.has(a))!;
  const count = (ids: string[]) => ids.length;
  const rIds = ruleIds.filter((id) => id.startsWith('R-'));
  const xIds = ruleIds.filter((id) => id.startsWith('X-'));

  const L: string[] = [];
  L.push(
    '# Rule index',
    '',
    '<!-- Generated by `pnpm rules:index` (scripts/rules-index.ts) from docs/rule-catalog.json and the sources. Do not edit: `npm test` fails when this file is stale. -->',
    '',
    `Where each rule of the spec's catalog is enforced. Rule ids are the catalog's:
**R-article.item.subitem** for articles 1–36 of 《互联网交通管理业务工作规范（试行）》,
**X-chapter.section.n** for chapters 4–7 as reconstructed, **PD-n** for the
product decisions that settle its ambiguities (the project's own decision
records are ADR-nnn, in [decisions/](decisions/)). The one-line summaries are
ours, in [rule-catalog.json](rule-catalog.json); the catalog's own wording is
the authority.`,
    '',
    `A location cites an id when the id appears there exactly: R-35.2 is not cited
by "R-35.21" nor by "R-35.2.1" (that is R-35.2.1, listed under R-35.2). A range
such as "R-12.2.4–6" cites only its first id. Tests are every \`*.test.ts\`
(bff, web, admin) and \`e2e/tests/*.spec.ts\`; a test citation names the test:
its title, a table row's name, or — for a comment or value in its body — the
enclosing test. Groups (an article, or the parent of an item list such as
R-12.2) are not catalog ids; their own citations are listed with them.`,
    '',
    `Regenerate with \`pnpm rules:index\` after changing code that cites a rule
(line numbers move); \`pnpm rules:index --import <path to rules.md>\` refreshes
the catalog's ids from the spec.`,
    '',
    '| | |',
    '|---|---:|',
    `| rule ids in the catalog | ${ruleIds.length} |`,
    `| … cited by at least one test | ${ruleIds.length - untested.length} |`,
    `| … cited by no test | ${untested.length} |`,
    `| … cited nowhere | ${count(ruleIds.filter((id) => !byId.has(id)))} |`,
    `| R- ids (articles 1–36): with a test / without | ${count(rIds.filter(tested))} / ${count(rIds.filter((id) => !tested(id)))} |`,
    `| X- ids (chapters 4–7, reconstructed): with a test / without | ${count(xIds.filter(tested))} / ${count(xIds.filter((id) => !tested(id)))} |`,
    `| cited sub-items of a catalog id (shown under it) | ${subs.size} |`,
    `| product decisions PD-1 – PD-${pdIds.length} cited by a test | ${pdIds.filter(tested).length} of ${pdIds.length} |`,
    `| cited ids that are not in the catalog | ${unknown.length} |`,
    '',
    `Cited by no test (\\* a sub-item is): ${untested.map((id) => `[${id}](#${anchorOf(id)})${subTested(id) ? '\\*' : ''}`).join(', ') || 'none'}.`,
    '',
  );

  const block = (id: string, text: string, level: number) => {
    L.push(`${'#'.repeat(level)} ${id}`, '', text, '');
    const mine = byId.get(id) ?? [];
    if (!mine.length) {
      if (!groups.has(id)) L.push('Not cited.', '');
      return;
    }
    for (const kind of ['code', 'sql', 'test', 'ui', 'other'] as Kind[]) {
      const of = mine.filter((c) => c.kind === kind);
      if (!of.length) continue;
      if (kind === 'test') {
        L.push(`- ${KIND_TITLE[kind]} (${of.length}):`);
        for (const c of of) {
          const t = c.test!;
          const name = `“${escapeMd(t.name)}”`;
          const what = t.how === 'title' ? name : t.how === 'row' ? `row ${name}` : t.name ? `in ${name}` : '(outside any test)';
          L.push(`  - \`${c.file}:${c.line}\` ${what}`);
        }
      } else {
        const files = new Map<string, number[]>();
        for (const c of of) files.set(c.file, [...(files.get(c.file) ?? []), c.line]);
        const list = [...files].map(([f, lines]) => `\`${f}:${lines.join(',')}\``).join(', ');
        L.push(`- ${KIND_TITLE[kind]}: ${list}`);
      }
    }
    L.push('');
  };

  const describeGroup = (g: string) => {
    const children = [...known, ...groups].filter((id) => parentOf(id) === g).sort(compareIds);
    const article = !g.includes('.');
    const what = g.startsWith('X-') ? (article ? `Chapter ${g.slice(2)} (reconstructed)` : `Section ${g.slice(2)} (reconstructed)`) : article ? `Article ${g.slice(2)}` : `Item list ${g}`;
    return `*Group* — ${what}: ${children.join(', ')}.`;
  };

  // Sections in catalog order; within each, ids and their groups by number.
  const sectionOrder = [...new Set(catalog.rules.map((r) => r.section))];
  const sectionOf = new Map(catalog.rules.map((r) => [r.id, r.section]));
  const sectionOfGroup = (g: string) => catalog.rules.filter((r) => r.id.startsWith(`${g}.`)).sort((a, b) => compareIds(a.id, b.id))[0]!.section;
  for (const s of sectionOrder) {
    const ids = [
      ...catalog.rules.filter((r) => r.section === s).map((r) => r.id),
      ...[...groups].filter((g) => sectionOfGroup(g) === s),
      ...[...subs].filter((id) => sectionOf.get(nearestRule(id)) === s),
    ].sort(compareIds);
    L.push(`## ${s} ${catalog.sections[s] ?? ''}`.trimEnd(), '');
    for (const id of ids) {
      const level = Math.min(6, 2 + depthOf(id));
      if (groups.has(id)) block(id, describeGroup(id), level);
      else if (subs.has(id)) block(id, `*Sub-item of ${nearestRule(id)}, cited in the code; not a separate catalog id.*`, level);
      else block(id, escapeMd(summary.get(id) ?? ''), level);
    }
  }

  L.push('## Product decisions (PD-n)', '', 'Part (e) of the catalog: the product decisions on every ambiguity of the spec.', '');
  for (const d of catalog.decisions) block(d.id, escapeMd(d.summary), 3);

  L.push('## Cited ids that are not in the catalog', '');
  if (!unknown.length) L.push('None.', '');
  for (const id of unknown) block(id, '*Not in the catalog: a typo, or a rule to add to docs/rule-catalog.json.*', 3);
  return `${L.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

// ─── links ──────────────────────────────────────────────────────────────────

/** Relative links in README.md and docs/**.md to files that do not exist, or out of the repository. */
function brokenLinks(): string[] {
  const all = ['README.md', ...walk('docs', /\.md$/), ...['web', 'admin', 'db/seed', 'bench'].map((d) => `${d}/README.md`)]
    .filter((f) => existsSync(path.join(root, f)))
    .sort(byString);
  const problems: string[] = [];
  for (const file of all) {
    let fenced = false;
    readFileSync(path.join(root, file), 'utf8')
      .split(/\r?\n/)
      .forEach((raw, i) => {
        if (/^\s*(```|~~~)/.test(raw)) fenced = !fenced;
        if (fenced) return;
        const where = `${file}:${i + 1}`;
        const targets: string[] = [];
        const line = raw.replace(/`[^`]*`/g, (code) => {
          // A path in code that climbs out of the repository (`../shared/…`) is a pointer a reader cannot follow.
          const p = /^`(\.\.\/[^`\s]+)`$/.exec(code)?.[1];
          if (p && !inside(path.resolve(path.join(root, path.dirname(file)), p))) problems.push(`${where}: ${p} is outside the repository`);
          return '';
        });
        for (const m of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(m[1]!);
        const def = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/.exec(line);
        if (def) targets.push(def[1]!);
        for (const t of targets) {
          if (/^[a-z][a-z0-9+.-]*:/i.test(t) || t.startsWith('#')) continue;
          const rel = decodeURI(t.replace(/[#?].*$/, ''));
          if (!rel) continue;
          const abs = rel.startsWith('/') ? path.join(root, rel) : path.resolve(path.join(root, path.dirname(file)), rel);
          if (!inside(abs)) problems.push(`${where}: link to ${t} leaves the repository`);
          else if (!existsSync(abs)) problems.push(`${where}: link to missing file ${t}`);
        }
      });
  }
  return problems;
}

const inside = (abs: string) => abs === root || abs.startsWith(root + path.sep);

// ─── --import ───────────────────────────────────────────────────────────────

/** The ids of the spec's rule catalog, ranges expanded (R-9.1.1–4 → R-9.1.1 … R-9.1.4), with their section. */
function importIds(specFile: string): { rules: { id: string; section: string }[]; decisions: string[] } {
  const rules: { id: string; section: string }[] = [];
  const decisions: string[] = [];
  let section = '';
  let part = '';
  for (const line of readFileSync(specFile, 'utf8').split(/\r?\n/)) {
    const p = /^## \((\w)\)/.exec(line);
    if (p) part = p[1]!;
    const h = /^### (Ch\. \d+(?: §\d+)?)/.exec(line);
    if (h) section = h[1]!;
    const r = /^- \*\*([RX]-\d+(?:\.\d+)*)(?:[–-](\d+))?\*\*/.exec(line);
    if (r && (part === 'b' || part === 'c')) {
      const [, first, last] = r;
      if (last === undefined) rules.push({ id: first!, section });
      else {
        const head = first!.slice(0, first!.lastIndexOf('.') + 1);
        for (let n = Number(first!.slice(head.length)); n <= Number(last); n++) rules.push({ id: `${head}${n}`, section });
      }
    }
    const d = /^(\d+)\. \*\*/.exec(line);
    if (d && part === 'e') decisions.push(`PD-${d[1]}`);
  }
  return { rules, decisions };
}

// ─── main ───────────────────────────────────────────────────────────────────

const argv = process.argv.slice(2);
const importFrom = argv.includes('--import') ? argv[argv.indexOf('--import') + 1] : undefined;

if (importFrom) {
  const spec = importIds(path.resolve(importFrom));
  const old: Catalog = existsSync(path.join(root, CATALOG)) ? loadCatalog() : { about: '', sections: {}, rules: [], decisions: [] };
  const oldRule = new Map(old.rules.map((r) => [r.id, r.summary]));
  const oldPd = new Map(old.decisions.map((d) => [d.id, d.summary]));
  const next: Catalog = {
    about: old.about,
    sections: Object.fromEntries([...new Set(spec.rules.map((r) => r.section))].map((s) => [s, old.sections[s] ?? ''])),
    rules: spec.rules.map((r) => ({ id: r.id, section: r.section, summary: oldRule.get(r.id) ?? '' })),
    decisions: spec.decisions.map((id) => ({ id, summary: oldPd.get(id) ?? '' })),
  };
  writeFileSync(path.join(root, CATALOG), `${JSON.stringify(next, null, 2)}\n`);
  const dropped = [...oldRule.keys(), ...oldPd.keys()].filter((id) => !next.rules.some((r) => r.id === id) && !next.decisions.some((d) => d.id === id));
  const blank = [...next.rules, ...next.decisions].filter((r) => !r.summary).map((r) => r.id);
  console.log(`${CATALOG}: ${next.rules.length} rule ids, ${next.decisions.length} product decisions.`);
  if (dropped.length) console.log(`No longer in the spec: ${dropped.join(', ')}`);
  if (blank.length) console.log(`Write a one-line summary (in your own words) for: ${blank.join(', ')}`);
  process.exit(0);
}

const catalog = loadCatalog();
const text = render(catalog, scan());

if (argv.includes('--check')) {
  const problems: string[] = [];
  const blank = [...catalog.rules, ...catalog.decisions].filter((r) => !r.summary.trim()).map((r) => r.id);
  if (blank.length) problems.push(`${CATALOG}: no summary for ${blank.join(', ')}`);
  problems.push(...brokenLinks());
  const current = existsSync(path.join(root, OUT)) ? readFileSync(path.join(root, OUT), 'utf8') : '';
  if (current !== text) problems.push(`${OUT} is stale: run pnpm rules:index`);
  for (const p of problems) console.error(p);
  if (problems.length) process.exit(1);
  console.log(`${OUT} is up to date; Markdown links resolve.`);
} else {
  writeFileSync(path.join(root, OUT), text);
  console.log(`${OUT}: ${catalog.rules.length} rule ids, ${catalog.decisions.length} product decisions.`);
}
