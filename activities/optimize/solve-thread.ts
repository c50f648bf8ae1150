import { parentPort, workerData } from 'node:worker_threads';
import type { PlanningProblem } from '../../domain/problem.ts';
import { solvePlan, type SolveOptions } from './solve.ts';
import { serializeError, type ThreadMessage } from './run-in-thread.ts';

// Runs inside the solver thread started by run-in-thread.ts.
const { problem, options } = workerData as { problem: PlanningProblem; options: SolveOptions };
const post = (message: ThreadMessage) => parentPort!.postMessage(message);

try {
  const plan = await solvePlan(problem, options, (progress) => post({ type: 'progress', progress }));
  post({ type: 'result', plan });
} catch (err) {
  post({ type: 'error', error: serializeError(err) });
}
