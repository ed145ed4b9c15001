import { newIdempotencyKey, postJson } from '../shared/http.ts';

/** The roster's one command (bff: POST /admin-api/station-roster/{id}/mark), with a fresh idempotency key. */
export type RosterMark = 'arrived' | 'done' | 'no_show';
export type RosterEntry = {
  id: string;
  code: string;
  status: 'booked' | 'cancelled' | 'moved' | 'completed' | 'no_show';
  disruption: string | null;
  arrivedAt: string | null;
  crossCity: boolean;
  plateNo: string | null;
  brandModel: string;
  bookerNameMasked: string | null;
  phoneMasked: string;
  day: string;
  startsAt: string;
  endsAt: string;
  marks: RosterMark[];
};

export const rosterApi = {
  mark: async (id: string, mark: RosterMark) => (await postJson(`/station-roster/${id}/mark`, { mark }, newIdempotencyKey())).json as RosterEntry,
};

/** What the status column says: an active booking whose vehicle arrived is "arrived". */
export const rosterStatus = (r: Pick<RosterEntry, 'status' | 'arrivedAt'>): string => (r.status === 'booked' && r.arrivedAt ? 'arrived' : r.status);
