import { hash, verify } from '@node-rs/argon2';

/** argon2id with the OWASP-recommended minimum (19 MiB, 2 passes, 1 lane). */
const options = { algorithm: 2 as const, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  // Compare against a real hash even when the account does not exist, so the
  // answer takes the same time either way and does not reveal which phones have accounts.
  const target = stored ?? (await dummyHash());
  const ok = await verify(target, password).catch(() => false);
  return stored !== null && ok;
}

let dummy: Promise<string> | null = null;
function dummyHash(): Promise<string> {
  dummy ??= hash('not-a-password', options);
  return dummy;
}
