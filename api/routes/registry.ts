import { Router, type Request } from 'express';
import { z } from 'zod';
import { EquipmentListSchema } from '../../domain/run-request.ts';
import { TariffSchema } from '../../domain/tariff.ts';
import { LocalDateSchema } from '../../domain/time.ts';
import { loadRegistry } from '../../db/repositories/equipment.ts';
import { findTariff, upsertTariff } from '../../db/repositories/tariffs.ts';
import { heatersAuditDetails, recordAudit, tariffAuditDetails } from '../../db/repositories/audit.ts';
import { ALL_TIME, listTariffs, replaceSiteEquipment } from '../../db/repositories/site-registry.ts';
import { principalOf, requireRole, tenantInScope } from '../auth.ts';
import { jsonBody, jsonBodyOf, parsePart } from '../body.ts';
import type { ApiOptions } from '../config.ts';
import { notFound } from '../errors.ts';
import { rolesFor } from '../permissions.ts';
import type { ApiDeps } from '../server.ts';

export const SiteIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[^\s/]+$/, 'must be a site id (no spaces or slashes)');
const TariffQuerySchema = z.object({ tenant: z.string().optional(), date: LocalDateSchema.optional() }).strict();

const siteOf = (req: Request) => parsePart(SiteIdSchema, req.params.siteId, 'params.siteId');

/** /api/sites/:siteId/…: the site's registered tariffs and heaters; changes are validated and audited. */
export function registryRouter(deps: ApiDeps, options: ApiOptions): Router {
  const router = Router();
  tariffRoutes(router, deps, options);
  heaterRoutes(router, deps, options);
  return router;
}

function tariffRoutes(router: Router, deps: ApiDeps, options: ApiOptions): void {
  router.get('/:siteId/tariffs', requireRole(...rolesFor('GET /api/sites/:siteId/tariffs')), async (req, res) => {
    res.json({ items: await listTariffs(deps.db, tenantInScope(req, res), siteOf(req)) });
  });
  router.get('/:siteId/tariff', requireRole(...rolesFor('GET /api/sites/:siteId/tariff')), async (req, res) => {
    const tenant = tenantInScope(req, res);
    const site = siteOf(req);
    const { date = new Date().toISOString().slice(0, 10) } = parsePart(TariffQuerySchema, req.query, 'query');
    const tariff = await findTariff(deps.db, tenant, site, date);
    if (!tariff) throw notFound(`no tariff in force at ${site} on ${date}`, 'params.siteId');
    res.json(tariff);
  });
  router.put(
    '/:siteId/tariff',
    requireRole(...rolesFor('PUT /api/sites/:siteId/tariff')),
    ...jsonBody(options.bodyLimitBytes),
    async (req, res) => {
      const tenant = tenantInScope(req, res);
      const site = siteOf(req);
      const tariff = parsePart(TariffSchema, jsonBodyOf(res).value, 'body');
      const tariffId = await deps.db.transaction(async (tx) => {
        const id = await upsertTariff(tx, tenant, site, tariff);
        await recordAudit(tx, {
          tenantId: tenant,
          actor: principalOf(res).subject,
          action: 'tariff.put',
          target: site,
          details: tariffAuditDetails(tariff),
        });
        return id;
      });
      res.json({ tariffId, site, tariff });
    },
  );
}

function heaterRoutes(router: Router, deps: ApiDeps, options: ApiOptions): void {
  router.get('/:siteId/heaters', requireRole(...rolesFor('GET /api/sites/:siteId/heaters')), async (req, res) => {
    res.json({ items: await loadRegistry(deps.db, tenantInScope(req, res), siteOf(req), ALL_TIME.from, ALL_TIME.to) });
  });
  router.put(
    '/:siteId/heaters',
    requireRole(...rolesFor('PUT /api/sites/:siteId/heaters')),
    ...jsonBody(options.bodyLimitBytes),
    async (req, res) => {
      const tenant = tenantInScope(req, res);
      const site = siteOf(req);
      const heaters = parsePart(EquipmentListSchema, jsonBodyOf(res).value, 'body');
      const removed = await deps.db.transaction(async (tx) => {
        const gone = await replaceSiteEquipment(tx, tenant, site, heaters);
        await recordAudit(tx, {
          tenantId: tenant,
          actor: principalOf(res).subject,
          action: 'heaters.put',
          target: site,
          details: { ...heatersAuditDetails(heaters), removed: gone },
        });
        return gone;
      });
      res.json({ site, items: heaters, removed });
    },
  );
}
