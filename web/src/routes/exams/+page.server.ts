import { exams } from '$lib/server/exams';
import { loadOrFail } from '$lib/server/inspections';
import type { PageServerLoad } from './$types';

/** 考试预约: my learner permit, what each subject allows now, and my applications with their rank (X-4.4, PD-13). */
export const load: PageServerLoad = async (event) => {
  const api = exams(event);
  const [permits, applications] = await Promise.all([loadOrFail(event, () => api.permits()), loadOrFail(event, () => api.applications())]);
  return { permits, applications, cancelled: event.url.searchParams.get('cancelled')?.slice(0, 30) ?? null };
};
