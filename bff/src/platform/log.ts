import pino from 'pino';

export type Logger = pino.Logger;

const ID_NUMBER = /(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])/g;
// Not inside a longer run of letters and digits, as the ID number: a draw's commitment, a seed or a hash in hex
// holds eleven digits beginning 13–19 now and then (a commitment stored masked failed a fairness test once).
const PHONE = /(?<![0-9A-Za-z])(1[3-9]\d)\d{4}(\d{4})(?![0-9A-Za-z])/g;

/**
 * Masks resident ID numbers and mobile numbers anywhere in a string
 * (non-negotiable 7: masked in lists and logs).
 */
export function maskSensitive(text: string): string {
  return text.replace(ID_NUMBER, '$1********$2').replace(PHONE, '$1****$2');
}

function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskSensitive(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    // Stay an error of the same class, so pino's serializer keeps its type and fields (e.g. a Postgres `code`).
    const copy = Object.create(Object.getPrototypeOf(value) as object) as Error & Record<string, unknown>;
    for (const [k, v] of Object.entries(value)) copy[k] = maskDeep(v, depth + 1);
    const hidden = { enumerable: false, writable: true, configurable: true };
    Object.defineProperty(copy, 'message', { ...hidden, value: maskSensitive(value.message) });
    if (value.stack) Object.defineProperty(copy, 'stack', { ...hidden, value: maskSensitive(value.stack) });
    if (value.cause !== undefined) Object.defineProperty(copy, 'cause', { ...hidden, value: maskDeep(value.cause, depth + 1) });
    return copy;
  }
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v, depth + 1)]));
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const logger = pino(
    {
      level,
      base: { service: 'bff' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: ['password', '*.password', 'smsCode', '*.smsCode', 'totp', '*.totp', 'headers.cookie', 'req.headers.cookie'], censor: '[redacted]' },
      formatters: {
        log: (obj) => maskDeep(obj) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === 'string' ? maskSensitive(a) : a)) as Parameters<typeof method>;
          return method.apply(this, masked);
        },
      },
    },
    destination,
  );
  // pino writes child bindings (`log.child({ phone })`) without any formatter; mask them on the way in.
  // Children inherit this method, so grandchildren are masked too.
  type ChildFn = (this: Logger, bindings: pino.Bindings, options?: pino.ChildLoggerOptions) => Logger;
  const child = logger.child as unknown as ChildFn;
  const maskedChild: ChildFn = function (bindings, options) {
    return child.call(this, maskDeep(bindings) as pino.Bindings, options);
  };
  logger.child = maskedChild as unknown as Logger['child'];
  return logger;
}
