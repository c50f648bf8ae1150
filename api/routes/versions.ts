import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  addLock,
  applyVersion,
  listApplications,
  listLocks,
  listVersions,
  loadSnapshot,
  removeLock,
  syncVersions,
  VersionNotFound,
  type ScheduleKey,
} from '../../db/repositories/schedule-versions.ts';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import { diffVersions, LockInputSchema } from '../../domain/schedule-versions.ts';
import { LocalDateSchema } from '../../domain/time.ts';
import { principalOf, requireRole, tenantInScope } from '../auth.ts';
import { jsonBody, jsonBodyOf, parsePart } from '../body.ts';
import type { ApiOptions } from '../config.ts';
import { ApiError, notFound } from '../errors.ts';
import { rolesFor } from '../permissions.ts';
import type { ApiDeps } from '../server.ts';
import { SiteIdSchema } from './registry.ts';

const VersionNumberSchema = z.coerce.number('must be a version number').int('must be a whole number').min(1).max(1_000_000);
const TenantOnly = { tenant: z.string().optional() };

export const DiffQuerySchema = z.object({ ...TenantOnly, from: VersionNumberSchema, to: VersionNumberSchema }).strict();
export const ApplyBodySchema = z
  .object({
    /** The version the caller saw applied (null: none yet); another one applied meanwhile is a 409 E004. */
    baseVersion: z.number().int().min(1).nullable(),
    reason: z.string().trim().max(500).optional(),
  })
  .strict();

/** The site and date of a `/:siteId/schedules/:date/…` route, within the caller's tenant. */
function keyOf(req: Request, res: Response): ScheduleKey {
  return {
    tenantId: tenantInScope(req, res),
    siteId: parsePart(SiteIdSchema, req.params.siteId, 'params.siteId'),
    scheduleDate: parsePart(LocalDateSchema, req.params.date, 'params.date'),
  };
}

/** E004 → 409 and E005 → 423 in the API's error shape; a missing version → 404. */
function versionError(err: unknown): unknown {
  if (err instanceof VersionNotFound) return notFound(err.message, 'params.version');
  if (!(err instanceof DomainError)) return err;
  if (err.code === ErrorCode.VERSION_CONFLICT) return new ApiError(409, err.code, err.summary, err.problems);
  if (err.code === ErrorCode.RESOURCE_LOCKED) return new ApiError(423, err.code, err.summary, err.problems);
  return err;
}

const P = '/:siteId/schedules/:date';

/** /api/sites/:siteId/schedules/:date/…: the versions of a site's schedule for a date, their diff, apply, rollback and locks. */
export function versionsRouter(deps: ApiDeps, options: ApiOptions): Router {
  const router = Router();
  readRoutes(router, deps);
  applyRoutes(router, deps, options);
  lockRoutes(router, deps, options);
  return router;
}

function readRoutes(router: Router, deps: ApiDeps): void {
  router.get(`${P}/versions`, requireRole(...rolesFor('GET /api/sites/:siteId/schedules/:date/versions')), async (req, res) => {
    const key = keyOf(req, res);
    const items = await listVersions(deps.db, key);
    const history = await listApplications(deps.db, key, 20);
    res.json({ site: key.siteId, date: key.scheduleDate, applied: history[0]?.version ?? null, items, history });
  });
  router.get(
    `${P}/versions/:version`,
    requireRole(...rolesFor('GET /api/sites/:siteId/schedules/:date/versions/:version')),
    async (req, res) => {
      const key = keyOf(req, res);
      const version = parsePart(VersionNumberSchema, req.params.version, 'params.version');
      await syncVersions(deps.db, key);
      const snapshot = await loadSnapshot(deps.db, key, version);
      if (!snapshot) throw notFound(`no version ${version} of ${key.siteId} on ${key.scheduleDate}`, 'params.version');
      res.json(snapshot);
    },
  );
  router.get(`${P}/diff`, requireRole(...rolesFor('GET /api/sites/:siteId/schedules/:date/diff')), async (req, res) => {
    const key = keyOf(req, res);
    const { from, to } = parsePart(DiffQuerySchema, req.query, 'query');
    await syncVersions(deps.db, key);
    const [a, b] = await Promise.all([loadSnapshot(deps.db, key, from), loadSnapshot(deps.db, key, to)]);
    if (!a) throw notFound(`no version ${from} of ${key.siteId} on ${key.scheduleDate}`, 'query.from');
    if (!b) throw notFound(`no version ${to} of ${key.siteId} on ${key.scheduleDate}`, 'query.to');
    res.json(diffVersions(a, b));
  });
}

function applyRoutes(router: Router, deps: ApiDeps, options: ApiOptions): void {
  const apply = (target: (req: Request) => number | 'rollback') => async (req: Request, res: Response) => {
    const key = keyOf(req, res);
    const version = target(req);
    const body = parsePart(ApplyBodySchema, jsonBodyOf(res).value, 'body');
    const started = performance.now();
    const application = await applyVersion(deps.db, key, version, {
      baseVersion: body.baseVersion,
      actor: principalOf(res).subject,
      reason: body.reason,
    }).catch((err: unknown) => {
      throw versionError(err);
    });
    res
      .set('Server-Timing', `apply;dur=${(performance.now() - started).toFixed(1)}`)
      .json({ site: key.siteId, date: key.scheduleDate, ...application });
  };
  router.post(
    `${P}/versions/:version/apply`,
    requireRole(...rolesFor('POST /api/sites/:siteId/schedules/:date/versions/:version/apply')),
    ...jsonBody(options.bodyLimitBytes),
    apply((req) => parsePart(VersionNumberSchema, req.params.version, 'params.version')),
  );
  router.post(
    `${P}/rollback`,
    requireRole(...rolesFor('POST /api/sites/:siteId/schedules/:date/rollback')),
    ...jsonBody(options.bodyLimitBytes),
    apply(() => 'rollback'),
  );
}

function lockRoutes(router: Router, deps: ApiDeps, options: ApiOptions): void {
  router.get(`${P}/locks`, requireRole(...rolesFor('GET /api/sites/:siteId/schedules/:date/locks')), async (req, res) => {
    res.json({ items: await listLocks(deps.db, keyOf(req, res)) });
  });
  router.post(
    `${P}/locks`,
    requireRole(...rolesFor('POST /api/sites/:siteId/schedules/:date/locks')),
    ...jsonBody(options.bodyLimitBytes),
    async (req, res) => {
      const key = keyOf(req, res);
      const lock = parsePart(LockInputSchema, jsonBodyOf(res).value, 'body');
      res.status(201).json(await addLock(deps.db, key, lock, principalOf(res).subject));
    },
  );
  router.delete(
    `${P}/locks/:lockId`,
    requireRole(...rolesFor('DELETE /api/sites/:siteId/schedules/:date/locks/:lockId')),
    async (req, res) => {
      const key = keyOf(req, res);
      const lockId = parsePart(z.uuid('must be a lock id (a UUID)'), req.params.lockId, 'params.lockId');
      if (!(await removeLock(deps.db, key, lockId, principalOf(res).subject))) {
        throw notFound(`no lock ${lockId} on ${key.siteId} for ${key.scheduleDate}`, 'params.lockId');
      }
      res.status(204).end();
    },
  );
}
