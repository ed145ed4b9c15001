import { DomainError } from './errors.ts';
import { controlCharacterPath } from './text.ts';

/** A page holds at most 500 rows, and starts within the first 1,000,000 (deeper pages are a filter's job): beyond → 400. */
export const MAX_PAGE = 500;
export const MAX_OFFSET = 1_000_000;

/**
 * The react-admin simple-rest list dialect: `sort=["field","ASC"]`,
 * `range=[0,24]`, `filter={...}`; the answer carries `Content-Range`.
 * Sort columns are whitelisted (they become SQL identifiers).
 */
export type ListQuery = { sortField: string; sortDesc: boolean; offset: number; limit: number; filter: Record<string, unknown> };

export function parseListQuery(
  q: { sort?: string; range?: string; filter?: string },
  sortable: readonly string[],
  defaultSort: [string, 'ASC' | 'DESC'],
): ListQuery {
  const sort = parseJson<[string, string]>(q.sort, 'sort') ?? defaultSort;
  const range = parseJson<[number, number]>(q.range, 'range') ?? [0, 24];
  const filter = parseJson<Record<string, unknown>>(q.filter, 'filter') ?? {};
  if (!Array.isArray(sort) || typeof sort[0] !== 'string' || !sortable.includes(sort[0])) {
    throw new DomainError('request.invalid', { fields: { sort: 'validation.enum' } });
  }
  if (!Array.isArray(range) || range.length !== 2 || !Number.isInteger(range[0]) || !Number.isInteger(range[1]) || range[1] < range[0]) {
    throw new DomainError('request.invalid', { fields: { range: 'validation.invalid' } });
  }
  if (range[0] < 0 || range[0] > MAX_OFFSET || range[1] - range[0] + 1 > MAX_PAGE) {
    throw new DomainError('request.invalid', { fields: { range: 'validation.range' } });
  }
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw new DomainError('request.invalid', { fields: { filter: 'validation.invalid' } });
  }
  const bad = controlCharacterPath(filter, ['filter']);
  if (bad !== undefined) throw new DomainError('request.invalid', { fields: { [bad]: 'validation.control_characters' } });
  return {
    sortField: sort[0],
    sortDesc: String(sort[1]).toUpperCase() === 'DESC',
    offset: range[0],
    limit: range[1] - range[0] + 1,
    filter,
  };
}

function parseJson<T>(raw: string | undefined, field: string): T | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    return JSON.parse(raw) as T;
  } catch {
    throw new DomainError('request.invalid', { fields: { [field]: 'validation.invalid' } });
  }
}

export function filterString(f: Record<string, unknown>, key: string): string | undefined {
  const v = f[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string' && typeof v !== 'number') throw new DomainError('request.invalid', { fields: { [`filter.${key}`]: 'validation.invalid' } });
  return String(v).slice(0, 200);
}
