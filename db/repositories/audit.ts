import { and, desc, eq } from 'drizzle-orm';
import type { Db, Tx } from '../client.ts';
import { auditEntries } from '../schema.ts';

export interface AuditEntry {
  tenantId: string;
  /** A token's subject, or `run <id>` for a change a run made with `register: true`. */
  actor: string;
  /** e.g. `tariff.put`, `heaters.put`, `run.cancel`. */
  action: string;
  target: string;
  details: Record<string, unknown>;
}

/** Records a change; call it in the transaction that makes the change, so neither exists without the other. */
export async function recordAudit(tx: Tx | Db, entry: AuditEntry): Promise<void> {
  await tx.insert(auditEntries).values({ ...entry, actor: entry.actor.slice(0, 200), target: entry.target.slice(0, 200) });
}

export async function listAudit(db: Db, tenantId: string | null, limit: number) {
  return db
    .select()
    .from(auditEntries)
    .where(and(tenantId === null ? undefined : eq(auditEntries.tenantId, tenantId)))
    .orderBy(desc(auditEntries.createdAt))
    .limit(limit);
}
