import { spawnWorker, type WorkerKind, type WorkerProcess } from './worker-process.ts';

export interface SupervisedWorker {
  kind: WorkerKind;
  /** The process serving now (a new one after each restart). */
  current(): WorkerProcess;
  restarts(): number;
  /** Stops supervising, then stops the process gracefully (it drains). */
  stop(): Promise<void>;
}

const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;
/** A worker that ran this long before it died is restarted after the first delay again. */
const HEALTHY_AFTER_MS = 60_000;

/**
 * Runs a worker process and starts it again whenever it exits without being asked to (a crash, an
 * OOM kill, a kill -9), after 1 s doubling to 30 s; its log lines come through `log` with its name.
 */
export async function superviseWorker(
  kind: WorkerKind,
  env: NodeJS.ProcessEnv,
  opts: { args?: string[]; log: (line: string) => void; onStart?: (pid: number) => void },
): Promise<SupervisedWorker> {
  const start = async () => {
    const worker = await spawnWorker(kind, env, { args: opts.args, onLog: (line) => opts.log(`[${kind}] ${line}`) });
    opts.onStart?.(worker.child.pid!);
    return worker;
  };
  let worker = await start();
  let stopping = false;
  let restarts = 0;
  let delayMs = FIRST_DELAY_MS;
  let wake: (() => void) | undefined;
  const watch = async (): Promise<void> => {
    while (!stopping) {
      const startedAt = Date.now();
      const { code, signal } = await exitOf(worker);
      if (stopping) return;
      if (Date.now() - startedAt > HEALTHY_AFTER_MS) delayMs = FIRST_DELAY_MS;
      opts.log(`[${kind}] worker exited (${signal ?? `code ${code}`}); restarting in ${delayMs / 1000} s`);
      for (;;) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, delayMs);
        });
        delayMs = Math.min(delayMs * 2, MAX_DELAY_MS);
        if (stopping) return;
        try {
          worker = await start();
          restarts++;
          opts.log(`[${kind}] worker restarted (pid ${worker.child.pid})`);
          break;
        } catch (err) {
          opts.log(
            `[${kind}] worker failed to start (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); retrying in ${delayMs / 1000} s`,
          );
        }
      }
    }
  };
  const watching = watch();
  return {
    kind,
    current: () => worker,
    restarts: () => restarts,
    async stop() {
      stopping = true;
      wake?.();
      await worker.stop();
      await watching;
      // A restart that was under way when the stop came has finished by now: stop that one too.
      await worker.stop();
    },
  };
}

function exitOf(worker: WorkerProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const { child } = worker;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}
