import { and, asc, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client.ts';
import { loadRunInput } from '../db/repositories/run-inputs.ts';
import { artefacts, optimizationRuns, optimizedAssignments, productionJobs, runSteps } from '../db/schema.ts';
import { verifyChain, type ChainVerdict } from '../domain/hashing.ts';
import type { RunStatus } from '../domain/pipeline.ts';

export async function loadRun(db: Db, runId: string) {
  const [run] = await db.select().from(optimizationRuns).where(eq(optimizationRuns.runId, runId));
  return run;
}

export async function loadChain(db: Db, runId: string) {
  return db.select().from(runSteps).where(eq(runSteps.runId, runId)).orderBy(asc(runSteps.seq));
}

/** Recomputes the run's provenance chain from the stored outputs. */
export async function verifyRunChain(db: Db, runId: string): Promise<ChainVerdict> {
  const steps = await loadChain(db, runId);
  if (steps.length === 0) return { ok: false, step: '-', reason: `run ${runId} has no recorded steps` };
  return verifyChain(steps);
}

export async function loadArtefact(db: Db, runId: string, kind: string) {
  const [row] = await db
    .select()
    .from(artefacts)
    .where(and(eq(artefacts.runId, runId), eq(artefacts.kind, kind)));
  return row;
}

/** Whose runs a reader may see: one tenant's, or (the open local mode only) every tenant's. */
export type TenantScope = { tenantId: string } | { allTenants: true };

export interface RunListFilter {
  status?: RunStatus;
  siteId?: string;
  /** Submitted at or after this instant, and before that one (ISO date or date-time). */
  createdFrom?: string;
  createdTo?: string;
  limit: number;
  /** Continue after this run (the last one of the previous page). */
  after?: { createdAt: string; runId: string };
}

async function plannedJobs(db: Db, runId: string, tenant: SQL | undefined) {
  return db
    .select({
      jobRef: productionJobs.jobRef,
      equipmentId: optimizedAssignments.equipmentId,
      start: optimizedAssignments.scheduledStart,
      end: optimizedAssignments.scheduledEnd,
    })
    .from(optimizedAssignments)
    .innerJoin(productionJobs, eq(productionJobs.jobId, optimizedAssignments.jobId))
    .where(and(eq(optimizedAssignments.runId, runId), eq(optimizedAssignments.plan, 'optimized'), tenant))
    .orderBy(asc(optimizedAssignments.scheduledStart), asc(productionJobs.jobRef));
}

/**
 * The API's only way to read runs: every query carries the tenant, so a run of another tenant is
 * indistinguishable from one that does not exist.
 */
export function tenantRuns(db: Db, scope: TenantScope) {
  const mine = (column: AnyPgColumn) => ('tenantId' in scope ? eq(column, scope.tenantId) : undefined);
  const get = async (runId: string) => {
    const [run] = await db
      .select()
      .from(optimizationRuns)
      .where(and(eq(optimizationRuns.runId, runId), mine(optimizationRuns.tenantId)));
    return run;
  };
  return {
    get,
    async list(filter: RunListFilter) {
      return db
        .select({ run: optimizationRuns, cursorTime: sql<string>`${optimizationRuns.createdAt}::text` })
        .from(optimizationRuns)
        .where(
          and(
            mine(optimizationRuns.tenantId),
            filter.status ? eq(optimizationRuns.status, filter.status) : undefined,
            filter.siteId ? eq(optimizationRuns.siteId, filter.siteId) : undefined,
            filter.createdFrom ? gte(optimizationRuns.createdAt, new Date(filter.createdFrom)) : undefined,
            filter.createdTo ? lt(optimizationRuns.createdAt, new Date(filter.createdTo)) : undefined,
            filter.after
              ? sql`(${optimizationRuns.createdAt}, ${optimizationRuns.runId}) < (${filter.after.createdAt}::timestamptz, ${filter.after.runId}::uuid)`
              : undefined,
          ),
        )
        .orderBy(desc(optimizationRuns.createdAt), desc(optimizationRuns.runId))
        .limit(filter.limit);
    },
    async artefact(runId: string, kind: string) {
      if (!(await get(runId))) return undefined;
      const [row] = await db
        .select()
        .from(artefacts)
        .where(and(eq(artefacts.runId, runId), eq(artefacts.kind, kind), mine(artefacts.tenantId)));
      return row ?? null;
    },
    /** The run's optimised plan, one row a placed job (its reference as submitted), in start order. */
    async plan(runId: string) {
      if (!(await get(runId))) return undefined;
      return plannedJobs(db, runId, mine(optimizedAssignments.tenantId));
    },
    /** The submission exactly as received. */
    async input(runId: string) {
      if (!(await get(runId))) return undefined;
      return loadRunInput(db, runId);
    },
    /** The recorded steps, and the verdict of recomputing every link (the first broken one named). */
    async provenance(runId: string) {
      if (!(await get(runId))) return undefined;
      const steps = await db
        .select()
        .from(runSteps)
        .where(and(eq(runSteps.runId, runId), mine(runSteps.tenantId)))
        .orderBy(asc(runSteps.seq));
      return { steps, verdict: steps.length ? verifyChain(steps) : null };
    },
  };
}
export type TenantRuns = ReturnType<typeof tenantRuns>;
