/** One error code's status and texts. Each module keeps its own in `messages.ts`. */
export type CatalogEntry = { status: number; 'zh-CN': string; en: string };
