/**
 * The demo seed (db/seed/demo.sql) only holds codes that pass the platform's
 * own validators: 居民身份证号码 (GB 11643), VIN (ISO 3779), 统一社会信用代码
 * (GB 32100), and it has enough rows for the demos and e2e tests.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateIdNumber, validateUscc, validateVin } from './check-digits.ts';

const SEED = fileURLToPath(new URL('../../../db/seed/demo.sql', import.meta.url));
const TODAY = '2026-11-25'; // the seed's fixed "today"

type Row = Record<string, string | null>;

/**
 * Minimal reader for the generator's output: `INSERT INTO t (cols) VALUES (…), (…);`
 * with quoted strings ('' escapes), NULL, numbers, booleans and `'…'::type` casts,
 * and `--` comments outside strings. Values come back as their text (unquoted).
 */
function parseInserts(sql: string): Map<string, Row[]> {
  const tables = new Map<string, Row[]>();
  const stmt = /INSERT INTO (\w+) \(([^)]*)\) VALUES\s/g;
  let m: RegExpExecArray | null;
  while ((m = stmt.exec(sql)) !== null) {
    const table = m[1]!;
    const columns = m[2]!.split(',').map((c) => c.trim());
    const rows = tables.get(table) ?? [];
    let i = stmt.lastIndex;
    let values: (string | null)[] | null = null;
    let token = '';
    let quoted = false;
    let depth = 0; // parentheses open inside the current value
    for (; i < sql.length; i++) {
      const c = sql[i]!;
      if (values === null) {
        if (c === '(') {
          values = [];
          token = '';
          quoted = false;
        } else if (c === ';') break;
        else if (c === '-' && sql[i + 1] === '-') i = sql.indexOf('\n', i);
        continue;
      }
      if (depth > 0) {
        // inside a sub-expression of a value (a function call, a subquery): part of the token
        if (c === "'") {
          const end = findQuoteEnd(sql, i);
          token += sql.slice(i, end + 1);
          i = end;
          continue;
        }
        if (c === '(') depth++;
        else if (c === ')') depth--;
        token += c;
        continue;
      }
      if (c === '(') {
        depth++;
        token += c;
      } else if (c === "'") {
        const end = findQuoteEnd(sql, i);
        token += sql.slice(i + 1, end).replaceAll("''", "'");
        quoted = true;
        i = end;
      } else if (c === ',' || c === ')') {
        const raw = token.trim();
        values.push(!quoted && raw === 'NULL' ? null : quoted ? token.replace(/::\w+$/, '') : raw);
        token = '';
        quoted = false;
        if (c === ')') {
          expect(values, `${table}: column count`).toHaveLength(columns.length);
          rows.push(Object.fromEntries(columns.map((col, k) => [col, values![k]!])));
          values = null;
        }
      } else if (!/\s/.test(c)) {
        token += c; // bare token, or a cast after a quoted value
      }
    }
    stmt.lastIndex = i;
    tables.set(table, rows);
  }
  return tables;
}

function findQuoteEnd(s: string, open: number): number {
  for (let j = open + 1; j < s.length; j++) {
    if (s[j] === "'") {
      if (s[j + 1] === "'") j++;
      else return j;
    }
  }
  throw new Error('unterminated string in demo.sql');
}

const sql = readFileSync(SEED, 'utf8');
const tables = parseInserts(sql);
const rows = (t: string): Row[] => tables.get(t) ?? [];

describe('db/seed/demo.sql', () => {
  it('has no transaction control (the loader wraps it)', () => {
    expect(sql).not.toMatch(/^\s*(BEGIN|COMMIT|ROLLBACK)\b/im);
  });

  it('every person has a valid 18-digit resident ID number matching sex and birth date', () => {
    const persons = rows('person');
    expect(persons.length).toBeGreaterThanOrEqual(30);
    for (const p of persons) {
      const id = p.id_number!;
      expect(id, p.name!).toMatch(/^[0-9]{17}[0-9X]$/);
      const r = validateIdNumber(id, TODAY);
      expect(r, `${p.name} ${id}`).toMatchObject({ ok: true, sex: p.sex, birthDate: p.birth_date });
    }
    expect(new Set(persons.map((p) => p.id_number)).size).toBe(persons.length);
    // the tight regex agrees: every 18-char ID-shaped literal in the person blocks (base data and each business area's) is valid
    const literals: string[] = [];
    for (let start = sql.indexOf('INSERT INTO person ('); start >= 0; start = sql.indexOf('INSERT INTO person (', start + 1)) {
      const block = sql.slice(start, sql.indexOf('\n\n', start)); // statements are separated by a blank line
      literals.push(...[...block.matchAll(/'([0-9]{17}[0-9X])'/g)].map((x) => x[1]!));
    }
    expect(literals).toHaveLength(persons.length);
    for (const id of literals) expect(validateIdNumber(id).ok, id).toBe(true);
  });

  it('every licence number is its holder’s ID number', () => {
    const byId = new Map(rows('person').map((p) => [p.id, p]));
    for (const l of rows('driving_licence')) {
      expect(l.licence_no).toBe(byId.get(l.person_id)?.id_number);
      expect(validateIdNumber(l.licence_no!).ok).toBe(true);
    }
  });

  it('every vehicle has a valid VIN', () => {
    const vehicles = rows('vehicle');
    expect(vehicles.length).toBeGreaterThanOrEqual(40);
    for (const v of vehicles) expect(validateVin(v.vin!), v.vin!).toEqual({ ok: true });
    expect(new Set(vehicles.map((v) => v.vin)).size).toBe(vehicles.length);
    const literals = [...sql.matchAll(/'([0-9A-HJ-NPR-Z]{17})'/g)].map((x) => x[1]!);
    expect(literals).toHaveLength(vehicles.length);
  });

  it('every organisation has a valid USCC (with its embedded organisation code)', () => {
    const orgs = rows('organisation');
    expect(orgs.length).toBeGreaterThanOrEqual(4);
    for (const o of orgs) {
      expect(validateUscc(o.uscc!, { organisationCode: true }), `${o.name} ${o.uscc}`).toEqual({ ok: true });
    }
  });

  it('owner and licence phones equal the person’s phone', () => {
    const byId = new Map(rows('person').map((p) => [p.id, p]));
    for (const v of rows('vehicle')) {
      if (v.owner_person_id) expect(v.owner_phone, v.vin!).toBe(byId.get(v.owner_person_id)?.phone);
    }
    for (const l of rows('driving_licence')) expect(l.phone).toBe(byId.get(l.person_id)?.phone);
  });

  it('has stations and staff for every post', () => {
    expect(rows('inspection_station').length).toBeGreaterThanOrEqual(2);
    const roles = new Set(rows('staff_member').flatMap((s) => s.roles!.replace(/[{}]/g, '').split(',')));
    for (const role of ['intake', 'review', 'archive', 'station_operator', 'dealer', 'system_admin']) {
      expect(roles, role).toContain(role);
    }
  });
});
