import { ScheduleNotFoundError, ScheduleOverlapPolicy, type ScheduleDescription, type ScheduleHandle } from '@temporalio/client';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { recordAudit } from '../../db/repositories/audit.ts';
import { principalOf, requireRole, tenantInScope } from '../auth.ts';
import { jsonBody, jsonBodyOf, parsePart } from '../body.ts';
import type { ApiOptions } from '../config.ts';
import { notFound } from '../errors.ts';
import { rolesFor } from '../permissions.ts';
import type { ApiDeps } from '../server.ts';

/** The workflows a pull Schedule starts (see activities/schedules.ts `pullMemo`). */
export const PULL_WORKFLOWS = ['erpPull', 'equipmentStatusPull', 'tariffPull'] as const;
const PullMemoSchema = z.object({ pull: z.enum(PULL_WORKFLOWS), tenant: z.string(), site: z.string() });

const ScheduleIdSchema = z.string().regex(/^heatscheduler-[A-Za-z0-9._:-]{1,180}$/, 'must be a pull Schedule id (heatscheduler-…)');
export const NoteSchema = z.object({ note: z.string().trim().min(1).max(500).optional() }).strict();
/** At most a month of missed pulls at once: a 15-minute pull backfilled over a month is ~3,000 runs. */
const MAX_BACKFILL_DAYS = 31;
export const BackfillSchema = z
  .object({
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
  })
  .strict()
  .superRefine(({ from, to }, ctx) => {
    const span = Date.parse(to) - Date.parse(from);
    if (span <= 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    else if (span > MAX_BACKFILL_DAYS * 86_400_000)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `at most ${MAX_BACKFILL_DAYS} days after from` });
  });

/** What the API shows of a pull Schedule (for the OpenAPI description; `pullView` builds it). */
export const PullListSchema = z.object({
  items: z.array(
    z.object({
      scheduleId: z.string(),
      pull: z.enum(PULL_WORKFLOWS),
      site: z.string(),
      paused: z.boolean(),
      note: z.string().nullable(),
      everyMs: z.array(z.number()),
      calendars: z.array(z.looseObject({})),
      nextRuns: z.array(z.string()),
      running: z.array(z.string()),
      recent: z.array(z.object({ scheduledAt: z.string(), takenAt: z.string(), workflowId: z.string() })),
    }),
  ),
});

/** What the API shows of a pull Schedule. */
export function pullView(
  scheduleId: string,
  memo: z.infer<typeof PullMemoSchema>,
  d: ScheduleDescription,
): z.infer<typeof PullListSchema>['items'][number] {
  const spec = d.spec;
  return {
    scheduleId,
    pull: memo.pull,
    site: memo.site,
    paused: d.state.paused,
    note: d.state.note || null,
    /** Interval pulls (ERP, equipment status) give `every` in ms; cron pulls (tariffs) their calendars. */
    everyMs: spec.intervals?.map((i) => Number(i.every)) ?? [],
    calendars: (spec.calendars ?? []).map((c) => ({ ...c })),
    nextRuns: d.info.nextActionTimes.slice(0, 3).map((t) => t.toISOString()),
    running: d.info.runningActions.map((a) => a.workflow.workflowId),
    recent: d.info.recentActions.slice(-5).map((a) => ({
      scheduledAt: a.scheduledAt.toISOString(),
      takenAt: a.takenAt.toISOString(),
      workflowId: a.action.workflow.workflowId,
    })),
  };
}

const memoOf = (memo: Record<string, unknown> | undefined) => PullMemoSchema.safeParse(memo ?? {});

/**
 * /api/pulls: the Temporal Schedules of the tenant's data pulls (ERP orders, equipment status,
 * tariffs): list, pause and resume, trigger now, backfill a window. Another tenant's Schedule
 * answers 404; every change is audited.
 */
export function pullsRouter(deps: ApiDeps, options: ApiOptions): Router {
  const router = Router();
  router.get('/', requireRole(...rolesFor('GET /api/pulls')), async (req, res) => {
    const tenant = tenantInScope(req, res);
    const items = [];
    for await (const summary of deps.client.schedule.list()) {
      const memo = memoOf(summary.memo);
      if (!memo.success || memo.data.tenant !== tenant) continue;
      const described = await deps.client.schedule.getHandle(summary.scheduleId).describe();
      items.push(pullView(summary.scheduleId, memo.data, described));
    }
    items.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
    res.json({ items });
  });

  const change = (
    route: 'pause' | 'unpause' | 'trigger' | 'backfill',
    act: (handle: ScheduleHandle, body: unknown) => Promise<Record<string, unknown>>,
  ) =>
    router.post(
      `/:scheduleId/${route}`,
      requireRole(...rolesFor(`POST /api/pulls/:scheduleId/${route}`)),
      ...jsonBody(options.bodyLimitBytes),
      async (req, res) => {
        const { handle, scheduleId, tenant, memo } = await ownedSchedule(deps, req, res);
        const details = await act(handle, jsonBodyOf(res).value);
        await recordAudit(deps.db, {
          tenantId: tenant,
          actor: principalOf(res).subject,
          action: `pull.${route}`,
          target: scheduleId,
          details,
        });
        res.json(pullView(scheduleId, memo, await handle.describe()));
      },
    );

  change('pause', async (handle, body) => {
    const { note } = parsePart(NoteSchema, body, 'body');
    await handle.pause(note ?? 'paused through the API');
    return { note: note ?? null };
  });
  change('unpause', async (handle, body) => {
    const { note } = parsePart(NoteSchema, body, 'body');
    await handle.unpause(note ?? 'resumed through the API');
    return { note: note ?? null };
  });
  change('trigger', async (handle, body) => {
    parsePart(z.object({}).strict(), body, 'body');
    // A pull already running is not doubled (the Schedule's own overlap policy).
    await handle.trigger();
    return {};
  });
  change('backfill', async (handle, body) => {
    const { from, to } = parsePart(BackfillSchema, body, 'body');
    // The missed pulls one after another, never at once.
    await handle.backfill({ start: new Date(from), end: new Date(to), overlap: ScheduleOverlapPolicy.BUFFER_ALL });
    return { from, to };
  });
  return router;
}

/** The Schedule named in the path, if it is one of the caller's tenant's pulls (else 404, as if it did not exist). */
async function ownedSchedule(deps: ApiDeps, req: Request, res: Response) {
  const tenant = tenantInScope(req, res);
  const scheduleId = parsePart(ScheduleIdSchema, req.params.scheduleId, 'params.scheduleId');
  const handle = deps.client.schedule.getHandle(scheduleId);
  const missing = () => notFound(`no pull Schedule ${scheduleId} for tenant ${tenant}`, 'params.scheduleId');
  let description: ScheduleDescription;
  try {
    description = await handle.describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) throw missing();
    throw err;
  }
  const memo = memoOf(description.memo);
  if (!memo.success || memo.data.tenant !== tenant) throw missing();
  return { handle, scheduleId, tenant, memo: memo.data };
}
