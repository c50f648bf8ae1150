import { Router } from 'express';
import { z } from 'zod';
import { listSubscribers, loadAlert, saveSubscriber } from '../../db/repositories/alerts.ts';
import { SubscriberSchema } from '../../domain/alerts.ts';
import { acknowledgeAlert } from '../../runs/alerts.ts';
import { principalOf, requireRole, tenantInScope } from '../auth.ts';
import { jsonBody, jsonBodyOf, parsePart } from '../body.ts';
import type { ApiOptions } from '../config.ts';
import { invalid, notFound } from '../errors.ts';
import { rolesFor } from '../permissions.ts';
import type { ApiDeps } from '../server.ts';

const AlertIdSchema = z.uuid('must be an alert id (a UUID)');

/** /api/alerts: acknowledge an alert (no escalation follows). */
export function alertsRouter(deps: ApiDeps): Router {
  const router = Router();
  router.post('/:id/acknowledge', requireRole(...rolesFor('POST /api/alerts/:id/acknowledge')), async (req, res) => {
    const alertId = parsePart(AlertIdSchema, req.params.id, 'params.id');
    const principal = principalOf(res);
    // Without login every tenant is the caller's: the alert's own tenant then.
    const tenantId = principal.tenant ?? (await loadAlert(deps.db, alertId))?.tenantId;
    const row =
      tenantId === undefined ? undefined : await acknowledgeAlert(deps.db, deps.client, { tenantId, alertId, by: principal.subject });
    if (!row) throw notFound(`no alert ${alertId}`, 'params.id');
    res.json({ alertId, acknowledgedAt: row.acknowledgedAt!.toISOString(), acknowledgedBy: row.acknowledgedBy });
  });
  return router;
}

/** /api/subscribers: the tenant's notification preferences, one entry per user. */
export function subscribersRouter(deps: ApiDeps, options: ApiOptions): Router {
  const router = Router();
  router.get('/', requireRole(...rolesFor('GET /api/subscribers')), async (req, res) => {
    res.json({ items: await listSubscribers(deps.db, tenantInScope(req, res)) });
  });
  router.put(
    '/:userId',
    requireRole(...rolesFor('PUT /api/subscribers/:userId')),
    ...jsonBody(options.bodyLimitBytes),
    async (req, res) => {
      const tenantId = tenantInScope(req, res);
      const subscriber = parsePart(SubscriberSchema, jsonBodyOf(res).value, 'body');
      if (subscriber.userId !== req.params.userId) {
        throw invalid([{ path: 'body.userId', message: `must be ${String(req.params.userId)}, the user of the path` }]);
      }
      await saveSubscriber(deps.db, tenantId, subscriber);
      res.json(subscriber);
    },
  );
  return router;
}
