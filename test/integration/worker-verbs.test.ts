import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { openDb, type DbHandle } from '../../db/client.ts';
import type { OptimizeHeartbeat } from '../../domain/pipeline.ts';
import type { OptimizedSchedule } from '../../domain/plan.ts';
import { freePort } from '../../infra/ports.ts';
import { loadChain } from '../../runs/read.ts';
import { submitRun } from '../../runs/submit.ts';
import { hardRequest, waitFor } from '../support/pipeline.ts';
import { startCli, tcpProxy, type CliProcess, type TcpProxy } from '../support/processes.ts';

const example = readFileSync(new URL('../../examples/plant-day.json', import.meta.url), 'utf8');

/**
 * `heatscheduler worker pipeline` and `heatscheduler worker solver` started alone, as real
 * processes, against a Temporal and a Postgres that run elsewhere (the suite's): the shape of a
 * production deployment. They reach both through TCP proxies, so the test can take the peers away.
 */
describe('the worker verbs against an external Temporal and Postgres', () => {
  let db: DbHandle;
  let connection: Connection;
  let client: Client;
  let temporal: TcpProxy;
  let postgres: TcpProxy;
  let env: NodeJS.ProcessEnv;
  const started: CliProcess[] = [];
  const worker = (kind: 'pipeline' | 'solver', args: string[] = [], extra: NodeJS.ProcessEnv = {}) => {
    const p = startCli(['worker', kind, ...args], { ...env, ...extra });
    started.push(p);
    return p;
  };
  const submit = async (content: string) => (await submitRun(db.db, client, { content, format: 'json' })).runId;
  /** The attempt numbers of the run's optimize activity that started. */
  const optimizeAttempts = async (runId: string) => {
    const { events } = await client.workflow.getHandle(runId).fetchHistory();
    const optimize = new Set(
      events!.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'optimize').map((e) => String(e.eventId)),
    );
    return events!
      .filter((e) => optimize.has(String(e.activityTaskStartedEventAttributes?.scheduledEventId)))
      .map((e) => e.activityTaskStartedEventAttributes!.attempt!);
  };
  const solverNotes = async (runId: string) => {
    const step = (await loadChain(db.db, runId)).find((s) => s.step === 'optimize')!;
    return (JSON.parse(step.outputJson) as OptimizedSchedule).solver.notes;
  };

  beforeAll(async () => {
    const databaseUrl = new URL(inject('databaseUrl'));
    temporal = await tcpProxy(inject('temporalAddress'), await freePort());
    postgres = await tcpProxy(databaseUrl.host, await freePort());
    databaseUrl.port = String(postgres.port);
    env = { ...process.env, TEMPORAL_ADDRESS: temporal.address, DATABASE_URL: databaseUrl.href, LOG_LEVEL: 'info' };
    db = openDb(inject('databaseUrl'));
    connection = await Connection.connect({ address: inject('temporalAddress') });
    client = new Client({ connection });
  });

  afterAll(async () => {
    await Promise.all(started.map((p) => p.kill()));
    await connection?.close();
    await db?.close();
    await temporal?.cut();
    await postgres?.cut();
  });

  it('refuses to start without TEMPORAL_ADDRESS and DATABASE_URL, naming both', async () => {
    const p = worker('solver', [], { TEMPORAL_ADDRESS: '', DATABASE_URL: '' });
    expect((await p.exited).code).toBe(2);
    expect(p.lines.join('\n')).toMatch(/TEMPORAL_ADDRESS.*DATABASE_URL/);
  });

  it('waits with backoff for Temporal and Postgres, then runs a run, and rides out losing both for a while', async () => {
    const pipeline = worker('pipeline');
    const solver = worker('solver');
    // Nothing answers yet: both keep retrying instead of exiting.
    await pipeline.waitForLine(/pipeline worker cannot run; retrying/);
    await solver.waitForLine(/"retryInMs":2000.*solver worker cannot run; retrying/);
    await Promise.all([temporal.open(), postgres.open()]);
    await Promise.all([pipeline.waitForLine(/pipeline worker ready/), solver.waitForLine(/solver worker ready/)]);

    const first = await submit(example);
    await client.workflow.getHandle(first).result();

    // Both peers go away (every connection dropped) and come back: the same processes carry on.
    await Promise.all([temporal.cut(), postgres.cut()]);
    const second = await submit(example);
    await new Promise((r) => setTimeout(r, 3_000));
    await Promise.all([temporal.open(), postgres.open()]);
    await client.workflow.getHandle(second).result();
    const [row] = await db.pool
      .query<{ status: string }>('select status from optimization_runs where run_id = $1', [second])
      .then((r) => r.rows);
    expect(row.status).toBe('SUCCESS');
    expect(pipeline.child.exitCode).toBeNull();
    expect(solver.child.exitCode).toBeNull();

    // The default drain lets an in-flight solve finish before the process exits.
    const third = await submit(JSON.stringify(hardRequest(4)));
    await waitFor('the solve to be under way', async () => {
      const { raw } = await client.workflow.getHandle(third).describe();
      return raw.pendingActivities?.find((a) => a.activityType?.name === 'optimize' && a.heartbeatDetails?.payloads?.length);
    });
    solver.child.kill('SIGTERM');
    expect(await solver.exited).toEqual({ code: 0, signal: null });
    await client.workflow.getHandle(third).result();
    expect(await optimizeAttempts(third)).toEqual([1]);
    await pipeline.kill();
  });

  it('solves two runs at once with --concurrency 2, hands both back on SIGTERM after the drain, and a new solver resumes them', async () => {
    const pipeline = worker('pipeline');
    const solver = worker('solver', ['--concurrency', '2'], { HEATSCHEDULER_DRAIN_SECONDS: '0' });
    await Promise.all([pipeline.waitForLine(/pipeline worker ready/), solver.waitForLine(/solver worker ready/)]);
    const runs = [await submit(JSON.stringify(hardRequest(15))), await submit(JSON.stringify(hardRequest(15)))];
    // Both solves are under way at the same time, each with a plan heartbeated.
    const beats = await waitFor('both solves to have heartbeated a plan', async () => {
      const details = await Promise.all(
        runs.map(async (runId) => {
          const { raw } = await client.workflow.getHandle(runId).describe();
          const payload = raw.pendingActivities?.find((a) => a.activityType?.name === 'optimize')?.heartbeatDetails?.payloads?.[0];
          return payload ? defaultPayloadConverter.fromPayload<OptimizeHeartbeat>(payload as never) : undefined;
        }),
      );
      return details.every((d) => d?.plan) ? details : undefined;
    });
    expect(beats).toHaveLength(2);

    solver.child.kill('SIGTERM');
    expect(await solver.exited).toEqual({ code: 0, signal: null });
    const next = worker('solver', ['--concurrency', '2']);
    await next.waitForLine(/solver worker ready/);
    for (const runId of runs) {
      await client.workflow.getHandle(runId).result();
      expect(await optimizeAttempts(runId)).toContain(2);
      expect((await solverNotes(runId)).join('\n')).toMatch(/resumed from the plan an earlier attempt heartbeated/);
    }
    await Promise.all([pipeline.kill(), next.kill()]);
  });
});
