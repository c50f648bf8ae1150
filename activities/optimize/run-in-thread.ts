import { Worker } from 'node:worker_threads';
import { DomainError, type ErrorCode, type FieldProblem } from '../../domain/errors.ts';
import type { OptimizedSchedule } from '../../domain/plan.ts';
import type { PlanningProblem } from '../../domain/problem.ts';
import { SolverCrashedError, type SolveOptions, type SolveProgress } from './solve.ts';

/** An error as it crosses from the solver thread: enough to rebuild it with its class, and so its retryability. */
export interface ThreadError {
  name: string;
  message: string;
  stack?: string;
  /** A DomainError's code (not retried) and its field problems. */
  code?: ErrorCode;
  problems?: FieldProblem[];
}

export type ThreadMessage =
  { type: 'progress'; progress: SolveProgress } | { type: 'result'; plan: OptimizedSchedule } | { type: 'error'; error: ThreadError };

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

/** What the solver thread posts for an error it caught (see `rebuildError`). */
export function serializeError(err: unknown): ThreadError {
  const error = err instanceof Error ? err : new Error(String(err));
  if (error instanceof DomainError) {
    return { name: error.name, message: error.summary, stack: error.stack, code: error.code, problems: error.problems };
  }
  return { name: error.name, message: error.message, stack: error.stack };
}

/** Classes an error from the thread is rebuilt as, by name; any other keeps its name on a plain Error. */
const ERROR_CLASSES: Record<string, new (message: string) => Error> = {
  [new SolverCrashedError('').name]: SolverCrashedError,
  TypeError,
  RangeError,
  ReferenceError,
  SyntaxError,
};

/** The thread's error as the same class on this side: a DomainError stays non-retryable, anything else retryable. */
export function rebuildError(error: ThreadError): Error {
  const rebuilt = error.code
    ? new DomainError(error.code, error.message, error.problems ?? [])
    : new (ERROR_CLASSES[error.name] ?? Error)(error.message);
  rebuilt.name = error.name;
  if (error.stack) rebuilt.stack = error.stack;
  return rebuilt;
}
