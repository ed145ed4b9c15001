/**
 * Upload kinds (purposes): what a module accepts into the one upload store
 * (ADR-021). Each module declares its own in its descriptor (`uploadKinds`,
 * core/module.ts); the registry (modules/index.ts) merges them — a kind
 * declared twice fails at start-up — and registers them here, where the store
 * checks every purpose it is given.
 */

export const FILE_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export type FileType = (typeof FILE_TYPES)[number];
export const IMAGE_TYPES = ['image/jpeg', 'image/png'] as const satisfies readonly FileType[];

export type UploadKind = {
  /** The file types this kind takes, recognised by their bytes (not by the client's word). */
  types: readonly FileType[];
  /** What the file is, for the API reference. */
  description: string;
};
export type UploadKinds = Record<string, UploadKind>;

const registered = new Map<string, UploadKind>();

/** Called once by the module registry with every module's kinds. */
export function registerUploadKinds(kinds: UploadKinds): void {
  for (const [purpose, kind] of Object.entries(kinds)) {
    if (!/^[a-z][a-z0-9_]{0,62}$/.test(purpose)) throw new Error(`upload kind ${purpose}: lower-case snake case`);
    if (registered.has(purpose) && registered.get(purpose) !== kind) throw new Error(`upload kind ${purpose} registered twice`);
    registered.set(purpose, kind);
  }
}

/** The kind a purpose names, if a module declared it. */
export function uploadKindOf(purpose: string): UploadKind | undefined {
  return registered.get(purpose);
}
