/**
 * Which rule ids of the catalog (../shared/spec/rules.md) a test cites, counted
 * the way the session hook counts them: an id is every `R-n(.n)*` / `X-n(.n)*`
 * in the catalog; a test is a file whose path matches
 * `(\.test\.|\.spec\.|/tests?/|/e2e/)` (tracked or new, not ignored); an id is
 * cited when it appears in one. Articles 1–36 are the R- ids.
 *
 *   tsx scripts/rule-coverage.ts                 covered/total and the uncited ids
 *   tsx scripts/rule-coverage.ts --spec=<file>   another copy of the catalog
 *   tsx scripts/rule-coverage.ts --strict        exit 1 when an R- id is uncited
 *
 * A citation proves only that a test names the rule; that the test would fail
 * without it is the reviewer's part (and mutation testing's: pnpm test:mutation).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const spec = path.resolve(argv.find((a) => a.startsWith('--spec='))?.slice(7) ?? path.join(root, '..', 'shared', 'spec', 'rules.md'));
if (!existsSync(spec)) {
  console.error(`no rule catalog at ${spec} (pass --spec=<file>)`);
  process.exit(2);
}

const ID = /\b[RX]-\d+(?:\.\d+)*\b/g;
const idsIn = (text: string) => new Set(text.match(ID) ?? []);

const byNumber = (a: string, b: string) => {
  if (a[0] !== b[0]) return a[0] === 'R' ? -1 : 1;
  const pa = a.slice(2).split('.').map(Number);
  const pb = b.slice(2).split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (pa[i] === undefined) return -1;
    if (pb[i] === undefined) return 1;
    if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
  }
  return 0;
};

const ids = [...idsIn(readFileSync(spec, 'utf8'))].sort(byNumber);
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 })
  .split('\n')
  .filter((f) => /(\.test\.|\.spec\.|\/tests?\/|\/e2e\/)/.test(f) && existsSync(path.join(root, f)));
const cited = new Set<string>();
for (const f of files) for (const id of idsIn(readFileSync(path.join(root, f), 'utf8'))) cited.add(id);

function report(title: string, list: string[]) {
  const uncited = list.filter((id) => !cited.has(id));
  console.log(`${title}: ${list.length - uncited.length} of ${list.length} cited by a test`);
  if (uncited.length) console.log(`  uncited: ${uncited.join(' ')}`);
  return uncited.length;
}

const articles = ids.filter((id) => id.startsWith('R-'));
const missing = report('articles 1–36 (R-)', articles);
report('reconstructed chapters 4–7 (X-)', ids.filter((id) => id.startsWith('X-')));
report('overall', ids);
if (argv.includes('--strict') && missing > 0) process.exitCode = 1;
