import type { PlateKind } from 'bff/client';
import { loadPlates, plates } from '$lib/server/plates';
import type { PageServerLoad } from './$types';

const PLATE_KINDS: readonly PlateKind[] = ['small_blue', 'small_new_energy', 'large_yellow', 'large_new_energy'];

/**
 * Works without JavaScript: the form GETs this page with ?serial=; with JavaScript the hints come live.
 * With no open segment (issue 18) the wanted number is still checked against the numbering rules of
 * its plate kind, and the announced segments that will hold it are named.
 */
export const load: PageServerLoad = async (event) => {
  const api = plates(event);
  const segments = (await loadPlates(event, () => api.segments())).filter((s) => s.state === 'open');
  const wanted = event.url.searchParams.get('segment');
  const segment = segments.find((s) => s.id === wanted) ?? segments[0] ?? null;
  const serial = (event.url.searchParams.get('serial') ?? '').trim().slice(0, 12);
  const result = segment && serial ? await loadPlates(event, () => api.check(segment.id, serial)) : null;
  const kindParam = event.url.searchParams.get('plateKind') as PlateKind | null;
  const plateKind: PlateKind = kindParam && PLATE_KINDS.includes(kindParam) ? kindParam : 'small_blue';
  const rules = !segment && serial ? await loadPlates(event, () => api.rulesCheck(plateKind, serial)) : null;
  return { segments, segmentId: segment?.id ?? null, serial, result, plateKinds: PLATE_KINDS, plateKind, rules };
};
