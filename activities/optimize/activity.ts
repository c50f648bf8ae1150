import { Context } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import type { Db } from '../../db/client.ts';
import { insertAssignments } from '../../db/repositories/assignments.ts';
import { recordRunSolve } from '../../db/repositories/runs.ts';
import type { OptimizeHeartbeat, SolverProgress, StepRef } from '../../domain/pipeline.ts';
import type { OptimizedSchedule } from '../../domain/plan.ts';
import type { PlanningProblem } from '../../domain/problem.ts';
import { loadProblem, type ProblemRefs } from '../problem.ts';
import { runStep } from '../run-step.ts';
import { solveInThread } from './run-in-thread.ts';
import type { SolveProgress } from './solve.ts';

const HEARTBEAT_EVERY_MS = 1_000;
/** How often, at most, the workflow hears of a new incumbent or bound (each signal is a history event). */
const SIGNAL_EVERY_MS = 3_000;

/** Delivers solver progress to the run's workflow (its id is the run id): a Temporal signal from the solver worker. */
export type TellWorkflow = (workflowId: string, progress: SolverProgress) => Promise<void>;

export function optimizeActivities(db: Db, tellWorkflow?: TellWorkflow) {
  return {
    /** Agent 4: solves the MILP in a worker thread, heartbeating progress; a cancelled solve is killed. */
    async optimize({ runId, ...refs }: { runId: string } & ProblemRefs): Promise<StepRef> {
      let solverSeconds = 0;
      return runStep(db, {
        runId,
        step: 'optimize',
        parents: [refs.tariff.hash, refs.equipment.hash],
        load: () => loadProblem(db, runId, refs),
        compute: async (problem) => {
          const started = performance.now();
          const plan = await solveReporting(problem, runId, tellWorkflow);
          solverSeconds = (performance.now() - started) / 1000;
          return plan;
        },
        tenant: (problem) => problem.schedule.tenant,
        record: async (tx, { input: problem, output: plan, hash }) => {
          const tenantId = problem.schedule.tenant;
          await insertAssignments(tx, { runId, tenantId, plan: 'optimized', assignments: plan.assignments, slots: problem.slots, hash });
          await recordRunSolve(tx, runId, plan, solverSeconds);
        },
      });
    },
  };
}

/**
 * Solves in a worker thread while this (free) event loop heartbeats the incumbent plan and tells
 * the workflow of progress. An earlier attempt's heartbeated plan (worker killed, heartbeat lost)
 * is where this one resumes; a cancellation terminates the thread.
 */
async function solveReporting(problem: PlanningProblem, runId: string, tellWorkflow?: TellWorkflow): Promise<OptimizedSchedule> {
  const ctx = Context.current();
  const previous = ctx.info.heartbeatDetails as OptimizeHeartbeat | undefined;
  const reporter = new SolveReporter(ctx, runId, previous?.plan ?? null, tellWorkflow);
  const { solverTimeLimitSeconds, mipGap } = problem.settings;
  try {
    return await solveInThread(
      problem,
      { timeLimitSeconds: solverTimeLimitSeconds, mipGap, resumeFrom: previous?.plan },
      { signal: ctx.cancellationSignal, onProgress: (p) => reporter.update(p) },
    );
  } catch (err) {
    if (ctx.cancellationSignal.aborted) throw new CancelledFailure('optimize cancelled; solver thread terminated');
    throw err;
  } finally {
    reporter.stop();
  }
}

/** Heartbeats the latest solver state every second and signals news of it to the workflow every few. */
class SolveReporter {
  private readonly started = performance.now();
  private latest: OptimizeHeartbeat;
  private told = '';
  private readonly timers: NodeJS.Timeout[];

  constructor(
    private readonly ctx: Context,
    private readonly runId: string,
    previousPlan: number[] | null,
    private readonly tellWorkflow?: TellWorkflow,
  ) {
    this.latest = { phase: 'building', elapsedMs: 0, incumbent: null, bound: null, gap: null, plan: previousPlan };
    this.timers = [setInterval(() => this.beat(), HEARTBEAT_EVERY_MS), setInterval(() => this.tell(), SIGNAL_EVERY_MS)];
  }

  update(p: SolveProgress): void {
    const { incumbent = null, bound = null, gap = null } = p;
    this.latest = { phase: 'solving', elapsedMs: p.elapsedMs, incumbent, bound, gap, plan: p.plan ?? this.latest.plan };
  }

  stop(): void {
    this.timers.forEach(clearInterval);
  }

  private elapsedMs(): number {
    return Math.round(performance.now() - this.started);
  }

  private beat(): void {
    this.ctx.heartbeat({ ...this.latest, elapsedMs: this.elapsedMs() });
  }

  private tell(): void {
    const { incumbent, bound, gap, phase } = this.latest;
    const news = JSON.stringify([incumbent, bound]);
    if (!this.tellWorkflow || phase !== 'solving' || news === this.told) return;
    this.told = news;
    this.tellWorkflow(this.runId, { elapsedMs: this.elapsedMs(), incumbent, bound, gap }).catch((err: unknown) =>
      this.ctx.log.warn('could not tell the workflow the solver progress', { error: String(err) }),
    );
  }
}
