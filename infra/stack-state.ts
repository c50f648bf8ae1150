import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { commandLine, endProcess, processAlive } from './processes.ts';

/** What the process that owns a data directory's embedded services started, by pid. */
const StackStateSchema = z.object({
  ownerPid: z.number().int().positive(),
  temporalPid: z.number().int().positive().optional(),
  workerPids: z.array(z.number().int().positive()).default([]),
});
type StackState = z.infer<typeof StackStateSchema>;

export interface StackClaim {
  /** Another live process (a `serve`, a `run --keep-ui`) owns the services: use them, never stop them. */
  shared: boolean;
  record(update: Partial<Omit<StackState, 'ownerPid'>>): Promise<void>;
  /** Forgets the record once everything it names has stopped. */
  release(): Promise<void>;
}

const stateFile = (dir: string) => join(dir, 'stack.json');

async function readState(dir: string): Promise<StackState | undefined> {
  try {
    return StackStateSchema.parse(JSON.parse(await readFile(stateFile(dir), 'utf8')));
  } catch {
    return undefined;
  }
}

async function isLiveOwner(pid: number): Promise<boolean> {
  return pid !== process.pid && processAlive(pid) && /heatscheduler/.test((await commandLine(pid)) ?? '');
}

/**
 * Ends what an owner that died without stopping (kill -9, a crash) left running: its workers,
 * which would otherwise serve beside the new ones, and its Temporal dev server, whose log pipe
 * is broken and which the next owner restarts on the same history.
 */
async function endOrphans(dir: string, state: StackState, log: (msg: string) => void): Promise<void> {
  const ended: string[] = [];
  await Promise.all(
    state.workerPids.map(async (pid) => {
      if (await endProcess(pid, /heatscheduler.* worker (pipeline|solver)/)) ended.push(`worker ${pid}`);
    }),
  );
  const temporalDb = join(dir, 'temporal');
  if (state.temporalPid && (await endProcess(state.temporalPid, new RegExp(`start-dev.*${escape(temporalDb)}`)))) {
    ended.push(`Temporal dev server ${state.temporalPid}`);
  }
  if (ended.length) log(`stopped what an earlier HeatScheduler (pid ${state.ownerPid}) left running: ${ended.join(', ')}`);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Takes ownership of the embedded services under `dir`, unless a live process already has it.
 * What a dead owner left is ended first; the record (`stack.json`) then names this process.
 */
export async function claimStack(dir: string, log: (msg: string) => void): Promise<StackClaim> {
  const previous = await readState(dir);
  if (previous && (await isLiveOwner(previous.ownerPid))) {
    return { shared: true, record: async () => {}, release: async () => {} };
  }
  if (previous) await endOrphans(dir, previous, log);
  let state: StackState = { ownerPid: process.pid, workerPids: [] };
  await mkdir(dir, { recursive: true });
  // One write at a time, in order, so the file always holds the latest state.
  let writing = writeFile(stateFile(dir), JSON.stringify(state, null, 2));
  await writing;
  return {
    shared: false,
    record(update) {
      state = { ...state, ...update };
      const snapshot = JSON.stringify(state, null, 2);
      writing = writing.catch(() => {}).then(() => writeFile(stateFile(dir), snapshot));
      return writing;
    },
    async release() {
      await writing.catch(() => {});
      await rm(stateFile(dir), { force: true });
    },
  };
}
