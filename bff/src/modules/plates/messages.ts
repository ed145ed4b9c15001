import type { CatalogEntry } from '../../http/catalog.ts';

/** Error texts of the plates module (zh-CN first, en). */
export const messages = {
} satisfies Record<string, CatalogEntry>;
