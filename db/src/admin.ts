import postgres from 'postgres';

/** The same server, another database. */
export function databaseUrlFor(baseUrl: string, database: string): string {
  const u = new URL(baseUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

function assertName(name: string) {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`bad database name ${name}`);
}

export async function createDatabase(baseUrl: string, name: string, opts: { dropFirst?: boolean } = {}) {
  assertName(name);
  const sql = postgres(databaseUrlFor(baseUrl, 'postgres'), { max: 1, onnotice: () => {} });
  try {
    if (opts.dropFirst) await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    const [exists] = await sql`SELECT 1 FROM pg_database WHERE datname = ${name}`;
    if (!exists) await sql.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await sql.end();
  }
  return databaseUrlFor(baseUrl, name);
}

export async function dropDatabase(baseUrl: string, name: string) {
  assertName(name);
  const sql = postgres(databaseUrlFor(baseUrl, 'postgres'), { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await sql.end();
  }
}
