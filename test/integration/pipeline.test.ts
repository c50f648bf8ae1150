import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../api/server.ts';
import { artefacts, optimizedAssignments, productionJobs, runInputs, runSteps } from '../../db/schema.ts';
import { loadChain, verifyRunChain } from '../../runs/read.ts';
import { progressQuery } from '../../workflows/optimization-run.ts';
import { runRow, startTestPipeline, stepNames, waitFor, type TestPipeline } from '../support/pipeline.ts';
import { startSmtp, type TestSmtp } from '../support/smtp.ts';

// Deterministic: the tests compare plans between runs, which must not depend on how busy the machine is.
const plantDay = JSON.parse(readFileSync(new URL('../../examples/plant-day.json', import.meta.url), 'utf8'));
const example = { ...plantDay, settings: { ...plantDay.settings, deterministic: true } };

describe('an optimisation run on the real Temporal server and Postgres', () => {
  let p: TestPipeline;
  let smtp: TestSmtp;
  let runId: string;

  beforeAll(async () => {
    smtp = await startSmtp();
    p = await startTestPipeline({ SMTP_URL: smtp.url, MAIL_FROM: 'HeatScheduler <hs@test.local>' });
    runId = await p.submit(example);
    await p.client.workflow.getHandle(runId).result();
  });

  afterAll(async () => {
    await p?.close();
    await smtp?.stop();
  });

  it('goes from intake to report and closes the run as SUCCESS with its figures', async () => {
    const run = await runRow(p, runId);
    expect(run).toMatchObject({
      status: 'SUCCESS',
      tenantId: 'acme-metals',
      siteId: 'plant-1',
      jobsCount: 14,
      assignmentsCount: 14,
      solverType: 'highs',
    });
    expect(run.optimizedCost!).toBeLessThan(run.baselineCost!);
    expect(run.savings!).toBeCloseTo(run.baselineCost! - run.optimizedCost!, 3);
    expect(run.peakKw!).toBeLessThanOrEqual(700);
    expect(run.completedAt).not.toBeNull();
  });

  it('persists the schedule, its jobs and both plans', async () => {
    const jobs = await p.db.select().from(productionJobs).where(eq(productionJobs.tenantId, 'acme-metals'));
    expect(jobs.filter((j) => j.jobRef === 'J-101').length).toBeGreaterThanOrEqual(1);
    const plans = await p.db
      .select({ plan: optimizedAssignments.plan, n: sql<number>`count(*)::int` })
      .from(optimizedAssignments)
      .where(eq(optimizedAssignments.runId, runId))
      .groupBy(optimizedAssignments.plan);
    expect(Object.fromEntries(plans.map((r) => [r.plan, r.n]))).toEqual({ optimized: 14, baseline: 14 });
    // HTR-003 is in maintenance 06:00-14:00 local (12:00-20:00 UTC).
    const onHtr3 = await p.db
      .select()
      .from(optimizedAssignments)
      .where(and(eq(optimizedAssignments.runId, runId), eq(optimizedAssignments.equipmentId, 'HTR-003')));
    for (const a of onHtr3) {
      expect(a.scheduledEnd <= new Date('2026-11-24T12:00:00Z') || a.scheduledStart >= new Date('2026-11-24T20:00:00Z')).toBe(true);
    }
  });

  it('records a hash chain that verifies, and whose head is the run output hash', async () => {
    expect(await stepNames(p, runId)).toEqual(['intake', 'tariff', 'equipment', 'optimize', 'cost', 'report']);
    const chain = await loadChain(p.db, runId);
    expect(chain[1].parents).toEqual([chain[0].hash]);
    expect(chain[2].parents).toEqual([chain[0].hash]);
    expect(chain[3].parents).toEqual([chain[1].hash, chain[2].hash]);
    const verdict = await verifyRunChain(p.db, runId);
    expect(verdict).toEqual({ ok: true, head: chain[5].hash });
    expect((await runRow(p, runId)).outputHash).toBe(chain[5].hash);
    const result = await p.client.workflow.getHandle(runId).result();
    expect(result.head).toEqual({ step: 'report', hash: chain[5].hash });
  });

  it('stores the report as JSON, text, PDF, XLSX and CSV artefacts, and e-mails it', async () => {
    const files = await p.db.select().from(artefacts).where(eq(artefacts.runId, runId));
    expect(files.map((f) => f.kind).sort()).toEqual(['assignments.csv', 'report.json', 'report.pdf', 'report.txt', 'report.xlsx']);
    expect(
      files
        .find((f) => f.kind === 'report.pdf')!
        .content.subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const text = files.find((f) => f.kind === 'report.txt')!.content.toString();
    expect(text).toContain('J-101');
    expect(text).toContain('Savings: USD');
    const mail = await waitFor('the e-mail', async () => smtp.messages.find((m) => m.subject?.includes('plant-1')));
    expect(mail.subject).toMatch(/^HeatScheduler plant-1 2026-11-24: saves USD [\d,]+\.\d\d \(\d+\.\d %\)$/);
    expect((mail.to as { text: string }).text).toBe('planner@plant-1.example');
    expect(mail.text).toContain('Savings: USD');
    expect(mail.attachments.map((a) => a.filename).sort()).toEqual(['assignments.csv', 'report.json', 'report.pdf', 'report.xlsx']);
  });

  it('answers the progress query with every step done', async () => {
    const progress = await p.client.workflow.getHandle(runId).query(progressQuery);
    expect(progress).toMatchObject({ status: 'SUCCESS', percent: 100, currentStep: null });
    expect(Object.values(progress.steps)).toEqual(Array(7).fill('done'));
  });

  it('gives the same hashes for the same input on a second run', async () => {
    const again = await p.submit(example);
    await p.client.workflow.getHandle(again).result();
    const first = (await loadChain(p.db, runId)).map((s) => s.hash);
    const second = (await loadChain(p.db, again)).map((s) => s.hash);
    expect(second).toEqual(first);
  });

  it('detects a step output edited after the fact', async () => {
    const tampered = await p.submit(example);
    await p.client.workflow.getHandle(tampered).result();
    const [cost] = await p.db
      .select()
      .from(runSteps)
      .where(and(eq(runSteps.runId, tampered), eq(runSteps.step, 'cost')));
    // Exact decimals are strings: "total":"11536.62" becomes "total":"11436.62".
    const edited = cost.outputJson.replace(/"total":"(\d+)/, (_m, d) => `"total":"${Number(d) - 100}`);
    expect(edited).not.toBe(cost.outputJson);
    await p.db.update(runSteps).set({ outputJson: edited }).where(eq(runSteps.id, cost.id));
    expect(await verifyRunChain(p.db, tampered)).toMatchObject({ ok: false, step: 'cost' });
  });

  it('fails bad input for good, naming the fields, and keeps the submission', async () => {
    const bad = structuredClone(example);
    bad.schedule.jobs[0].heatingKwh = 'lots';
    bad.schedule.jobs[3].deadline = '2026-11-23T00:00';
    const badRun = await p.submit(bad);
    const err = await p.client.workflow
      .getHandle(badRun)
      .result()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause?.cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe('E001');
    expect((cause as ApplicationFailure).nonRetryable).toBe(true);
    const run = await runRow(p, badRun);
    expect(run.status).toBe('FAILED');
    expect(run.errorCode).toBe('E001');
    expect(run.errorMessage).toContain('schedule.jobs[0].heatingKwh');
    expect(run.errorMessage).toContain('schedule.jobs[3].deadline: must be after earliestStart');
    const [input] = await p.db.select().from(runInputs).where(eq(runInputs.runId, badRun));
    expect(JSON.parse(input.content!)).toEqual(bad);
    // Tried once: a validation error does not get better with retries.
    const history = await p.client.workflow.getHandle(badRun).fetchHistory();
    const scheduled = history.events!.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'intake');
    expect(scheduled).toHaveLength(1);
    const started = history.events!.filter(
      (e) => String(e.activityTaskStartedEventAttributes?.scheduledEventId) === String(scheduled[0].eventId),
    );
    expect(started.map((e) => e.activityTaskStartedEventAttributes!.attempt)).toEqual([1]);
  });

  it('fails with E003, naming the job, when no heater can meet a deadline and the planner asked for all or nothing', async () => {
    const impossible = structuredClone(example);
    impossible.settings = { ...impossible.settings, allOrNothing: true };
    // 1,000 kWh in 30 minutes needs 2 MW; the largest heater has 500 kW.
    Object.assign(impossible.schedule.jobs[2], { heatingKwh: 1000, earliestStart: '2026-11-24T10:00', deadline: '2026-11-24T10:30' });
    delete impossible.schedule.jobs[2].durationMinutes;
    delete impossible.schedule.jobs[2].allowedEquipment;
    delete impossible.schedule.jobs[2].maxThermalKw;
    const runId = await p.submit(impossible);
    await expect(p.client.workflow.getHandle(runId).result()).rejects.toBeInstanceOf(WorkflowFailedError);
    const run = await runRow(p, runId);
    expect(run).toMatchObject({ status: 'FAILED', errorCode: 'E003' });
    expect(run.errorMessage).toContain(`schedule.jobs[2]: job ${impossible.schedule.jobs[2].id} fits no heater`);
    expect(await stepNames(p, runId)).toEqual(['intake', 'tariff', 'equipment']);
  });

  it('by default plans every other job and names the one it could not place, with why, in the plan and the report', async () => {
    const partial = structuredClone(example);
    Object.assign(partial.schedule.jobs[2], { heatingKwh: 1000, earliestStart: '2026-11-24T10:00', deadline: '2026-11-24T10:30' });
    delete partial.schedule.jobs[2].durationMinutes;
    delete partial.schedule.jobs[2].allowedEquipment;
    delete partial.schedule.jobs[2].maxThermalKw;
    const id = await p.submit(partial);
    await p.client.workflow.getHandle(id).result();
    const jobId = partial.schedule.jobs[2].id;
    expect(await runRow(p, id)).toMatchObject({ status: 'SUCCESS', jobsCount: 14, assignmentsCount: 13 });
    const plan = JSON.parse((await loadChain(p.db, id)).find((s) => s.step === 'optimize')!.outputJson) as {
      unscheduled: { jobId: string; reason: string }[];
    };
    expect(plan.unscheduled).toEqual([
      { jobId, reason: expect.stringContaining('HTR-001: no free 120-min window between earliestStart and deadline') },
    ]);
    const files = await p.db.select().from(artefacts).where(eq(artefacts.runId, id));
    const text = files.find((f) => f.kind === 'report.txt')!.content.toString();
    expect(text).toContain(`Not scheduled:\n- ${jobId}: `);
    expect(text).toContain(`1 job(s) could not be placed (${jobId}); both plans are priced without them.`);
    // Like for like: the baseline also leaves that job out.
    const baseline = await p.db
      .select()
      .from(optimizedAssignments)
      .where(and(eq(optimizedAssignments.runId, id), eq(optimizedAssignments.plan, 'baseline')));
    expect(baseline).toHaveLength(13);
  });

  it('fails with E006 when the site has no tariff for the day', async () => {
    const noTariff = structuredClone(example);
    delete noTariff.tariff;
    noTariff.schedule.site = 'plant-without-tariff';
    const id = await p.submit(noTariff);
    await expect(p.client.workflow.getHandle(id).result()).rejects.toThrow();
    expect(await runRow(p, id)).toMatchObject({ status: 'FAILED', errorCode: 'E006' });
  });

  it('reuses the tariff and heaters a run registered (register: true) when a later request omits them', async () => {
    const registering = await p.submit({ ...example, register: true });
    await p.client.workflow.getHandle(registering).result();
    const lean = structuredClone(example);
    delete lean.tariff;
    delete lean.equipment;
    const id = await p.submit(lean);
    await p.client.workflow.getHandle(id).result();
    const first = (await loadChain(p.db, runId)).map((s) => s.hash);
    const chain = (await loadChain(p.db, id)).map((s) => s.hash);
    // Intake differs (nothing supplied); tariff and equipment content may be the same but chain to another intake.
    expect(chain[0]).not.toBe(first[0]);
    expect((await runRow(p, id)).optimizedCost).toBeCloseTo((await runRow(p, runId)).optimizedCost!, 4);
  });

  it('serves readiness and run status over HTTP', async () => {
    const { openDb } = await import('../../db/client.ts');
    const handle = openDb(p.env.DATABASE_URL);
    const server = createApi({ db: handle.db, pool: handle.pool, client: p.client, connection: p.connection }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: 'ok', temporal: 'ok' } });
      const posted = await fetch(`${base}/api/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(example),
      });
      expect(posted.status).toBe(202);
      const { runId: apiRun } = (await posted.json()) as { runId: string };
      await p.client.workflow.getHandle(apiRun).result();
      const status = (await (await fetch(`${base}/api/runs/${apiRun}`)).json()) as { status: string; cost: { optimized: number } };
      expect(status.status).toBe('completed');
      expect(status.cost.optimized).toBeCloseTo((await runRow(p, runId)).optimizedCost!, 4);
      const report = await fetch(`${base}/api/runs/${apiRun}/report.txt`);
      expect(await report.text()).toContain('Savings: USD');
      expect((await fetch(`${base}/api/runs/not-a-run`)).status).toBe(400);
    } finally {
      server.close();
      await handle.close();
    }
  });
});
