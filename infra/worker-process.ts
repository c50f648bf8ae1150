import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readEnv } from './config.ts';

export type WorkerKind = 'pipeline' | 'solver';

export interface WorkerProcess {
  kind: WorkerKind;
  child: ChildProcess;
  /** SIGTERM, then wait for a graceful exit (SIGKILL after `graceMs`, by default the drain time plus 15 s). */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL: what a crash or an OOM kill looks like to Temporal. */
  kill(): Promise<void>;
}

const CLI = fileURLToPath(new URL('../cli/heatscheduler.ts', import.meta.url));

/**
 * Starts `heatscheduler worker <kind> [args]` as its own Node process (the same verb a production
 * machine runs) and resolves once it reports ready.
 */
export function spawnWorker(
  kind: WorkerKind,
  env: NodeJS.ProcessEnv,
  opts: { args?: string[]; readyTimeoutMs?: number; onLog?: (line: string) => void } = {},
): Promise<WorkerProcess> {
  const argv = ['--import', 'tsx', CLI, 'worker', kind, ...(opts.args ?? [])];
  // Its own process group: a Ctrl+C meant for the parent reaches the worker only through the parent's orderly stop.
  const child = spawn(process.execPath, argv, { env, detached: true, stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const handle: WorkerProcess = {
    kind,
    child,
    async stop(graceMs = (readEnv(env).HEATSCHEDULER_DRAIN_SECONDS + 15) * 1000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
  return new Promise((resolve, reject) => {
    let tail = '';
    let ready = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${kind} worker did not become ready in time:\n${tail.slice(-4000)}`));
    }, opts.readyTimeoutMs ?? 90_000);
    child.stderr!.setEncoding('utf8');
    let buffered = '';
    child.stderr!.on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        opts.onLog?.(line);
        if (!ready) tail = (tail + line + '\n').slice(-8000);
      }
    });
    child.on('message', (message: { ready?: WorkerKind }) => {
      if (ready || message.ready !== kind) return;
      ready = true;
      clearTimeout(timer);
      resolve(handle);
    });
    child.once('exit', (code, signal) => {
      if (ready) return;
      clearTimeout(timer);
      reject(new Error(`${kind} worker exited (${signal ?? code}) before it was ready:\n${tail.slice(-4000)}`));
    });
  });
}
