import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Context } from '@temporalio/activity';
import { Client, Connection } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker, type WorkflowBundle } from '@temporalio/worker';
import { activityInterceptors } from '../../activities/failures.ts';
import type { PipelineActivities, SolverActivities } from '../../activities/index.ts';
import { TASK_QUEUES, type ChainStep, type RunFacts, type RunSummaryMemo, type StepRef } from '../../domain/pipeline.ts';
import { freePort } from '../../infra/ports.ts';
import { startTemporalDevServer, type TemporalDevServer } from '../../infra/temporal-server.ts';
import { WORKFLOWS_PATH } from '../../workers/common.ts';

type Activities = PipelineActivities & SolverActivities;

export const STUB_FACTS: RunFacts = { tenant: 'acme', site: 'plant-1', scheduleDate: '2026-12-03', objective: 'minimize_cost' };
export const STUB_SUMMARY: RunSummaryMemo = {
  optimizedCost: 812.5,
  baselineCost: 1000,
  savings: 187.5,
  savingsPercent: 18.75,
  peakKw: 640,
  jobs: 3,
  unscheduled: 1,
};
type ActivityName = keyof Activities;

/** Stub activities that record their calls; each test overrides the ones it makes misbehave. */
export class StubActivities {
  readonly calls: { name: ActivityName; args: unknown }[] = [];

  constructor(private readonly overrides: Partial<Record<ActivityName, (args: never) => Promise<unknown>>> = {}) {}

  called(name: ActivityName): unknown[] {
    return this.calls.filter((c) => c.name === name).map((c) => c.args);
  }

  private impl<N extends ActivityName>(name: N, fallback: (args: never) => Promise<unknown>) {
    const chosen = this.overrides[name] ?? fallback;
    return async (args: never) => {
      this.calls.push({ name, args });
      return chosen(args);
    };
  }

  pipeline(): Record<keyof PipelineActivities, (args: never) => Promise<unknown>> {
    const ref = (step: ChainStep) => async (): Promise<StepRef> => ({ step, hash: `hash-of-${step}` });
    return {
      markRunStarted: this.impl('markRunStarted', async () => undefined),
      intake: this.impl('intake', async () => ({ ref: await ref('intake')(), jobsCount: 3, solverTimeLimitSeconds: 5, facts: STUB_FACTS })),
      resolveTariff: this.impl('resolveTariff', ref('tariff')),
      resolveEquipment: this.impl('resolveEquipment', ref('equipment')),
      calculateCost: this.impl('calculateCost', ref('cost')),
      buildReport: this.impl('buildReport', ref('report')),
      sendRunEmail: this.impl('sendRunEmail', async () => ({ status: 'sent', recipients: ['ops@plant.example'] })),
      completeRun: this.impl('completeRun', async () => STUB_SUMMARY),
      endRun: this.impl('endRun', async () => undefined),
      reconcileRuns: this.impl('reconcileRuns', async () => ({ checked: 0, closed: [] })),
      pullErpOrders: this.impl('pullErpOrders', async () => ({ connector: 'erp', orders: 0, pages: 1, requests: 1, changed: false })),
      raiseErpSyncFailed: this.impl('raiseErpSyncFailed', async () => undefined),
      pullEquipmentStatus: this.impl('pullEquipmentStatus', async () => ({ heaters: 0, offline: [], unknown: [], alerts: [] })),
      pullTariff: this.impl('pullTariff', async () => ({ outcome: 'unchanged', tenant: 't', site: 's' })),
      raiseTariffUpdateFailed: this.impl('raiseTariffUpdateFailed', async () => undefined),
      runAlertsFor: this.impl('runAlertsFor', async () => []),
      sendRunSlack: this.impl('sendRunSlack', async () => ({ status: 'skipped', channels: [], refused: [] })),
      writeBackSchedule: this.impl('writeBackSchedule', async () => ({ status: 'skipped', reason: 'stub' })),
      runFailedAlert: this.impl('runFailedAlert', async () => null),
      recordAlert: this.impl('recordAlert', async () => ({ alertId: 'alert-1', severity: 'info', deliveries: [], escalation: null })),
      escalateAlert: this.impl('escalateAlert', async () => []),
      deliverAlertMessage: this.impl('deliverAlertMessage', async () => ({ status: 'sent', providerMessageId: 'stub' })),
    };
  }

  solver(): Record<keyof SolverActivities, (args: never) => Promise<unknown>> {
    return { optimize: this.impl('optimize', async () => ({ step: 'optimize', hash: 'hash-of-optimize' })) };
  }
}

/** An activity that heartbeats until it is cancelled (as the solve does), telling when it starts and when it hears the cancel. */
export function heartbeatUntilCancelled(on: { started(): void; cancelled(): void }) {
  return async (): Promise<never> => {
    const ctx = Context.current();
    on.started();
    for (;;) {
      ctx.heartbeat();
      await Promise.race([ctx.sleep(200), ctx.cancelled]).catch(() => undefined);
      if (ctx.cancellationSignal.aborted) {
        on.cancelled();
        throw new CancelledFailure('stub solve cancelled');
      }
    }
  };
}

/** A Temporal dev server of this file's own, the bundled workflows, and workers around a test's stubs. */
export class WorkflowHarness {
  private constructor(
    private readonly server: TemporalDevServer,
    private readonly dir: string,
    private readonly bundle: WorkflowBundle,
    private readonly connection: NativeConnection,
    readonly clientConnection: Connection,
    readonly client: Client,
  ) {}

  static async start(): Promise<WorkflowHarness> {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    const dir = await mkdtemp(join(tmpdir(), 'heatscheduler-wf-'));
    const [port, uiPort] = [await freePort(), await freePort()];
    const server = await startTemporalDevServer({ dataDir: dir, port, uiPort, headless: true });
    const bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('ERROR') });
    const connection = await NativeConnection.connect({ address: server.address });
    const clientConnection = await Connection.connect({ address: server.address });
    return new WorkflowHarness(server, dir, bundle, connection, clientConnection, new Client({ connection: clientConnection }));
  }

  /** Runs both task queues' workers, with `stubs` and the product's interceptors, while `work` runs. */
  async withWorkers<T>(stubs: StubActivities, work: () => Promise<T>): Promise<T> {
    const common = { connection: this.connection, interceptors: { activity: activityInterceptors } };
    const pipeline = await Worker.create({
      ...common,
      taskQueue: TASK_QUEUES.pipeline,
      workflowBundle: this.bundle,
      activities: stubs.pipeline(),
    });
    const solver = await Worker.create({
      ...common,
      taskQueue: TASK_QUEUES.solver,
      activities: stubs.solver(),
      maxHeartbeatThrottleInterval: '500ms',
    });
    return pipeline.runUntil(solver.runUntil(work));
  }

  async stop(): Promise<void> {
    await this.clientConnection.close();
    await this.connection.close();
    await this.server.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}
