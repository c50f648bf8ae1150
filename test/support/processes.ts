import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/heatscheduler.mjs', import.meta.url));

export interface CliProcess {
  child: ChildProcess;
  /** Every line written so far, stdout and stderr together. */
  lines: string[];
  /** Resolves with the first line (already written or to come) that matches. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL if still running (for test clean-up). */
  kill(): Promise<void>;
}

/** Runs `heatscheduler <args>` as its own process, the way `npx heatscheduler` does. */
export function startCli(args: string[], env: NodeJS.ProcessEnv): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const onLine = (line: string) => {
    lines.push(line);
    for (const w of [...waiters]) {
      if (w.pattern.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  for (const stream of [child.stdout!, child.stderr!]) {
    let buffered = '';
    stream.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        onLine(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
      }
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    lines,
    exited,
    waitForLine(pattern, timeoutMs = 90_000) {
      const seen = lines.find((l) => pattern.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; last lines:\n${lines.slice(-30).join('\n')}`));
        }, timeoutMs);
        const waiter = {
          pattern,
          resolve: (line: string) => {
            clearTimeout(timer);
            resolve(line);
          },
        };
        waiters.push(waiter);
        void exited.then(({ code, signal }) => {
          if (!waiters.includes(waiter)) return;
          waiters.splice(waiters.indexOf(waiter), 1);
          clearTimeout(timer);
          reject(new Error(`exited (${signal ?? code}) before a line matching ${pattern}; last lines:\n${lines.slice(-30).join('\n')}`));
        });
      });
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * A TCP proxy on loopback to `target` (host:port) that can be cut and restored: a peer that goes
 * away and comes back, as a worker sees a Temporal or Postgres restart, without restarting the
 * suite's shared servers.
 */
export interface TcpProxy {
  port: number;
  /** The address to hand out (host:port). */
  address: string;
  open(): Promise<void>;
  /** Stops accepting and drops every connection through it. */
  cut(): Promise<void>;
}

export async function tcpProxy(target: string, port: number): Promise<TcpProxy> {
  const [host, targetPort] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const track = (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  return {
    port,
    address: `127.0.0.1:${port}`,
    async open() {
      if (server) return;
      server = createServer((downstream) => {
        const upstream = connect({ host, port: targetPort });
        track(downstream);
        track(upstream);
        downstream.pipe(upstream).on('error', () => upstream.destroy());
        upstream.pipe(downstream).on('error', () => downstream.destroy());
        downstream.once('close', () => upstream.destroy());
        upstream.once('close', () => downstream.destroy());
      });
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    },
    async cut() {
      const closing = server;
      server = undefined;
      for (const s of sockets) s.destroy();
      if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
  };
}

/** Every live process below `pid` (children, their children, …), from /proc. */
export function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone while we looked.
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const [child, ppid] of parentOf) {
      if (ppid === parent && !found.includes(child)) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

/** Live processes running a worker verb whose environment names `temporalAddress` (so, of one stack). */
export function workerProcesses(temporalAddress: string): { pid: number; kind: 'pipeline' | 'solver' }[] {
  const found: { pid: number; kind: 'pipeline' | 'solver' }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      const kind = / worker (pipeline|solver)/.exec(cmd)?.[1] as 'pipeline' | 'solver' | undefined;
      if (!kind || !cmd.includes('heatscheduler')) continue;
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (environ.includes(`TEMPORAL_ADDRESS=${temporalAddress}`)) found.push({ pid: Number(entry), kind });
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}
