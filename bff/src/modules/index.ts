import { coreMessages, type CatalogEntry } from '../core/catalog.ts';
import type { ConstraintMap, ErrorCode } from '../core/errors.ts';
import type { JobHandlers } from '../platform/jobs.ts';
import { registerTemplates, type TextTemplate } from '../platform/outbox.ts';
import { maintenanceJobs } from '../platform/maintenance.ts';
import { registerUploadKinds, type UploadKind } from '../platform/uploads/kinds.ts';
import { uploadMessages } from '../platform/uploads/messages.ts';
import { authModule } from './auth/index.ts';
import { accountsModule } from './accounts/index.ts';
import { opsModule } from './ops/index.ts';
import { platesModule } from './plates/index.ts';
import { inspectionsModule } from './inspections/index.ts';
import { replacementsModule } from './replacements/index.ts';
import { tempPlatesModule } from './temp-plates/index.ts';
import { medicalModule } from './medical/index.ts';
import { licencesModule } from './licences/index.ts';
import { dataAccessModule } from './data-access/index.ts';
import { paymentsModule } from './payments/index.ts';
import { examsModule } from './exams/index.ts';
import { violationsModule } from './violations/index.ts';
import { archivesModule } from './archives/index.ts';

/**
 * The business areas of the platform, in one list. Adding a module is one
 * folder and one line here (docs/CONTRIBUTING-modules.md); the app, the
 * workers, the outbox and the error handler read everything from this list.
 */
export const modules = [authModule, accountsModule, opsModule, platesModule, inspectionsModule, replacementsModule, tempPlatesModule, medicalModule, licencesModule, dataAccessModule, paymentsModule, examsModule, violationsModule, archivesModule] as const;

type Modules = typeof modules;

function merged<T>(part: (m: Modules[number]) => Record<string, T> | undefined, what: string, base: Record<string, T> = {}): Record<string, T> {
  const out: Record<string, T> = { ...base };
  for (const m of modules) {
    for (const [k, v] of Object.entries(part(m) ?? {})) {
      if (k in out) throw new Error(`${what} ${k} is declared twice (module ${m.name})`);
      out[k] = v;
    }
  }
  return out;
}

/** One table: every code's status, texts and detail. */
export const errorCatalog: Record<ErrorCode, CatalogEntry> = merged((m) => m.messages, 'error code', { ...coreMessages, ...uploadMessages }) as Record<ErrorCode, CatalogEntry>;
/** Every module's constraint names and the refusal each stands for. */
export const constraintMap: ConstraintMap = merged((m) => m.constraints, 'constraint');
/** Every module's durable job handlers, by kind. */
export const jobHandlers: JobHandlers = merged((m) => m.jobs, 'job kind', maintenanceJobs);
/** Every module's SMS texts, by template name. */
export const smsTemplates: Record<string, TextTemplate> = merged((m) => m.smsTemplates, 'SMS template');

/** Every module's upload kinds (purposes) and the file types each takes. */
export const uploadKinds: Record<string, UploadKind> = merged((m) => m.uploadKinds, 'upload kind');

// The outbox renders texts by template name (the dispatcher and the dev inbox): one table, filled here.
registerTemplates(smsTemplates);
// The upload store refuses a purpose no module declared (platform/uploads): one table, filled here.
registerUploadKinds(uploadKinds);
