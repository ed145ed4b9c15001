import type { CatalogEntry } from '../../http/catalog.ts';

/** Error texts of the inspections module (zh-CN first, en). */
export const messages = {
} satisfies Record<string, CatalogEntry>;
