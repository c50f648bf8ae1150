import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-heatscheduler-signature';
export const TIMESTAMP_HEADER = 'x-heatscheduler-timestamp';
export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** A receiver refuses a signature older (or newer) than this, so a captured request cannot be replayed later. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** HMAC-SHA256 over `<timestamp>.<body>`, hex, as `v1=<hex>`: the timestamp is signed with the body. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The headers of one signed delivery; the idempotency key is the same on every retry of it. */
export function webhookHeaders(secret: string, body: string, idempotencyKey: string, now = Date.now()): Record<string, string> {
  const timestamp = Math.floor(now / 1000);
  return {
    'content-type': 'application/json',
    [IDEMPOTENCY_HEADER]: idempotencyKey,
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
  };
}

/** What a receiver does: checks the signature and that the timestamp is recent. Returns why not, or null. */
export function verifyWebhook(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  now = Date.now(),
): string | null {
  const timestamp = Number(headers[TIMESTAMP_HEADER]);
  const signature = headers[SIGNATURE_HEADER];
  if (!Number.isInteger(timestamp)) return `missing or bad ${TIMESTAMP_HEADER}`;
  if (typeof signature !== 'string') return `missing ${SIGNATURE_HEADER}`;
  if (Math.abs(now / 1000 - timestamp) > SIGNATURE_TOLERANCE_SECONDS) return 'timestamp outside the tolerance (a replay?)';
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? null : 'signature does not match';
}

/** How a webhook answer is taken: 2xx delivered; 408, 429 and 5xx retried; any other 4xx refused for good. */
export function webhookVerdict(status: number): 'sent' | 'retry' | 'refused' {
  if (status >= 200 && status < 300) return 'sent';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  return 'refused';
}

/** Retry-After in seconds or as an HTTP date, in ms from now; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
