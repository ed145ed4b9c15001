import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { checkPaymentEnvironment } from './config.ts';

/** ADR-038: a real merchant's payment settings are checked when the bff starts, each problem named by its variable. */
const config = { NODE_ENV: 'production' as const, PORT: 8787, PUBLIC_WEB_URL: 'https://jg.example.gov.cn' };
const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
const bare = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
const privatePkcs8 = bare(pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
const privatePkcs1 = bare(pair.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
const alipayPublic = bare(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString());
const good = {
  PAYMENT_PROVIDER: 'alipay', ALIPAY_APP_ID: '2021004100000001', ALIPAY_PRIVATE_KEY: privatePkcs8, ALIPAY_PUBLIC_KEY: alipayPublic,
  ALIPAY_GATEWAY: 'https://openapi.alipay.com/gateway.do', PAYMENT_NOTIFY_URL: 'https://jg.example.gov.cn/payment-notify/alipay',
};
const problem = (env: Record<string, string | undefined>) => {
  try { checkPaymentEnvironment(config, env); return null; } catch (e) { return (e as Error).message; }
};

describe('payment settings checked at startup (ADR-038)', () => {
  it('a complete real merchant configuration passes; PKCS1 keys pass with ALIPAY_KEY_TYPE=PKCS1; the dev gateway needs nothing', () => {
    expect(problem(good)).toBeNull();
    expect(problem({ ...good, ALIPAY_PRIVATE_KEY: privatePkcs1, ALIPAY_KEY_TYPE: 'PKCS1' })).toBeNull();
    expect(problem({ ...good, ALIPAY_PRIVATE_KEY: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() })).toBeNull();
    expect(checkPaymentEnvironment({ ...config, NODE_ENV: 'development' }, {}).provider).toBe('dev');
  });

  it('each missing or unusable variable is named: absent, malformed, a key that is no key, the wrong key type, http gateway, a notify URL elsewhere', () => {
    expect(problem({ ...good, ALIPAY_PUBLIC_KEY: undefined })).toMatch(/ALIPAY_PUBLIC_KEY: required with PAYMENT_PROVIDER=alipay/);
    expect(problem({ ...good, ALIPAY_APP_ID: undefined, PAYMENT_NOTIFY_URL: undefined })).toMatch(/ALIPAY_APP_ID[^]*PAYMENT_NOTIFY_URL/);
    expect(problem({ ...good, ALIPAY_APP_ID: '2021-abc' })).toMatch(/ALIPAY_APP_ID/);
    expect(problem({ ...good, ALIPAY_PRIVATE_KEY: 'x'.repeat(400) })).toMatch(/ALIPAY_PRIVATE_KEY: not a readable PKCS8 RSA private key/);
    expect(problem({ ...good, ALIPAY_PRIVATE_KEY: privatePkcs1 })).toMatch(/ALIPAY_PRIVATE_KEY/); // PKCS1 key, PKCS8 stated
    expect(problem({ ...good, ALIPAY_PUBLIC_KEY: privatePkcs8 })).toMatch(/ALIPAY_PUBLIC_KEY/);
    expect(problem({ ...good, ALIPAY_GATEWAY: 'http://openapi.alipay.com/gateway.do' })).toMatch(/ALIPAY_GATEWAY: must be an https URL/);
    expect(problem({ ...good, PAYMENT_NOTIFY_URL: 'https://jg.example.gov.cn/api/notify' })).toMatch(/PAYMENT_NOTIFY_URL: must be the public address/);
    expect(problem({ ...good, PAYMENT_NOTIFY_URL: 'http://jg.example.gov.cn/payment-notify/alipay' })).toMatch(/PAYMENT_NOTIFY_URL: must be an https URL in production/);
    expect(problem({ ...good, PAYMENT_PROVIDER: 'dev' })).toMatch(/PAYMENT_PROVIDER/);
  });

  it('the bff refuses to start with a real provider whose key is missing, naming the variable, before it listens', () => {
    const server = fileURLToPath(new URL('../../server.ts', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', 'tsx', server], {
      cwd: fileURLToPath(new URL('../../..', import.meta.url)), encoding: 'utf8', timeout: 30_000,
      env: {
        PATH: process.env.PATH, NODE_ENV: 'production', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', LOG_LEVEL: 'silent', PORT: '19299',
        PUBLIC_WEB_URL: 'https://jg.example.gov.cn', ...good, ALIPAY_PUBLIC_KEY: undefined,
      },
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/invalid environment:\s+ALIPAY_PUBLIC_KEY: required with PAYMENT_PROVIDER=alipay/);
    expect(r.stdout).not.toMatch(/bff listening/);
  });
});
