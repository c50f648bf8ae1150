/* eslint-disable max-lines-per-function -- to become a thin adapter over the solve (issue 10, part 3) */
import { Context } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { optimizationRuns } from '../../db/schema.ts';
import type { OptimizeHeartbeat, SolverProgress, StepRef } from '../../domain/pipeline.ts';
import { insertAssignments } from '../assignments.ts';
import { withDomainFailures } from '../failures.ts';
import { loadProblem, type ProblemRefs } from '../problem.ts';
import { findStep, recordStep } from '../steps.ts';
import { solveInThread } from './run-in-thread.ts';

const HEARTBEAT_EVERY_MS = 1_000;
/** How often, at most, the workflow hears of a new incumbent or bound (each signal is a history event). */
const SIGNAL_EVERY_MS = 3_000;

/** Delivers solver progress to the run's workflow (its id is the run id): a Temporal signal from the solver worker. */
export type TellWorkflow = (workflowId: string, progress: SolverProgress) => Promise<void>;

export function optimizeActivities(db: Db, tellWorkflow?: TellWorkflow) {
  return {
    /** Agent 4: solves the MILP in a worker thread, heartbeating progress; a cancelled solve is killed. */
    async optimize({ runId, ...refs }: { runId: string } & ProblemRefs): Promise<StepRef> {
      return withDomainFailures(async () => {
        const done = await findStep(db, runId, 'optimize');
        if (done) return done;
        const ctx = Context.current();
        const problem = await loadProblem(db, runId, refs);
        const started = performance.now();
        // An earlier attempt (worker killed, heartbeat lost) may have left its incumbent plan.
        const previous = ctx.info.heartbeatDetails as OptimizeHeartbeat | undefined;
        let latest: OptimizeHeartbeat = {
          phase: 'building',
          elapsedMs: 0,
          incumbent: null,
          bound: null,
          gap: null,
          plan: previous?.plan ?? null,
        };
        // Heartbeats come from this (free) event loop while the thread solves.
        const beat = setInterval(
          () => ctx.heartbeat({ ...latest, elapsedMs: Math.round(performance.now() - started) }),
          HEARTBEAT_EVERY_MS,
        );
        let told = '';
        const tell = setInterval(() => {
          const progress: SolverProgress = {
            elapsedMs: Math.round(performance.now() - started),
            incumbent: latest.incumbent,
            bound: latest.bound,
            gap: latest.gap,
          };
          const news = JSON.stringify([progress.incumbent, progress.bound]);
          if (!tellWorkflow || latest.phase !== 'solving' || news === told) return;
          told = news;
          tellWorkflow(runId, progress).catch((err: unknown) =>
            ctx.log.warn('could not tell the workflow the solver progress', { error: String(err) }),
          );
        }, SIGNAL_EVERY_MS);
        let plan;
        try {
          plan = await solveInThread(
            problem,
            { timeLimitSeconds: problem.settings.solverTimeLimitSeconds, mipGap: problem.settings.mipGap, resumeFrom: previous?.plan },
            {
              signal: ctx.cancellationSignal,
              onProgress: (p) => {
                latest = {
                  phase: 'solving',
                  elapsedMs: p.elapsedMs,
                  incumbent: p.incumbent ?? null,
                  bound: p.bound ?? null,
                  gap: p.gap ?? null,
                  plan: p.plan ?? latest.plan,
                };
              },
            },
          );
        } catch (err) {
          if (ctx.cancellationSignal.aborted) throw new CancelledFailure('optimize cancelled; solver thread terminated');
          throw err;
        } finally {
          clearInterval(beat);
          clearInterval(tell);
        }
        const solverSeconds = (performance.now() - started) / 1000;
        const tenantId = problem.schedule.tenant;
        return recordStep(
          db,
          { runId, tenantId, step: 'optimize', parents: [refs.tariff.hash, refs.equipment.hash], output: plan },
          async (tx, hash) => {
            await insertAssignments(tx, { runId, tenantId, plan: 'optimized', assignments: plan.assignments, slots: problem.slots, hash });
            await tx
              .update(optimizationRuns)
              .set({
                solverType: 'highs',
                solverStatus: plan.solver.status,
                solverTimeSeconds: solverSeconds,
                objectiveValue: plan.solver.objective,
                mipGap: plan.solver.gap,
                assignmentsCount: plan.assignments.length,
                peakKw: plan.peakKw,
              })
              .where(eq(optimizationRuns.runId, runId));
          },
        );
      });
    },
  };
}
