/** What GET /admin-api/dashboard answers (bff/src/modules/ops/dashboard.ts). */
export type DashboardQueue = {
  post: string;
  key: string;
  resource: string;
  filter: Record<string, string>;
  count: number;
  overdue: number;
  dueToday: number;
  nextDueAt: string | null;
};
export type DashboardData = { posts: string[]; authorityIds: string[]; stationId: string | null; today: string; queues: DashboardQueue[]; stepsToday: number };

/** The queues under their posts, in the order the bff sends them. */
export function groupByPost(queues: readonly DashboardQueue[]): [string, DashboardQueue[]][] {
  const groups = new Map<string, DashboardQueue[]>();
  for (const q of queues) groups.set(q.post, [...(groups.get(q.post) ?? []), q]);
  return [...groups.entries()];
}

/** The react-admin list showing exactly the rows a queue counts: `/<resource>?filter={…}`. */
export function listPath(q: Pick<DashboardQueue, 'resource' | 'filter'>): string {
  const filter = Object.keys(q.filter).length ? `?filter=${encodeURIComponent(JSON.stringify(q.filter))}` : '';
  return `/${q.resource}${filter}`;
}
