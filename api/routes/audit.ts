import { Router } from 'express';
import { z } from 'zod';
import { listAudit } from '../../db/repositories/audit.ts';
import { principalOf, requireRole } from '../auth.ts';
import { parsePart } from '../body.ts';
import { rolesFor } from '../permissions.ts';
import type { ApiDeps } from '../server.ts';

const AuditQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();

/** /api/audit: the tenant's registry changes and cancels, newest first (admins only). */
export function auditRouter(deps: ApiDeps): Router {
  const router = Router();
  router.get('/', requireRole(...rolesFor('GET /api/audit')), async (req, res) => {
    const { limit } = parsePart(AuditQuerySchema, req.query, 'query');
    const entries = await listAudit(deps.db, principalOf(res).tenant, limit);
    res.json({ items: entries.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })) });
  });
  return router;
}
