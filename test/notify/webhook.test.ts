import { describe, expect, it } from 'vitest';
import { retryAfterMs, signWebhook, verifyWebhook, webhookHeaders, webhookVerdict } from '../../activities/notify/webhook.ts';

const HMAC_OPENSSL = 'f791993eff323f69bb56fd3e67112116cfc168782089e89342641b912cc94a82';
const SECRET = 'a-signing-secret-of-at-least-32-characters';

describe('signed webhooks', () => {
  const body = '{"type":"alert.raised"}';
  const now = Date.parse('2026-11-24T12:00:00Z');

  it('signs timestamp and body with HMAC-SHA256 (a value computed apart with openssl)', () => {
    // printf '1795521600.{"type":"alert.raised"}' | openssl dgst -sha256 -hmac a-signing-secret-of-at-least-32-characters
    expect(signWebhook(SECRET, 1795521600, body)).toBe(`v1=${HMAC_OPENSSL}`);
  });

  it('verifies its own headers, and refuses another body, another secret, and an old timestamp (a replay)', () => {
    const headers = webhookHeaders(SECRET, body, 'delivery-1', now);
    expect(headers['idempotency-key']).toBe('delivery-1');
    expect(verifyWebhook(SECRET, headers, body, now)).toBeNull();
    expect(verifyWebhook(SECRET, headers, body.replace('raised', 'cleared'), now)).toBe('signature does not match');
    expect(verifyWebhook(`${SECRET}!`, headers, body, now)).toBe('signature does not match');
    expect(verifyWebhook(SECRET, headers, body, now + 301_000)).toBe('timestamp outside the tolerance (a replay?)');
    expect(verifyWebhook(SECRET, { ...headers, 'x-heatscheduler-timestamp': undefined }, body, now)).toMatch(/missing or bad/);
  });

  it('retries 408, 429 and 5xx, refuses other 4xx for good, and reads Retry-After in seconds or as a date', () => {
    expect([200, 204, 400, 404, 408, 429, 500, 503].map(webhookVerdict)).toEqual([
      'sent',
      'sent',
      'refused',
      'refused',
      'retry',
      'retry',
      'retry',
      'retry',
    ]);
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs('Tue, 24 Nov 2026 12:00:10 GMT', now)).toBe(10_000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});
