import { Worker } from 'node:worker_threads';
import { DomainError, type ErrorCode, type FieldProblem } from '../../domain/errors.ts';
import type { OptimizedSchedule } from '../../domain/plan.ts';
import type { PlanningProblem } from '../../domain/problem.ts';
import type { SolveOptions, SolveProgress } from './solve.ts';

export type ThreadMessage =
  | { type: 'progress'; progress: SolveProgress }
  | { type: 'result'; plan: OptimizedSchedule }
  | { type: 'error'; error: { name: string; message: string; code?: ErrorCode; problems?: FieldProblem[] } };

const BOOTSTRAP = new URL('./thread-bootstrap.mjs', import.meta.url);
const ENTRY = new URL('./solve-thread.ts', import.meta.url).href;

/**
 * Solves in a worker thread so the caller's event loop stays free for heartbeats; aborting
 * `signal` terminates the thread, which stops HiGHS at once.
 */
export function solveInThread(
  problem: PlanningProblem,
  options: SolveOptions,
  { signal, onProgress }: { signal?: AbortSignal; onProgress?: (p: SolveProgress) => void } = {},
): Promise<OptimizedSchedule> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('solve aborted before it started', { cause: signal.reason }));
    const worker = new Worker(BOOTSTRAP, { workerData: { entry: ENTRY, problem, options } });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    const onAbort = () => settle(() => reject(new Error('solve aborted; solver thread terminated', { cause: signal?.reason })));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: ThreadMessage) => {
      if (message.type === 'progress') onProgress?.(message.progress);
      else if (message.type === 'result') settle(() => resolve(message.plan));
      else settle(() => reject(rebuildError(message.error)));
    });
    worker.on('error', (err) => settle(() => reject(err)));
    worker.on('exit', (code) => settle(() => reject(new Error(`solver thread exited with code ${code} before answering`))));
  });
}

function rebuildError(error: Extract<ThreadMessage, { type: 'error' }>['error']): Error {
  if (error.code) return new DomainError(error.code, error.message, error.problems ?? []);
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  return rebuilt;
}
