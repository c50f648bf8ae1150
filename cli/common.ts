/** What the CLI verbs share: output, the stack's Temporal client, signals, workers' logs. */
import { Client, Connection } from '@temporalio/client';
import type { Stack } from '../infra/stack.ts';

export const say = (msg: string) => process.stdout.write(`${msg}\n`);
export const note = (msg: string) => process.stderr.write(`· ${msg}\n`);

export async function connectClient(stack: Stack) {
  const connection = await Connection.connect({ address: stack.temporalAddress });
  return { connection, client: new Client({ connection, namespace: stack.namespace }) };
}

/**
 * Resolves on the first SIGINT, SIGTERM or SIGHUP. Later ones are noted, not obeyed, so that the
 * stop they interrupt still stops everything this process started.
 */
export function interruption() {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  let received: NodeJS.Signals | undefined;
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) return note(`${signal}: still stopping what was started…`);
    received = signal;
    resolve();
  };
  for (const s of signals) process.on(s, onSignal);
  return {
    promise,
    received: () => received,
    dispose: () => signals.forEach((s) => process.off(s, onSignal)),
  };
}

/** Workers' log lines on stderr: all of them for `serve`, warnings and errors (and anything not JSON, a crash) for `run`. */
export function forwardWorkerLogs(minLevel: number) {
  return (line: string) => {
    const level = /"level":(\d+)/.exec(line);
    if (!level || Number(level[1]) >= minLevel) process.stderr.write(`${line}\n`);
  };
}
