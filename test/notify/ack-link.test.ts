import { describe, expect, it } from 'vitest';
import { ackLinkExpiry, ackLinkUrl, signAckLink, verifyAckLink } from '../../activities/notify/ack-link.ts';
import { alertEmail, alertPayload, alertSlack, type AlertView } from '../../activities/notify/alert-message.ts';

const SECRET = 'an-ack-link-secret-of-at-least-32-chars';
const ALERT = '3f0c2a8e-1b7d-4c1e-9a55-0d6b2e7f4a10';
const OTHER_ALERT = '3f0c2a8e-1b7d-4c1e-9a55-0d6b2e7f4a11';
const EXP = 1795521600; // 2026-11-24T12:00:00Z
const before = new Date((EXP - 60) * 1000);

/** The query of a link as the API sees it. */
const queryOf = (url: string) => Object.fromEntries(new URL(url).searchParams);

describe('acknowledgement links', () => {
  const claims = { alertId: ALERT, userId: 'ops-anna', expiresAt: EXP };
  const url = ackLinkUrl('https://heat.plant.example/', SECRET, claims);

  it('signs alert, expiry and user with HMAC-SHA256 (a value computed apart with openssl)', () => {
    // printf 'heatscheduler-ack-v1\n<alert>\n1795521600\nops-anna' | openssl dgst -sha256 -hmac <secret> -binary | basenc --base64url
    expect(signAckLink(claims, SECRET)).toBe('fzLCiQI8Mm3_fIb5K4FJu05Q7Ch0iby_7pdvNMUyQAA');
    expect(url).toBe(
      `https://heat.plant.example/api/alerts/${ALERT}/ack?u=ops-anna&exp=${EXP}&sig=fzLCiQI8Mm3_fIb5K4FJu05Q7Ch0iby_7pdvNMUyQAA`,
    );
  });

  it('accepts its own link until it expires, then answers 410', () => {
    expect(verifyAckLink(ALERT, queryOf(url), SECRET, before)).toEqual({ ok: true, userId: 'ops-anna', expiresAt: EXP });
    const late = verifyAckLink(ALERT, queryOf(url), SECRET, new Date(EXP * 1000));
    expect(late).toEqual({ ok: false, status: 410, problem: expect.stringContaining('expired on 2026-11-24T12:00:00.000Z') });
  });

  it('refuses (403) a link for another alert, another user, a later expiry, another secret', () => {
    const q = queryOf(url);
    const forbidden = { ok: false, status: 403, problem: expect.stringContaining('signature does not match') };
    expect(verifyAckLink(OTHER_ALERT, q, SECRET, before)).toEqual(forbidden);
    expect(verifyAckLink(ALERT, { ...q, u: 'ops-bert' }, SECRET, before)).toEqual(forbidden);
    expect(verifyAckLink(ALERT, { ...q, exp: String(EXP + 86_400) }, SECRET, new Date(EXP * 1000))).toEqual(forbidden);
    expect(verifyAckLink(ALERT, q, `${SECRET}!`, before)).toEqual(forbidden);
    expect(verifyAckLink(ALERT, { ...q, sig: q.sig.slice(0, -1) }, SECRET, before)).toEqual(forbidden);
  });

  it('names what a malformed link lacks (400)', () => {
    const q = queryOf(url);
    expect(verifyAckLink(ALERT, { ...q, u: undefined }, SECRET, before)).toMatchObject({
      status: 400,
      problem: 'the link has no user (u)',
    });
    expect(verifyAckLink(ALERT, { ...q, exp: 'soon' }, SECRET, before)).toMatchObject({
      status: 400,
      problem: expect.stringContaining('(exp'),
    });
    expect(verifyAckLink(ALERT, { ...q, sig: ['a', 'b'] }, SECRET, before)).toMatchObject({
      status: 400,
      problem: 'the link has no signature (sig)',
    });
  });

  it('expires a fixed time after the message was queued, so every retry of a message carries the same link', () => {
    expect(ackLinkExpiry(new Date('2026-11-24T12:00:00.400Z'), 168)).toBe(EXP + 168 * 3600);
  });
});

describe('the link in every channel', () => {
  const view: AlertView = {
    alertId: ALERT,
    tenantId: 't',
    rule: 'erp_sync_failed',
    severity: 'critical',
    title: 'ERP sync failed',
    text: 'HTTP 503',
    facts: {},
    runId: null,
    runUrl: null,
    ackUrl: `https://heat.plant.example/api/alerts/${ALERT}/ack?u=a&exp=1&sig=x`,
    escalation: false,
  };

  it('e-mail text and HTML (the & escaped in HTML), a Slack button, a webhook field; none without a link', () => {
    const mail = alertEmail(view);
    expect(mail.text).toContain(`Acknowledge (stops the escalation): ${view.ackUrl}`);
    expect(mail.html).toContain(`<a href="${view.ackUrl!.replaceAll('&', '&amp;')}">Acknowledge this alert</a>`);
    const slack = alertSlack(view);
    expect(slack.blocks).toContainEqual({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Acknowledge' }, style: 'primary', url: view.ackUrl }],
    });
    expect(alertPayload(view, 'd1').alert.ackUrl).toBe(view.ackUrl);

    const without = { ...view, ackUrl: null };
    expect(alertEmail(without).text).not.toContain('Acknowledge');
    expect(alertEmail(without).html).not.toContain('Acknowledge');
    expect(alertSlack(without).blocks.map((b) => (b as { type: string }).type)).toEqual(['header', 'section', 'context']);
    expect(alertPayload(without, 'd1').alert.ackUrl).toBeNull();
  });
});
