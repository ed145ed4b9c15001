import simpleRestProvider from 'ra-data-simple-rest';
import type { DataProvider, DeleteParams, Identifier, RaRecord } from 'react-admin';
import { API_URL, getJson, httpClient, newIdempotencyKey, postJson } from './http.ts';

/** GET /admin-api/calendar/status */
export type CalendarYearSource = 'package' | 'staff' | 'missing';
export type CalendarStatus = {
  years: { year: number; source: CalendarYearSource }[];
  missingNextYear: boolean;
  /** the bff's "next year" on its clock (which e2e may move) */
  nextYear?: number;
};

/** POST /admin-api/calendar/years: a whole year of 节假日 and 调休上班 days, ISO dates. */
export type CalendarYearInput = { year: number; holidays: string[]; workdays: string[] };

export type AdminDataProvider = DataProvider & {
  /**
   * A workflow step as a named command: POST /admin-api/<resource>/<id>/<action>.
   * Modules add their own names on top, e.g.
   * `approveRegistration: (id, note) => dp.command('registrations', id, 'approve', { note })`.
   */
  command: <T = unknown>(resource: string, id: Identifier, action: string, body?: unknown) => Promise<{ data: T }>;
  getCalendarStatus: () => Promise<{ data: CalendarStatus }>;
  /** answers the calendar status after the entry */
  enterCalendarYear: (input: CalendarYearInput) => Promise<{ data: CalendarStatus }>;
};

const rest = simpleRestProvider(API_URL, httpClient);

export const dataProvider: AdminDataProvider = {
  ...rest,

  // A delete may answer 204 without a body; react-admin still wants the record back.
  delete: async <RecordType extends RaRecord = RaRecord>(resource: string, params: DeleteParams<RecordType>) => {
    const { json } = await httpClient(`${API_URL}/${resource}/${encodeURIComponent(String(params.id))}`, {
      method: 'DELETE',
      headers: new Headers({ 'Idempotency-Key': newIdempotencyKey() }),
    });
    const data = (json ?? params.previousData ?? { id: params.id }) as RecordType;
    return { data };
  },

  command: async <T = unknown>(resource: string, id: Identifier, action: string, body?: unknown) => {
    const path = `/${resource}/${encodeURIComponent(String(id))}/${encodeURIComponent(action)}`;
    const { json } = await postJson(path, body ?? {}, newIdempotencyKey());
    return { data: json as T };
  },

  getCalendarStatus: async () => {
    const { json } = await getJson('/calendar/status');
    return { data: json as CalendarStatus };
  },

  enterCalendarYear: async (input) => {
    const { json } = await postJson('/calendar/years', input, newIdempotencyKey());
    return { data: json as CalendarStatus };
  },
};
