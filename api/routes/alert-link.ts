import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { verifyAckLink } from '../../activities/notify/ack-link.ts';
import { escapeHtml } from '../../activities/notify/html.ts';
import { loadAlert, type AlertRow } from '../../db/repositories/alerts.ts';
import { acknowledgeAlert } from '../../runs/alerts.ts';
import type { ApiDeps } from '../server.ts';

const AlertIdSchema = z.uuid();

/** A small page of its own: the person following the link has a browser, not an API client. */
function page(res: Response, status: number, title: string, body: string): void {
  res
    .status(status)
    .type('html')
    .set('Cache-Control', 'no-store')
    .set('Referrer-Policy', 'no-referrer')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
        `<title>${escapeHtml(title)}</title></head>` +
        `<body style="font-family:sans-serif;max-width:40em;margin:2em auto"><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
    );
}

const acknowledgedLine = (row: AlertRow) =>
  `<p>Acknowledged by ${escapeHtml(row.acknowledgedBy ?? '')} at ${escapeHtml(row.acknowledgedAt!.toISOString())}; no escalation follows.</p>`;

/**
 * The alert of a link whose signature and expiry hold, or undefined after answering the page
 * that says what is wrong (no such alert, altered, expired, links not configured).
 */
async function linkedAlert(deps: ApiDeps, secret: string | undefined, req: Request, res: Response) {
  const refuse = (status: number, problem: string) =>
    page(res, status, 'This acknowledgement link does not work', `<p>${escapeHtml(problem)}.</p>`);
  if (!secret) return refuse(404, 'acknowledgement links are not configured on this server (ALERT_LINK_SECRET)');
  const alertId = String(req.params.id);
  if (!AlertIdSchema.safeParse(alertId).success) return refuse(400, 'the link names no alert (its path must hold an alert id, a UUID)');
  const verdict = verifyAckLink(alertId, req.query, secret, new Date());
  if (!verdict.ok) return refuse(verdict.status, verdict.problem);
  const alert = await loadAlert(deps.db, alertId);
  if (!alert) return refuse(404, `there is no alert ${alertId} (any more)`);
  return { alert, userId: verdict.userId };
}

/**
 * /api/alerts/:id/ack: acknowledgement by the signed link in a message, without login (the
 * signature is the credential). GET only shows the alert and a button, because mail scanners
 * fetch links; the button's POST acknowledges as `link:<userId>`.
 */
export function alertLinkRouter(deps: ApiDeps, secret: string | undefined): Router {
  const router = Router();
  router.get('/:id/ack', async (req, res) => {
    const linked = await linkedAlert(deps, secret, req, res);
    if (!linked) return;
    const { alert } = linked;
    const what = `<p><strong>${escapeHtml(alert.title)}</strong></p><p>${escapeHtml(alert.text)}</p>`;
    if (alert.acknowledgedAt) {
      page(res, 200, 'Alert already acknowledged', what + acknowledgedLine(alert));
      return;
    }
    // The form posts to this very URL (query included): the signature travels with it.
    page(
      res,
      200,
      'Acknowledge this alert?',
      `${what}<form method="post"><button type="submit" style="font-size:1.2em;padding:.4em 1.2em">Acknowledge</button></form>` +
        `<p style="color:#666">Acknowledging tells HeatScheduler someone is on it: the alert is not escalated.</p>`,
    );
  });
  router.post('/:id/ack', async (req, res) => {
    const linked = await linkedAlert(deps, secret, req, res);
    if (!linked) return;
    const { alert, userId } = linked;
    const row = await acknowledgeAlert(deps.db, deps.client, { tenantId: alert.tenantId, alertId: alert.alertId, by: `link:${userId}` });
    if (!row) {
      page(res, 404, 'This acknowledgement link does not work', `<p>There is no alert ${escapeHtml(alert.alertId)} (any more).</p>`);
      return;
    }
    page(res, 200, 'Alert acknowledged', `<p><strong>${escapeHtml(row.title)}</strong></p>${acknowledgedLine(row)}`);
  });
  return router;
}
