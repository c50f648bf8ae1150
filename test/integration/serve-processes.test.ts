import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processAlive } from '../../infra/processes.ts';
import { submitRun } from '../../runs/submit.ts';
import { hardRequest, waitFor } from '../support/pipeline.ts';
import { descendants, startCli, workerProcesses, type CliProcess } from '../support/processes.ts';
import { serveStack, type ServeStack } from '../support/serve.ts';

const example = readFileSync(new URL('../../examples/plant-day.json', import.meta.url), 'utf8');
const STEP_TIMEOUT = 400_000;

/**
 * `heatscheduler serve` as a child process of the test, on a data directory and ports of its own:
 * it keeps its workers alive, leaves nothing behind when stopped, and cleans up after a kill -9.
 */
describe('serve supervises its processes', () => {
  let stack: ServeStack;
  let serve: CliProcess;

  const startServe = () => stack.start();
  const withStack: ServeStack['withStack'] = (fn) => stack.withStack(fn);
  const runToCompletion = (content: string) =>
    withStack(async (client, db) => {
      const { runId } = await submitRun(db.db, client, { content, format: 'json' });
      await client.workflow.getHandle(runId).result();
      return runId;
    });
  const runStatus = (runId: string) => stack.runStatus(runId);
  const workerPid = (kind: 'pipeline' | 'solver') => stack.workerPid(kind);

  beforeAll(async () => {
    stack = await serveStack();
  });

  afterAll(async () => {
    await stack?.cleanup();
  });

  it(
    'restarts the solver and then the pipeline worker after a kill -9 mid-run, and the run completes; verify exits 0',
    async () => {
      serve = await startServe();
      const runId = await withStack(
        async (client, db) => (await submitRun(db.db, client, { content: JSON.stringify(hardRequest(8)), format: 'json' })).runId,
      );
      await withStack((client) =>
        waitFor('the solve to be under way', async () => {
          const { raw } = await client.workflow.getHandle(runId).describe();
          return raw.pendingActivities?.find((a) => a.activityType?.name === 'optimize' && a.heartbeatDetails?.payloads?.length);
        }),
      );
      const solver = workerPid('solver');
      process.kill(solver, 'SIGKILL');
      await serve.waitForLine(/\[solver\] worker exited \(SIGKILL\); restarting/);
      await serve.waitForLine(/\[solver\] worker restarted \(pid \d+\)/, 180_000);
      expect(workerPid('solver')).not.toBe(solver);

      const pipeline = workerPid('pipeline');
      process.kill(pipeline, 'SIGKILL');
      await serve.waitForLine(/\[pipeline\] worker exited \(SIGKILL\); restarting/);
      await serve.waitForLine(/\[pipeline\] worker restarted \(pid \d+\)/, 180_000);

      await withStack((client) => client.workflow.getHandle(runId).result());
      expect(await runStatus(runId)).toBe('SUCCESS');
      // verify reads Postgres only; with Temporal up it exits 0 (it used to crash with "Channel has been shut down").
      const verify = startCli(['verify', runId], stack.env);
      expect(await verify.exited).toEqual({ code: 0, signal: null });
      expect(verify.lines.join('\n')).toContain(`chain of run ${runId} verified`);
      const bad = startCli(['verify', 'abc'], stack.env);
      expect((await bad.exited).code).toBe(2);
      expect(bad.lines.join('\n')).toContain('"abc" is not a run id');
    },
    STEP_TIMEOUT,
  );

  it(
    'after a kill -9 of serve, the next serve ends what it left (workers, Temporal, Postgres) and runs with one pair of workers',
    async () => {
      const killed = serve.child.pid!;
      const left = descendants(killed);
      expect(left.length).toBeGreaterThanOrEqual(4); // Postgres (and its backends), Temporal, two workers
      serve.child.kill('SIGKILL');
      await serve.exited;

      serve = await startServe();
      for (const pid of left) expect(processAlive(pid), `pid ${pid} of the killed serve`).toBe(false);
      expect(serve.lines.join('\n')).toMatch(new RegExp(`stopped what an earlier HeatScheduler \\(pid ${killed}\\) left running`));
      const workers = workerProcesses(stack.temporalAddress);
      expect(workers.map((w) => w.kind).sort()).toEqual(['pipeline', 'solver']);
      expect(await runStatus(await runToCompletion(example))).toBe('SUCCESS');
    },
    STEP_TIMEOUT,
  );

  it(
    'SIGTERM stops serve and everything it started, exit code 0; the next serve starts clean',
    async () => {
      const children = descendants(serve.child.pid!);
      serve.child.kill('SIGTERM');
      expect(await serve.exited).toEqual({ code: 0, signal: null });
      for (const pid of children) expect(processAlive(pid), `pid ${pid} of the stopped serve`).toBe(false);
      expect(existsSync(join(stack.dir, 'stack.json'))).toBe(false);
      expect(workerProcesses(stack.temporalAddress)).toEqual([]);

      serve = await startServe();
      expect(serve.lines.join('\n')).not.toMatch(/left running|reusing|already running/);
      expect(await runStatus(await runToCompletion(example))).toBe('SUCCESS');
      serve.child.kill('SIGTERM');
      expect(await serve.exited).toEqual({ code: 0, signal: null });
    },
    STEP_TIMEOUT,
  );
});
