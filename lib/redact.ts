// Secrets never reach a page, whoever is looking: payloads shown in the back
// office (webhook events, audit details) go through redact() first. A value
// is hidden when its key names a secret or when it looks like one.
export const REDACTED = '[redacted]';

const SECRET_KEY =
  /(^|_)(secret|password|passwd|token|api_key|apikey|authorization|cvc|cvv)($|_)|^(number|card_number|iban|account_number|routing_number)$/i;
const SECRET_VALUE =
  /^(sk|rk)_(live|test)_|^whsec_|^ek_(live|test)_|_secret_[A-Za-z0-9]+$|^Bearer\s|-----BEGIN [A-Z ]*PRIVATE KEY-----/;

export function redact(value: unknown, key = ''): unknown {
  if (key && SECRET_KEY.test(key) && value !== null && value !== undefined && typeof value !== 'boolean') {
    return REDACTED;
  }
  if (typeof value === 'string') return SECRET_VALUE.test(value) ? REDACTED : value;
  if (Array.isArray(value)) return value.map((item) => redact(item));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, k)]));
  }
  return value;
}
