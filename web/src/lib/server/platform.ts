import { building } from '$app/environment';
import { bffUrl } from '$lib/server/bff';

const TTL_MS = 60_000;
let cached: { devTools: boolean; at: number } | undefined;

/**
 * Whether the bff's development tools are on (its public settings,
 * GET /api/v1/public/platform): the layout then shows a banner (ADR-023).
 * Asked at most once a minute; unknown (bff down, prerendering) counts as off.
 */
export async function devToolsOn(): Promise<boolean> {
  if (building) return false;
  if (cached && Date.now() - cached.at < TTL_MS) return cached.devTools;
  try {
    const res = await fetch(`${bffUrl()}/api/v1/public/platform`, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) return cached?.devTools ?? false;
    cached = { devTools: ((await res.json()) as { devTools?: unknown }).devTools === true, at: Date.now() };
    return cached.devTools;
  } catch {
    return cached?.devTools ?? false;
  }
}
