/**
 * Writes the OpenAPI document the bff serves at /api/openapi.json to a file,
 * without a database or a server: `tsx src/openapi-document.ts <out.json>`.
 * `npm test` lints it with redocly (scripts/openapi-lint.ts, ADR-023). The
 * development tools are switched on so that every route is in it.
 */
import { writeFileSync } from 'node:fs';
import { createApp } from './app.ts';
import { createSql } from './db.ts';
import { loadConfig } from './env.ts';
import { createLogger } from './platform/log.ts';
import { devProviders } from './platform/outbox.ts';

const out = process.argv[2];
if (!out) throw new Error('usage: tsx src/openapi-document.ts <out.json>');
// Never connected: the document is built from the routes alone.
const config = loadConfig({ DATABASE_URL: 'postgres://openapi@127.0.0.1:1/none', NODE_ENV: 'development', LOG_LEVEL: 'silent', DEV_TOOLS: '1', ALLOW_TEST_CLOCK: 'false', JOBS_ENABLED: 'false' });
const sql = createSql(config.DATABASE_URL, { max: 1 });
const app = createApp({ sql, config, log: createLogger('silent'), clock: { now: () => new Date() }, providers: devProviders() });
const res = await app.request('/api/openapi.json');
if (res.status !== 200) throw new Error(`/api/openapi.json answered ${res.status}: ${await res.text()}`);
writeFileSync(out, JSON.stringify(await res.json(), null, 2));
await sql.end({ timeout: 0 });
