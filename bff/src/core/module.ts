import type { Hono } from 'hono';
import type { JobHandlers } from '../platform/jobs.ts';
import type { TextTemplate } from '../platform/outbox.ts';
import type { UploadKinds } from '../platform/uploads/kinds.ts';
import type { CatalogEntry } from './catalog.ts';
import type { ConstraintMap } from './errors.ts';

// A router of any shape: the registry only mounts it (web takes its types from the contract, bff/src/contract.ts).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyRouter = Hono<any, any, any>;

/**
 * What a business area brings to the platform. Each module exports one from
 * its `index.ts`; `modules/index.ts` lists them, and the app, the workers, the
 * outbox, the error handler and the rule index read everything from that list
 * (docs/CONTRIBUTING-modules.md).
 */
export type ModuleDescriptor<M extends Record<string, CatalogEntry> = Record<string, CatalogEntry>> = {
  /** The folder name. */
  name: string;
  /** Citizen and staff routers, mounted at `/`. */
  routes: readonly AnyRouter[];
  /**
   * Development tools (a provider's dev gateway, test payables): mounted only
   * with DEV_TOOLS=1, which production refuses (env.ts), like /dev/inbox and
   * /dev/clock — absent, undocumented and 404 otherwise.
   */
  devRoutes?: readonly AnyRouter[];
  /** Durable job handlers by kind (platform/jobs.ts). */
  jobs?: JobHandlers;
  /** Error codes `<module>.<snake_case>` with status, texts and detail. */
  messages: M;
  /** The module's database constraints and the refusal each stands for. */
  constraints?: ConstraintMap;
  /** SMS / e-mail texts by template name (platform/outbox.ts). */
  smsTemplates?: Record<string, TextTemplate>;
  /** The files the module takes into the upload store, by purpose, with the types each accepts (platform/uploads, ADR-021). */
  uploadKinds?: UploadKinds;
};

export const defineModule = <const M extends Record<string, CatalogEntry>>(m: ModuleDescriptor<M>): ModuleDescriptor<M> => m;
