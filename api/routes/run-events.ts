import { setTimeout as sleep } from 'node:timers/promises';
import { Router, type RequestHandler, type Response } from 'express';
import type { optimizationRuns } from '../../db/schema.ts';
import type { RunProgress } from '../../workflows/progress.ts';
import { requireRole } from '../auth.ts';
import { rolesFor } from '../permissions.ts';
import type { ApiDeps } from '../server.ts';
import { runView, statusOf, TERMINAL, type ApiStatus } from '../views.ts';
import { idOf, liveProgress, runIdParam, runNotFound, runsOf } from './runs.ts';

/** How often a stream looks at the run, and how often it proves it is alive when nothing changes. */
export interface EventStreamTiming {
  pollMs: number;
  keepAliveMs: number;
}
export const DEFAULT_TIMING: EventStreamTiming = { pollMs: 1_000, keepAliveMs: 15_000 };

/**
 * Where a run is, as a sortable position: status (queued 0, running 1), stage (twice the steps done,
 * plus one while a step runs) and the solver's elapsed time. It only grows while a run goes on, so
 * it is the event id: a client that reconnects with `Last-Event-ID` gets only what is newer.
 */
type RunRow = typeof optimizationRuns.$inferSelect;

export type Position = [status: number, stage: number, solverMs: number];
export const END_ID = 'end';

export function positionOf(status: ApiStatus, progress: RunProgress | null): Position {
  if (!progress) return [status === 'queued' ? 0 : 1, 0, 0];
  const states = Object.values(progress.steps);
  const done = states.filter((s) => s === 'done').length;
  const stage = 2 * done + (states.includes('running') ? 1 : 0);
  return [1, stage, progress.solver?.elapsedMs ?? 0];
}

export const positionId = (p: Position) => p.join('.');

/** A `Last-Event-ID` as a position; anything unreadable counts as "nothing seen yet". */
export function parsePositionId(id: string | undefined): Position | 'end' | null {
  if (id === END_ID) return 'end';
  const parts = /^(\d{1,2})\.(\d{1,4})\.(\d{1,12})$/.exec(id ?? '');
  return parts ? [Number(parts[1]), Number(parts[2]), Number(parts[3])] : null;
}

export function isAfter(a: Position, b: Position | null): boolean {
  if (b === null) return true;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return false;
}

/** What a stream sends: a named event (`event:` line) or, with no name, a plain `message`. */
interface StreamEvent {
  event?: string;
  data: unknown;
}

/** How a stream words a run's progress and its end. */
export interface StreamShape {
  progress(runId: string, status: ApiStatus, progress: RunProgress | null): StreamEvent;
  /** The last event; `res` is the stream's, for reads within the caller's tenant. */
  end(run: RunRow, res: Response): Promise<StreamEvent> | StreamEvent;
}

/** /api/runs/:id/events: `progress` events, then `end` with the run as `GET /api/runs/:id` shows it. */
const RUN_EVENTS: StreamShape = {
  progress: (runId, status, progress) => ({ event: 'progress', data: { runId, status, progress } }),
  end: (run) => ({ event: 'end', data: runView(run, null) }),
};

function sendEvent(res: Response, id: string, { event, data }: StreamEvent): void {
  res.write(`id: ${id}\n${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`);
}

/**
 * GET /api/runs/:id/events: Server-Sent Events. `progress` whenever the run moves (status, steps,
 * solver incumbent, bound and gap), then one `end` with the run as `GET /api/runs/:id` shows it,
 * and the stream closes. Reconnecting with `Last-Event-ID` skips what the client has already seen.
 */
export function eventsHandler(deps: ApiDeps, timing: EventStreamTiming, shape: StreamShape = RUN_EVENTS): RequestHandler {
  return async (req, res) => {
    const runs = runsOf(deps, res);
    const runId = idOf(req);
    let run = await runs.get(runId);
    if (!run) throw runNotFound(runId);
    const seen = parsePositionId(req.header('last-event-id'));
    const closed = new AbortController();
    res.on('close', () => closed.abort());
    res
      .status(200)
      .set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    res.write('retry: 2000\n\n');
    let last = seen === 'end' ? null : seen;
    let quietSince = Date.now();
    try {
      while (!closed.signal.aborted && run) {
        if (TERMINAL.has(run.status)) {
          sendEvent(res, END_ID, await shape.end(run, res));
          break;
        }
        const progress = run.status === 'RUNNING' ? await liveProgress(deps, runId) : null;
        const position = positionOf(statusOf(run), progress);
        if (isAfter(position, last)) {
          sendEvent(res, positionId(position), shape.progress(runId, statusOf(run), progress));
          last = position;
          quietSince = Date.now();
        } else if (Date.now() - quietSince >= timing.keepAliveMs) {
          res.write(': still running\n\n');
          quietSince = Date.now();
        }
        await sleep(timing.pollMs, undefined, { signal: closed.signal }).catch(() => undefined);
        if (!closed.signal.aborted) run = await runs.get(runId);
      }
    } catch {
      // Headers are gone: say it in the stream; the client reconnects with its Last-Event-ID.
      res.write(
        `event: unavailable\ndata: ${JSON.stringify({ code: 'UNAVAILABLE', message: 'the run cannot be read now; reconnect' })}\n\n`,
      );
    }
    res.end();
  };
}

/** /api/runs/:id/events, mounted beside the runs router. */
export function runEventsRouter(deps: ApiDeps, timing: EventStreamTiming = DEFAULT_TIMING): Router {
  const router = Router();
  router.param('id', runIdParam);
  router.get('/:id/events', requireRole(...rolesFor('GET /api/runs/:id/events')), eventsHandler(deps, timing));
  return router;
}
