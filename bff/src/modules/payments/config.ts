import { createPrivateKey, createPublicKey } from 'node:crypto';
import { z } from 'zod';
import type { Config } from '../../env.ts';
import { DEMO_APP_ID, DEMO_APP_PRIVATE_KEY, DEMO_GATEWAY_PUBLIC_KEY } from './dev-gateway/demo-keys.ts';

/**
 * The payment provider's settings, from the environment (ADR-035). Switching
 * from the development gateway to a real Alipay merchant is configuration only:
 *
 * - `PAYMENT_PROVIDER`: `dev` (default outside production; the bff's own dev
 *   gateway plays Alipay with the demo keys) or `alipay`.
 * - `ALIPAY_APP_ID`: the merchant application's APPID.
 * - `ALIPAY_PRIVATE_KEY`: the application private key (PEM or bare base64), `ALIPAY_KEY_TYPE` PKCS8 (default) or PKCS1.
 * - `ALIPAY_PUBLIC_KEY`: 支付宝公钥 — verifies answers and asynchronous notifications.
 * - `ALIPAY_GATEWAY`: default `https://openapi.alipay.com/gateway.do` (the sandbox: `https://openapi-sandbox.dl.alipaydev.com/gateway.do`).
 * - `PAYMENT_NOTIFY_URL`: the public address of this bff's notify endpoint, `…/payment-notify/alipay`.
 * - `PAYMENT_BFF_URL`: (dev) where the bff is reached, for the dev gateway's address; default `http://127.0.0.1:$PORT`.
 *
 * `PAYMENT_PROVIDER=dev` is refused with NODE_ENV=production.
 */
const Schema = z.object({
  PAYMENT_PROVIDER: z.enum(['dev', 'alipay']).optional(),
  ALIPAY_APP_ID: z.string().regex(/^\d{16}$/).optional(),
  ALIPAY_PRIVATE_KEY: z.string().min(100).optional(),
  ALIPAY_KEY_TYPE: z.enum(['PKCS8', 'PKCS1']).default('PKCS8'),
  ALIPAY_PUBLIC_KEY: z.string().min(100).optional(),
  ALIPAY_GATEWAY: z.string().url().optional(),
  PAYMENT_NOTIFY_URL: z.string().url().optional(),
  PAYMENT_BFF_URL: z.string().url().optional(),
  /** dev gateway: how many times it delivers each notification (Alipay may deliver one more than once) */
  DEV_GATEWAY_NOTIFY_TIMES: z.coerce.number().int().min(1).max(5).default(2),
});

export type PaymentSettings = {
  provider: 'dev' | 'alipay';
  appId: string;
  privateKey: string;
  keyType: 'PKCS8' | 'PKCS1';
  alipayPublicKey: string;
  gateway: string;
  notifyUrl: string;
  /** the web result page of an order, where the provider sends the buyer back */
  returnUrl: (orderId: string) => string;
  devNotifyTimes: number;
};

let cached: { key: string; settings: PaymentSettings } | null = null;

export function paymentSettings(config: Pick<Config, 'NODE_ENV' | 'PORT' | 'PUBLIC_WEB_URL'>, env: Record<string, string | undefined> = process.env): PaymentSettings {
  const key = JSON.stringify([config.NODE_ENV, config.PORT, config.PUBLIC_WEB_URL, ...Object.keys(Schema.shape).map((k) => env[k])]);
  if (cached?.key === key) return cached.settings;
  const parsed = Schema.safeParse(env);
  if (!parsed.success) throw new Error(`invalid environment:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  const e = parsed.data;
  const production = config.NODE_ENV === 'production';
  const provider = e.PAYMENT_PROVIDER ?? (production ? 'alipay' : 'dev');
  if (provider === 'dev' && production) throw new Error('invalid environment:\n  PAYMENT_PROVIDER: the development payment gateway cannot be used with NODE_ENV=production');
  const bff = (e.PAYMENT_BFF_URL ?? `http://127.0.0.1:${config.PORT}`).replace(/\/$/, '');
  const web = config.PUBLIC_WEB_URL.replace(/\/$/, '');
  let settings: PaymentSettings;
  if (provider === 'dev') {
    settings = {
      provider, appId: DEMO_APP_ID, privateKey: DEMO_APP_PRIVATE_KEY, keyType: 'PKCS8', alipayPublicKey: DEMO_GATEWAY_PUBLIC_KEY,
      gateway: e.ALIPAY_GATEWAY ?? `${bff}/dev-gateway/alipay/gateway.do`,
      notifyUrl: e.PAYMENT_NOTIFY_URL ?? `${bff}/payment-notify/alipay`,
      returnUrl: (id) => `${web}/payments/${id}/result`, devNotifyTimes: e.DEV_GATEWAY_NOTIFY_TIMES,
    };
  } else {
    const missing = (['ALIPAY_APP_ID', 'ALIPAY_PRIVATE_KEY', 'ALIPAY_PUBLIC_KEY', 'PAYMENT_NOTIFY_URL'] as const).filter((k) => !e[k]);
    if (missing.length) throw new Error(`invalid environment:\n${missing.map((k) => `  ${k}: required with PAYMENT_PROVIDER=alipay`).join('\n')}`);
    settings = {
      provider, appId: e.ALIPAY_APP_ID!, privateKey: e.ALIPAY_PRIVATE_KEY!, keyType: e.ALIPAY_KEY_TYPE, alipayPublicKey: e.ALIPAY_PUBLIC_KEY!,
      gateway: e.ALIPAY_GATEWAY ?? 'https://openapi.alipay.com/gateway.do', notifyUrl: e.PAYMENT_NOTIFY_URL!,
      returnUrl: (id) => `${web}/payments/${id}/result`, devNotifyTimes: 1,
    };
  }
  cached = { key, settings };
  return settings;
}

const pemOf = (key: string, type: string) =>
  key.includes('-----BEGIN') ? key : `-----BEGIN ${type}-----\n${key.replace(/\s+/g, '').match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END ${type}-----`;

/**
 * Checked when the bff starts (server.ts), so a real merchant's
 * misconfiguration stops the process at once with the variable's name instead
 * of failing at the first payment, refund or notification (ADR-038): the
 * variables present and well-formed (paymentSettings), the application private
 * key and Alipay's public key readable as RSA keys of the stated type, the
 * gateway on https, the notify URL pointing at this bff's notify endpoint.
 */
export function checkPaymentEnvironment(config: Pick<Config, 'NODE_ENV' | 'PORT' | 'PUBLIC_WEB_URL'>, env: Record<string, string | undefined> = process.env): PaymentSettings {
  const s = paymentSettings(config, env);
  if (s.provider !== 'alipay') return s;
  const problems: string[] = [];
  try {
    const k = createPrivateKey(pemOf(s.privateKey, s.keyType === 'PKCS1' ? 'RSA PRIVATE KEY' : 'PRIVATE KEY'));
    if (k.asymmetricKeyType !== 'rsa' || (k.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) problems.push('ALIPAY_PRIVATE_KEY: not an RSA key of at least 2048 bits (RSA2)');
  } catch {
    problems.push(`ALIPAY_PRIVATE_KEY: not a readable ${s.keyType} RSA private key (check ALIPAY_KEY_TYPE)`);
  }
  try {
    const k = createPublicKey(pemOf(s.alipayPublicKey, 'PUBLIC KEY'));
    if (k.asymmetricKeyType !== 'rsa') problems.push('ALIPAY_PUBLIC_KEY: not an RSA public key');
  } catch {
    problems.push('ALIPAY_PUBLIC_KEY: not a readable public key (支付宝公钥, not the application public key or a certificate)');
  }
  if (new URL(s.gateway).protocol !== 'https:') problems.push('ALIPAY_GATEWAY: must be an https URL');
  if (!new URL(s.notifyUrl).pathname.endsWith('/payment-notify/alipay')) problems.push('PAYMENT_NOTIFY_URL: must be the public address of this bff’s notify endpoint, …/payment-notify/alipay');
  if (config.NODE_ENV === 'production' && new URL(s.notifyUrl).protocol !== 'https:') problems.push('PAYMENT_NOTIFY_URL: must be an https URL in production');
  if (problems.length) throw new Error(`invalid environment:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return s;
}
