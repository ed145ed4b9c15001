/** `tsx db/src/cli.ts migrate|seed|reset` against DATABASE_URL. */
import postgres from 'postgres';
import { migrate } from './migrate.ts';
import { loadSeed } from './seed.ts';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set (npm start sets it for the embedded server).');
  process.exit(2);
}
const cmd = process.argv[2] ?? 'migrate';
const sql = postgres(url, { max: 2, onnotice: () => {} });
try {
  if (cmd === 'reset') {
    await sql.unsafe('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  }
  const r = await migrate(sql);
  console.log(`migrations: ${r.applied.length} applied, ${r.skipped.length} already applied`);
  if (cmd === 'seed' || cmd === 'reset') console.log(`seed: ${await loadSeed(sql)}`);
} finally {
  await sql.end();
}
