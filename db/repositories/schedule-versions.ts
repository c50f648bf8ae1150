import { and, asc, desc, eq, isNull, max, sql } from 'drizzle-orm';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import {
  lockViolations,
  type Application,
  type LockInput,
  type StoredLock,
  type VersionRow,
  type VersionSnapshot,
} from '../../domain/schedule-versions.ts';
import type { Db, Tx } from '../client.ts';
import {
  optimizationRuns,
  optimizedAssignments,
  productionJobs,
  productionSchedules,
  scheduleApplications,
  scheduleLocks,
  scheduleVersions,
} from '../schema.ts';
import { recordAudit } from './audit.ts';

/** A site's schedule for one date, within one tenant. */
export interface ScheduleKey {
  tenantId: string;
  siteId: string;
  scheduleDate: string;
}

const keyOf = (t: typeof scheduleVersions | typeof scheduleApplications | typeof scheduleLocks, k: ScheduleKey) =>
  and(eq(t.tenantId, k.tenantId), eq(t.siteId, k.siteId), eq(t.scheduleDate, k.scheduleDate));

/** One writer per site and date at a time (numbering versions, applying). */
const lockKey = (tx: Tx, k: ScheduleKey) =>
  tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`schedule:${JSON.stringify([k.tenantId, k.siteId, k.scheduleDate])}`}, 0))`,
  );

/**
 * Numbers the site's successful runs for the date that have no version yet, in the order they
 * completed. Lazy (called by every read) rather than in the pipeline: the run row is the one
 * source of truth, nothing in the workflow changes, and calling it twice adds nothing.
 */
export async function syncVersions(db: Db, k: ScheduleKey): Promise<void> {
  await db.transaction(async (tx) => {
    await lockKey(tx, k);
    const missing = await tx
      .select({ runId: optimizationRuns.runId })
      .from(optimizationRuns)
      .innerJoin(productionSchedules, eq(productionSchedules.runId, optimizationRuns.runId))
      .leftJoin(scheduleVersions, eq(scheduleVersions.runId, optimizationRuns.runId))
      .where(
        and(
          eq(optimizationRuns.tenantId, k.tenantId),
          eq(optimizationRuns.status, 'SUCCESS'),
          eq(productionSchedules.siteId, k.siteId),
          eq(productionSchedules.scheduleDate, k.scheduleDate),
          isNull(scheduleVersions.id),
        ),
      )
      .orderBy(asc(optimizationRuns.completedAt), asc(optimizationRuns.runId));
    if (missing.length === 0) return;
    const [{ top }] = await tx
      .select({ top: max(scheduleVersions.version) })
      .from(scheduleVersions)
      .where(keyOf(scheduleVersions, k));
    await tx.insert(scheduleVersions).values(missing.map((m, i) => ({ ...k, version: (top ?? 0) + i + 1, runId: m.runId })));
  });
}

/** The versions of the site's schedule for the date, oldest first. */
export async function listVersions(db: Db, k: ScheduleKey): Promise<VersionRow[]> {
  await syncVersions(db, k);
  const rows = await db
    .select({
      version: scheduleVersions.version,
      runId: scheduleVersions.runId,
      completedAt: optimizationRuns.completedAt,
      submittedBy: optimizationRuns.submittedBy,
      optimizedCost: optimizationRuns.optimizedCost,
      baselineCost: optimizationRuns.baselineCost,
      peakKw: optimizationRuns.peakKw,
      assignmentsCount: optimizationRuns.assignmentsCount,
      jobsCount: optimizationRuns.jobsCount,
    })
    .from(scheduleVersions)
    .innerJoin(optimizationRuns, eq(optimizationRuns.runId, scheduleVersions.runId))
    .where(keyOf(scheduleVersions, k))
    .orderBy(asc(scheduleVersions.version));
  return rows.map((r) => ({ ...r, completedAt: r.completedAt?.toISOString() ?? null }));
}

/** The version a successful run is of its site's schedule for its date, with that schedule's key; null before the run has a schedule. */
export async function versionOfRun(db: Db, tenantId: string, runId: string): Promise<{ key: ScheduleKey; version: number } | null> {
  const [schedule] = await db
    .select({ siteId: productionSchedules.siteId, scheduleDate: productionSchedules.scheduleDate })
    .from(productionSchedules)
    .where(and(eq(productionSchedules.runId, runId), eq(productionSchedules.tenantId, tenantId)));
  if (!schedule) return null;
  const key = { tenantId, ...schedule };
  const row = (await listVersions(db, key)).find((v) => v.runId === runId);
  return row ? { key, version: row.version } : null;
}

/** Every job of the version's run with where its optimised plan puts it (null: left out). */
export async function loadSnapshot(db: Db | Tx, k: ScheduleKey, version: number): Promise<VersionSnapshot | null> {
  const [row] = await db
    .select({ runId: scheduleVersions.runId, optimizedCost: optimizationRuns.optimizedCost, peakKw: optimizationRuns.peakKw })
    .from(scheduleVersions)
    .innerJoin(optimizationRuns, eq(optimizationRuns.runId, scheduleVersions.runId))
    .where(and(keyOf(scheduleVersions, k), eq(scheduleVersions.version, version)));
  if (!row) return null;
  const jobs = await db
    .select({
      jobId: productionJobs.jobRef,
      equipmentId: optimizedAssignments.equipmentId,
      start: optimizedAssignments.scheduledStart,
      end: optimizedAssignments.scheduledEnd,
    })
    .from(productionSchedules)
    .innerJoin(productionJobs, eq(productionJobs.scheduleId, productionSchedules.scheduleId))
    .leftJoin(optimizedAssignments, and(eq(optimizedAssignments.jobId, productionJobs.jobId), eq(optimizedAssignments.plan, 'optimized')))
    .where(and(eq(productionSchedules.runId, row.runId), eq(productionSchedules.tenantId, k.tenantId)))
    .orderBy(asc(productionJobs.jobRef));
  return {
    version,
    runId: row.runId,
    optimizedCost: row.optimizedCost,
    peakKw: row.peakKw,
    jobs: jobs.map((j) => ({
      jobId: j.jobId,
      placement:
        j.equipmentId && j.start && j.end ? { equipmentId: j.equipmentId, start: j.start.toISOString(), end: j.end.toISOString() } : null,
    })),
  };
}

const APPLICATION_COLUMNS = {
  id: scheduleApplications.id,
  seq: scheduleApplications.seq,
  version: scheduleApplications.version,
  action: scheduleApplications.action,
  restores: scheduleApplications.restores,
  actor: scheduleApplications.actor,
  reason: scheduleApplications.reason,
  appliedAt: scheduleApplications.appliedAt,
};
const applicationOf = (r: Omit<Application, 'appliedAt' | 'action'> & { action: string; appliedAt: Date }): Application => ({
  ...r,
  action: r.action === 'rollback' ? 'rollback' : 'apply',
  appliedAt: r.appliedAt.toISOString(),
});

/** Applies and rollbacks of the site's schedule for the date, newest first (the first is the applied version). */
export async function listApplications(db: Db | Tx, k: ScheduleKey, limit = 50): Promise<Application[]> {
  const rows = await db
    .select(APPLICATION_COLUMNS)
    .from(scheduleApplications)
    .where(keyOf(scheduleApplications, k))
    .orderBy(desc(scheduleApplications.seq))
    .limit(limit);
  return rows.map(applicationOf);
}

const applicationById = async (tx: Tx, id: string) =>
  (await tx.select(APPLICATION_COLUMNS).from(scheduleApplications).where(eq(scheduleApplications.id, id))).map(applicationOf)[0];

export interface ApplyRequest {
  /** The version the caller saw applied (null: none); anything else applied by now is a conflict (E004). */
  baseVersion: number | null;
  actor: string;
  reason?: string;
}

export class VersionNotFound extends Error {}

/**
 * Makes `version` the applied one, or (version undefined) rolls back to the one applied before the
 * current. One transaction with its audit entry; E004 on a stale base, E005 when the version
 * breaks a lock of the site and date.
 */
export async function applyVersion(db: Db, k: ScheduleKey, version: number | 'rollback', req: ApplyRequest): Promise<Application> {
  await syncVersions(db, k);
  return db.transaction(async (tx) => {
    await lockKey(tx, k);
    const [current] = await listApplications(tx, k, 1);
    const currentVersion = current?.version ?? null;
    if (currentVersion !== req.baseVersion) {
      throw new DomainError(
        ErrorCode.VERSION_CONFLICT,
        `version ${currentVersion ?? 'none'} is applied now, not ${req.baseVersion ?? 'none'}`,
        [
          {
            path: 'body.baseVersion',
            message: `is ${req.baseVersion ?? 'null'}, but the applied version is ${currentVersion ?? 'none'}: compare again and retry`,
          },
        ],
      );
    }
    const under = version === 'rollback' ? await rollbackTarget(tx, current) : current;
    const target = version === 'rollback' ? under!.version : version;
    const snapshot = await loadSnapshot(tx, k, target);
    if (!snapshot) throw new VersionNotFound(`no version ${target} of ${k.siteId} on ${k.scheduleDate}`);
    const violations = lockViolations(snapshot.jobs, await listLocks(tx, k));
    if (violations.length) {
      throw new DomainError(
        ErrorCode.RESOURCE_LOCKED,
        `version ${target} breaks ${violations.length} lock(s)`,
        violations.map((v) => ({ path: `locks.${v.lockId}`, message: v.message })),
      );
    }
    const action = version === 'rollback' ? 'rollback' : 'apply';
    const [row] = await tx
      .insert(scheduleApplications)
      .values({
        ...k,
        seq: (current?.seq ?? 0) + 1,
        version: target,
        action,
        restores: version === 'rollback' ? under!.restores : (current?.id ?? null),
        actor: req.actor,
        reason: req.reason,
      })
      .returning(APPLICATION_COLUMNS);
    await recordAudit(tx, {
      tenantId: k.tenantId,
      actor: req.actor,
      action: `schedule.${action}`,
      target: `${k.siteId}/${k.scheduleDate}`,
      details: { version: target, previousVersion: currentVersion, runId: snapshot.runId, reason: req.reason ?? null },
    });
    return applicationOf(row);
  });
}

/** What a rollback returns to: the application under the current one (409 when there is none). */
async function rollbackTarget(tx: Tx, current: Application | undefined): Promise<Application> {
  const under = current?.restores ? await applicationById(tx, current.restores) : undefined;
  if (!under) {
    throw new DomainError(ErrorCode.VERSION_CONFLICT, 'nothing to roll back to', [
      { path: 'body', message: current ? `version ${current.version} is the first one applied` : 'no version has been applied' },
    ]);
  }
  return under;
}

const LOCK_COLUMNS = {
  lockId: scheduleLocks.lockId,
  kind: scheduleLocks.kind,
  jobId: scheduleLocks.jobId,
  equipmentId: scheduleLocks.equipmentId,
  start: scheduleLocks.start,
  end: scheduleLocks.end,
  reason: scheduleLocks.reason,
  createdBy: scheduleLocks.createdBy,
  createdAt: scheduleLocks.createdAt,
};

function lockOf(r: {
  lockId: string;
  kind: string;
  jobId: string | null;
  equipmentId: string;
  start: Date;
  end: Date | null;
  reason: string | null;
  createdBy: string;
  createdAt: Date;
}): StoredLock {
  const common = {
    lockId: r.lockId,
    equipmentId: r.equipmentId,
    start: r.start.toISOString(),
    ...(r.reason !== null && { reason: r.reason }),
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
  };
  return r.kind === 'event' ? { kind: 'event', jobId: r.jobId!, ...common } : { kind: 'resource', end: r.end!.toISOString(), ...common };
}

/** The locks of the site's schedule for the date, oldest first. */
export async function listLocks(db: Db | Tx, k: ScheduleKey): Promise<StoredLock[]> {
  const rows = await db.select(LOCK_COLUMNS).from(scheduleLocks).where(keyOf(scheduleLocks, k)).orderBy(asc(scheduleLocks.createdAt));
  return rows.map(lockOf);
}

/** Stores a lock with its audit entry. */
export async function addLock(db: Db, k: ScheduleKey, lock: LockInput, actor: string): Promise<StoredLock> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(scheduleLocks)
      .values({
        ...k,
        kind: lock.kind,
        jobId: lock.kind === 'event' ? lock.jobId : null,
        equipmentId: lock.equipmentId,
        start: new Date(lock.start),
        end: lock.kind === 'resource' ? new Date(lock.end) : null,
        reason: lock.reason,
        createdBy: actor,
      })
      .returning(LOCK_COLUMNS);
    const stored = lockOf(row);
    await recordAudit(tx, { tenantId: k.tenantId, actor, action: 'lock.add', target: `${k.siteId}/${k.scheduleDate}`, details: stored });
    return stored;
  });
}

/** Removes a lock (false: no such lock on this site and date) with its audit entry. */
export async function removeLock(db: Db, k: ScheduleKey, lockId: string, actor: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const gone = await tx
      .delete(scheduleLocks)
      .where(and(keyOf(scheduleLocks, k), eq(scheduleLocks.lockId, lockId)))
      .returning(LOCK_COLUMNS);
    if (gone.length === 0) return false;
    await recordAudit(tx, {
      tenantId: k.tenantId,
      actor,
      action: 'lock.remove',
      target: `${k.siteId}/${k.scheduleDate}`,
      details: lockOf(gone[0]),
    });
    return true;
  });
}
