import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Acknowledgement by link: `BASE/api/alerts/<id>/ack?u=<userId>&exp=<unix seconds>&sig=<HMAC>`.
 * The HMAC-SHA256 (base64url) covers the alert, the user and the expiry, so the link is the
 * credential of one person for one alert until it expires; no login is needed.
 */
export interface AckLinkClaims {
  alertId: string;
  userId: string;
  /** Unix seconds after which the link is refused. */
  expiresAt: number;
}

// The alert id (a UUID) and the expiry hold no newline, so the user id last keeps the message unambiguous.
const signedText = (c: AckLinkClaims) => `heatscheduler-ack-v1\n${c.alertId}\n${c.expiresAt}\n${c.userId}`;

export function signAckLink(claims: AckLinkClaims, secret: string): string {
  return createHmac('sha256', secret).update(signedText(claims)).digest('base64url');
}

export function ackLinkUrl(baseUrl: string, secret: string, claims: AckLinkClaims): string {
  const query = new URLSearchParams({ u: claims.userId, exp: String(claims.expiresAt), sig: signAckLink(claims, secret) });
  return `${baseUrl.replace(/\/$/, '')}/api/alerts/${encodeURIComponent(claims.alertId)}/ack?${query.toString()}`;
}

export type AckLinkVerdict = { ok: true; userId: string; expiresAt: number } | { ok: false; status: 400 | 403 | 410; problem: string };

const refused = (status: 400 | 403 | 410, problem: string): AckLinkVerdict => ({ ok: false, status, problem });
const one = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** Checks a link's query for the alert of its path: malformed (400), a signature that does not match (403), expired (410). */
export function verifyAckLink(alertId: string, query: Record<string, unknown>, secret: string, now: Date): AckLinkVerdict {
  const userId = one(query.u);
  const exp = one(query.exp);
  const sig = one(query.sig);
  if (!userId) return refused(400, 'the link has no user (u)');
  if (!exp || !/^\d{1,12}$/.test(exp)) return refused(400, 'the link has no valid expiry (exp, unix seconds)');
  if (!sig) return refused(400, 'the link has no signature (sig)');
  const expected = Buffer.from(signAckLink({ alertId, userId, expiresAt: Number(exp) }, secret));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return refused(403, 'the link’s signature does not match: it was altered, or is for another alert or person');
  }
  if (Number(exp) * 1000 <= now.getTime()) {
    return refused(
      410,
      `the link expired on ${new Date(Number(exp) * 1000).toISOString()}; acknowledge in the app or ask for a new message`,
    );
  }
  return { ok: true, userId, expiresAt: Number(exp) };
}

/** A message's link expires this long after its outbox row was created (the same link on every retry). */
export const ackLinkExpiry = (createdAt: Date, validHours: number) => Math.floor(createdAt.getTime() / 1000 + validHours * 3600);
