import { z } from 'zod';
import { clipUnavailability, type Equipment } from './equipment.ts';
import type { FieldProblem } from './errors.ts';

/** Where a version puts a job: a heater and a start and end instant (UTC ISO). */
export const PlacementSchema = z.object({ equipmentId: z.string(), start: z.string(), end: z.string() });
export type Placement = z.infer<typeof PlacementSchema>;

/** One version of a site's schedule for a date: every job of its run, placed or not, with the plan's cost and peak. */
export const VersionSnapshotSchema = z.object({
  version: z.number().int().positive(),
  runId: z.uuid(),
  jobs: z.array(z.object({ jobId: z.string(), placement: PlacementSchema.nullable() })),
  optimizedCost: z.number().nullable(),
  peakKw: z.number().nullable(),
});
export type VersionSnapshot = z.infer<typeof VersionSnapshotSchema>;

const INSTANT = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with offset or Z' });
const utc = (text: string) => new Date(text).toISOString();

/** A lock as a client sets it: a job pinned to a heater and start, or a heater kept free for an interval. */
export const LockInputSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('event'),
      jobId: z.string().trim().min(1).max(64),
      equipmentId: z.string().trim().min(1).max(50),
      start: INSTANT.transform(utc),
      reason: z.string().max(500).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('resource'),
      equipmentId: z.string().trim().min(1).max(50),
      start: INSTANT.transform(utc),
      end: INSTANT.transform(utc),
      reason: z.string().max(500).optional(),
    })
    .strict()
    .refine((l) => Date.parse(l.end) > Date.parse(l.start), { path: ['end'], message: 'must be after start' }),
]);
export type LockInput = z.infer<typeof LockInputSchema>;
export type ScheduleLock = LockInput & { lockId: string };
/** A stored lock as the API answers it. */
export const StoredLockSchema = z.intersection(
  LockInputSchema,
  z.object({ lockId: z.uuid(), createdBy: z.string(), createdAt: z.string() }),
);
export type StoredLock = z.infer<typeof StoredLockSchema>;

/** A version as listed: its run and the figures the run stored. */
export const VersionRowSchema = z.object({
  version: z.number().int(),
  runId: z.uuid(),
  completedAt: z.string().nullable(),
  submittedBy: z.string().nullable(),
  optimizedCost: z.number().nullable(),
  baselineCost: z.number().nullable(),
  peakKw: z.number().nullable(),
  assignmentsCount: z.number().int().nullable(),
  jobsCount: z.number().int().nullable(),
});
export type VersionRow = z.infer<typeof VersionRowSchema>;

/** One apply or rollback; the newest is the applied version. */
export const ApplicationSchema = z.object({
  id: z.uuid(),
  seq: z.number().int(),
  version: z.number().int(),
  action: z.enum(['apply', 'rollback']),
  /** The application this one sits on (what a rollback from it returns to). */
  restores: z.uuid().nullable(),
  actor: z.string(),
  reason: z.string().nullable(),
  appliedAt: z.string(),
});
export type Application = z.infer<typeof ApplicationSchema>;

export const JOB_CHANGES = ['unchanged', 'moved', 'added', 'removed', 'unscheduled', 'scheduled'] as const;
export type JobChange = (typeof JOB_CHANGES)[number];

export const JobDiffSchema = z.object({
  jobId: z.string(),
  change: z.enum(JOB_CHANGES),
  from: PlacementSchema.nullable(),
  to: PlacementSchema.nullable(),
  heaterChanged: z.boolean(),
  /** Minutes the start (end) moved, later positive; null unless placed in both. */
  startShiftMinutes: z.number().int().nullable(),
  endShiftMinutes: z.number().int().nullable(),
});
export type JobDiff = z.infer<typeof JobDiffSchema>;

export const VersionDiffSchema = z.object({
  from: z.number().int(),
  to: z.number().int(),
  jobs: z.array(JobDiffSchema),
  counts: z.record(z.enum(JOB_CHANGES), z.number().int()),
  /** `to` minus `from`; null when either lacks the figure. */
  costDelta: z.number().nullable(),
  peakDeltaKw: z.number().nullable(),
});
export type VersionDiff = z.infer<typeof VersionDiffSchema>;

const minutesBetween = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 60_000);
const delta = (a: number | null, b: number | null, places: number) => (a === null || b === null ? null : Number((b - a).toFixed(places)));

function changeOf(inFrom: boolean, inTo: boolean, from: Placement | null, to: Placement | null): JobChange {
  if (!inFrom) return 'added';
  if (!inTo) return 'removed';
  if (from && !to) return 'unscheduled';
  if (!from && to) return 'scheduled';
  if (!from || !to) return 'unchanged';
  return from.equipmentId === to.equipmentId &&
    Date.parse(from.start) === Date.parse(to.start) &&
    Date.parse(from.end) === Date.parse(to.end)
    ? 'unchanged'
    : 'moved';
}

/** Job by job, what changes from version `a` to version `b`, and the cost and peak deltas. */
export function diffVersions(a: VersionSnapshot, b: VersionSnapshot): VersionDiff {
  const before = new Map(a.jobs.map((j) => [j.jobId, j.placement]));
  const after = new Map(b.jobs.map((j) => [j.jobId, j.placement]));
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort();
  const counts: Record<JobChange, number> = { unchanged: 0, moved: 0, added: 0, removed: 0, unscheduled: 0, scheduled: 0 };
  const jobs = ids.map((jobId): JobDiff => {
    const from = before.get(jobId) ?? null;
    const to = after.get(jobId) ?? null;
    const change = changeOf(before.has(jobId), after.has(jobId), from, to);
    counts[change]++;
    const both = from && to;
    return {
      jobId,
      change,
      from,
      to,
      heaterChanged: Boolean(both && from.equipmentId !== to.equipmentId),
      startShiftMinutes: both ? minutesBetween(from.start, to.start) : null,
      endShiftMinutes: both ? minutesBetween(from.end, to.end) : null,
    };
  });
  return {
    from: a.version,
    to: b.version,
    jobs,
    counts,
    costDelta: delta(a.optimizedCost, b.optimizedCost, 4),
    peakDeltaKw: delta(a.peakKw, b.peakKw, 3),
  };
}

/** A lock a plan breaks, and how. */
export interface LockViolation {
  lockId: string;
  jobId: string;
  message: string;
}

const hhmm = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')}Z`;
export const describeLock = (lock: ScheduleLock) =>
  lock.kind === 'event'
    ? `lock ${lock.lockId}: job ${lock.jobId} on ${lock.equipmentId} at ${hhmm(lock.start)}`
    : `lock ${lock.lockId}: ${lock.equipmentId} from ${hhmm(lock.start)} to ${hhmm(lock.end)}`;

const pinnedBy = (lock: Extract<ScheduleLock, { kind: 'event' }>, p: Placement | null) =>
  p !== null && p.equipmentId === lock.equipmentId && Date.parse(p.start) === Date.parse(lock.start);

/**
 * The locks a set of placements breaks: an event lock whose job is elsewhere or unplaced (a job
 * the plan does not have is not broken), and a resource interval any job overlaps on its heater.
 */
export function lockViolations(jobs: VersionSnapshot['jobs'], locks: ScheduleLock[]): LockViolation[] {
  const placed = new Map(jobs.map((j) => [j.jobId, j.placement]));
  const events = locks.filter((l) => l.kind === 'event');
  const out: LockViolation[] = [];
  for (const lock of events) {
    if (!placed.has(lock.jobId) || pinnedBy(lock, placed.get(lock.jobId)!)) continue;
    const p = placed.get(lock.jobId)!;
    const where = p ? `${p.equipmentId} at ${hhmm(p.start)}` : 'nowhere (unscheduled)';
    out.push({ lockId: lock.lockId, jobId: lock.jobId, message: `${describeLock(lock)}; the plan puts it on ${where}` });
  }
  for (const lock of locks) {
    if (lock.kind !== 'resource') continue;
    for (const { jobId, placement: p } of jobs) {
      if (!p || p.equipmentId !== lock.equipmentId) continue;
      if (Date.parse(p.start) >= Date.parse(lock.end) || Date.parse(p.end) <= Date.parse(lock.start)) continue;
      out.push({ lockId: lock.lockId, jobId, message: `${describeLock(lock)}; job ${jobId} runs there ${hhmm(p.start)}-${hhmm(p.end)}` });
    }
  }
  return out;
}

/** A request's job as far as locks care: its id and its own pin, if any (start in UTC). */
export interface LockableJob {
  id: string;
  lock?: { equipmentId: string; start: string };
}

/**
 * What a submitted request must satisfy for the site's locks, before it runs: every event-locked
 * job it has carries that same pin (else the solver could move it), and no job pins itself into a
 * locked resource interval. Paths name the job in the request.
 */
export function requestLockProblems(jobs: LockableJob[], locks: ScheduleLock[], pathPrefix: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  jobs.forEach((job, i) => {
    for (const lock of locks) {
      if (lock.kind === 'event' && lock.jobId === job.id) {
        const same = job.lock && job.lock.equipmentId === lock.equipmentId && Date.parse(job.lock.start) === Date.parse(lock.start);
        if (!same) {
          problems.push({
            path: `${pathPrefix}[${i}].lock`,
            message: `${describeLock(lock)}: give the job lock { equipmentId: ${lock.equipmentId}, start: ${lock.start} } or remove the lock`,
          });
        }
      }
      if (lock.kind === 'resource' && job.lock?.equipmentId === lock.equipmentId) {
        const t = Date.parse(job.lock.start);
        if (t >= Date.parse(lock.start) && t < Date.parse(lock.end)) {
          problems.push({
            path: `${pathPrefix}[${i}].lock`,
            message: `${describeLock(lock)}: the job is pinned inside the locked interval`,
          });
        }
      }
    }
  });
  return problems;
}

/**
 * A run's heaters with the site's resource locks as unavailability (reason `locked`, the lock
 * named in the notes), clipped to the horizon: the solver keeps every job out of them as it does
 * for maintenance, with no change to the model.
 */
export function withResourceLocks(
  equipment: Equipment[],
  locks: ScheduleLock[],
  horizon: { startUtc: string; endUtc: string },
): Equipment[] {
  return equipment.map((heater) => {
    const mine = locks.filter((l) => l.kind === 'resource' && l.equipmentId === heater.id);
    if (mine.length === 0) return heater;
    const windows = mine.map((l) => ({
      start: l.start,
      end: (l as Extract<ScheduleLock, { kind: 'resource' }>).end,
      reason: 'locked' as const,
      notes: describeLock(l) + (l.reason ? ` (${l.reason})` : ''),
    }));
    return clipUnavailability({ ...heater, unavailability: [...heater.unavailability, ...windows] }, horizon.startUtc, horizon.endUtc);
  });
}
