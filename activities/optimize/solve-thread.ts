import { parentPort, workerData } from 'node:worker_threads';
import { DomainError } from '../../domain/errors.ts';
import type { PlanningProblem } from '../../domain/problem.ts';
import { solvePlan, type SolveOptions } from './solve.ts';
import type { ThreadMessage } from './run-in-thread.ts';

// Runs inside the solver thread started by run-in-thread.ts.
const { problem, options } = workerData as { problem: PlanningProblem; options: SolveOptions };
const post = (message: ThreadMessage) => parentPort!.postMessage(message);

try {
  const plan = await solvePlan(problem, options, (progress) => post({ type: 'progress', progress }));
  post({ type: 'result', plan });
} catch (err) {
  const error = err instanceof Error ? err : new Error(String(err));
  post({
    type: 'error',
    error: {
      name: error.name,
      message: error instanceof DomainError ? error.summary : error.message,
      code: error instanceof DomainError ? error.code : undefined,
      problems: error instanceof DomainError ? error.problems : undefined,
    },
  });
}
