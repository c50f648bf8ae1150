import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Whether `pid` runs; a zombie (exited, not yet reaped: an orphan under an init that does not reap) counts as gone. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: alive, but another user's (Postgres runs as `postgres` when we are root).
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS): kill(0) has the last word
  }
}

/** A process's command line (/proc, else `ps`); undefined once it has gone. */
export async function commandLine(pid: number): Promise<string | undefined> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ').trim();
  } catch {
    try {
      return (await run('ps', ['-o', 'args=', '-p', String(pid)])).stdout.trim() || undefined;
    } catch {
      return undefined;
    }
  }
}

/** Resolves once `pid` has gone, or with false after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (processAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

/**
 * Ends `pid` if it still runs `expected` (so a recycled pid is left alone): `signal`, then SIGKILL
 * after `graceMs`. Returns whether it was ours to end.
 */
export async function endProcess(
  pid: number,
  expected: RegExp,
  opts: { signal?: NodeJS.Signals; graceMs?: number } = {},
): Promise<boolean> {
  const cmd = await commandLine(pid);
  if (!cmd || !expected.test(cmd) || !processAlive(pid)) return false;
  try {
    process.kill(pid, opts.signal ?? 'SIGTERM');
    if (!(await waitForExit(pid, opts.graceMs ?? 10_000))) {
      process.kill(pid, 'SIGKILL');
      await waitForExit(pid, 5_000);
    }
  } catch {
    // It went on its own in the meantime.
  }
  return true;
}
