import { and, desc, eq } from 'drizzle-orm';
import type { Equipment } from '../../domain/equipment.ts';
import { canonicalJson, sha256Hex } from '../../domain/hashing.ts';
import type { Tariff } from '../../domain/tariff.ts';
import type { Db, Tx } from '../client.ts';
import { auditEntries, optimizationRuns } from '../schema.ts';

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

/**
 * Records a registry change a run made with `register: true`: under the run's submitter (the run
 * itself when it came from the CLI), with the run id in the details.
 */
export async function recordRunRegistration(tx: Tx, runId: string, entry: Omit<AuditEntry, 'actor'>): Promise<void> {
  const [run] = await tx
    .select({ submittedBy: optimizationRuns.submittedBy })
    .from(optimizationRuns)
    .where(eq(optimizationRuns.runId, runId));
  await recordAudit(tx, { ...entry, actor: run?.submittedBy ?? `run ${runId}`, details: { ...entry.details, runId } });
}

/** What an audit entry says about a registered tariff: which version, and the hash of what was stored. */
export const tariffAuditDetails = (tariff: Tariff) => ({
  name: tariff.name,
  effectiveDate: tariff.effectiveDate,
  expiryDate: tariff.expiryDate ?? null,
  sha256: sha256Hex(canonicalJson(tariff)),
});

/** What an audit entry says about registered heaters: their ids, and the hash of what was stored. */
export const heatersAuditDetails = (heaters: Equipment[]) => ({ ids: heaters.map((h) => h.id), sha256: sha256Hex(canonicalJson(heaters)) });

export async function listAudit(db: Db, tenantId: string | null, limit: number) {
  return db
    .select()
    .from(auditEntries)
    .where(and(tenantId === null ? undefined : eq(auditEntries.tenantId, tenantId)))
    .orderBy(desc(auditEntries.createdAt))
    .limit(limit);
}
