import { describe, expect, it } from 'vitest';
import { testEnv, staffSessionCookie, type TestEnv } from '../../../test/support.ts';
import { CHEN_JING, PERSON_DOCS, personForm, scan } from '../accounts/testing.ts';

// Wednesday 2026-11-25 10:00 in Shanghai: a counter case accepted now is due Thursday 24:00 (2026-11-26T16:00Z).
const WEDNESDAY = '2026-11-25T02:00:00Z';
const DAY = 24 * 3600_000;

type Queue = { post: string; key: string; resource: string; filter: Record<string, string>; count: number; overdue: number; dueToday: number; nextDueAt: string | null };

async function dashboard(env: TestEnv, cookie: string) {
  const res = await env.call('GET', '/admin-api/dashboard', { cookie });
  expect(res.status).toBe(200);
  return (await res.json()) as { posts: string[]; authorityIds: string[]; stationId: string | null; today: string; queues: Queue[]; stepsToday: number };
}
const queue = (d: { queues: Queue[] }, key: string) => d.queues.find((q) => q.key === key);

describe('issue 18 dashboard per post, scoped to the member\'s post, city and station', async () => {
  const env = await testEnv({ start: WEDNESDAY });
  let intake = await staffSessionCookie(env, 'sz.intake');
  let review = await staffSessionCookie(env, 'sz.review');
  const gzIntake = async () => staffSessionCookie(env, 'gz.intake');
  // Sessions end after a day of idleness: sign in again after the clock moves.
  const advance = async (ms: number) => {
    env.clock.advance(ms);
    intake = await staffSessionCookie(env, 'sz.intake');
    review = await staffSessionCookie(env, 'sz.review');
  };
  let appId = '';

  it('each post gets only its own queues, each naming the admin list that shows the rows', async () => {
    const i = await dashboard(env, intake);
    expect(i.posts).toEqual(['intake']);
    expect(i.authorityIds).toEqual(['440300']);
    expect(i.today).toBe('2026-11-25');
    expect(i.queues.map((q) => q.key)).toEqual(['account_returned', 'replacement_intake', 'licence_to_issue']);
    expect(queue(i, 'account_returned')).toMatchObject({ resource: 'account-applications', filter: { queue: 'intake' } });
    const r = await dashboard(env, review);
    expect(r.queues.every((q) => q.post === 'review')).toBe(true);
    expect(queue(r, 'account_review')).toMatchObject({ resource: 'account-applications', filter: { queue: 'review' } });
    const a = await dashboard(env, await staffSessionCookie(env, 'sz.archive'));
    expect(a.queues.map((q) => q.key)).toEqual(['account_archive', 'replacement_archive']);
    const s = await dashboard(env, await staffSessionCookie(env, 'station.futian'));
    expect(s.posts).toEqual(['station_operator']);
    expect(s.stationId).not.toBeNull();
    expect(s.queues.map((q) => q.key)).toEqual(['bookings_today', 'slots_open_today']);
    // No post, no queue: the system administrator's dashboard is empty, not another city's work.
    const admin = await dashboard(env, await staffSessionCookie(env, 'admin'));
    expect(admin).toMatchObject({ posts: [], queues: [] });
    expect((await env.call('GET', '/admin-api/dashboard')).status).toBe(401);
  });

  it('PD-3 / R-12.2 管理岗 counts a new case, then due today, then overdue — never another city\'s', async () => {
    const before = queue(await dashboard(env, review), 'account_review')!;
    const stepsBefore = (await dashboard(env, intake)).stepsToday;
    const res = await env.call('POST', '/admin-api/account-applications', {
      cookie: intake, body: { subject: 'person', kind: 'registration', form: personForm({ ...CHEN_JING, phone: '15800158777' }), documents: await scan(env, intake, PERSON_DOCS) },
    });
    expect(res.status).toBe(201);
    appId = (await res.json()).id;
    const now = queue(await dashboard(env, review), 'account_review')!;
    expect(now.count).toBe(before.count + 1);
    expect(now.dueToday).toBe(before.dueToday);
    expect(now.nextDueAt! <= '2026-11-26T16:00:00.000Z').toBe(true);
    // Today's work: the acceptance is one of the steps 受理岗 took today.
    expect((await dashboard(env, intake)).stepsToday).toBeGreaterThan(stepsBefore);

    await advance(DAY); // Thursday: due at 24:00 today
    const thursday = queue(await dashboard(env, review), 'account_review')!;
    expect(thursday.dueToday).toBeGreaterThanOrEqual(1);
    expect(thursday.overdue).toBe(before.overdue);
    await advance(DAY); // Friday: past its deadline, still waiting
    const friday = queue(await dashboard(env, review), 'account_review')!;
    expect(friday.overdue).toBe(before.overdue + 1);
    expect(friday.count).toBe(before.count + 1);
  });

  it('R-12.2.4 a returned case is in 受理岗\'s queue of its own city only', async () => {
    const mine = queue(await dashboard(env, intake), 'account_returned')!;
    const theirs = queue(await dashboard(env, await gzIntake()), 'account_returned')!;
    const ret = await env.call('POST', `/admin-api/account-applications/${appId}/return`, { cookie: review, body: { note: '身份证扫描件不清晰，请重新扫描' } });
    expect(ret.status).toBe(200);
    const mineAfter = queue(await dashboard(env, intake), 'account_returned')!;
    expect(mineAfter.count).toBe(mine.count + 1);
    // The deadline does not move when 管理岗 returns the case (ADR-013): it is overdue in 受理岗's queue too.
    expect(mineAfter.overdue).toBe(mine.overdue + 1);
    expect(queue(await dashboard(env, await gzIntake()), 'account_returned')).toEqual(theirs);
    expect((await dashboard(env, await gzIntake())).authorityIds).toEqual(['440100']);
  });
});
