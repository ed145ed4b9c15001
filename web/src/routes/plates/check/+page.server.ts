import { loadPlates, plates } from '$lib/server/plates';
import type { PageServerLoad } from './$types';

/** Works without JavaScript: the form GETs this page with ?serial=; with JavaScript the hints come live. */
export const load: PageServerLoad = async (event) => {
  const api = plates(event);
  const segments = (await loadPlates(event, () => api.segments())).filter((s) => s.state === 'open');
  const wanted = event.url.searchParams.get('segment');
  const segment = segments.find((s) => s.id === wanted) ?? segments[0] ?? null;
  const serial = (event.url.searchParams.get('serial') ?? '').trim().slice(0, 12);
  const result = segment && serial ? await loadPlates(event, () => api.check(segment.id, serial)) : null;
  return { segments, segmentId: segment?.id ?? null, serial, result };
};
