import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../../db/client.ts';
import { recordErpVersion, setErpVersionRun } from '../../db/repositories/erp.ts';
import { TASK_QUEUES } from '../../domain/pipeline.ts';
import { raiseAlertFromActivity, type RaiseAlert } from '../../runs/alerts.ts';
import { submitRun } from '../../runs/submit.ts';
import { erpSyncFailed, failureOccurrence } from '../notify/rules.ts';
import { ensureRecurringPull } from '../schedules.ts';
import type { ErpConnector } from './config.ts';
import { ErpClient, PullError } from './connector.ts';
import { ordersToRequest } from './orders.ts';

export interface ErpPullResult {
  connector: string;
  orders: number;
  pages: number;
  requests: number;
  /** True when the orders differ from the newest stored version (a new version was stored). */
  changed: boolean;
  version?: number;
  requestHash?: string;
  runId?: string;
}

/** The ERP pull's activities, for the connectors this worker knows (their secrets stay in the worker, out of workflow history). */
export function erpActivities(db: Db, connectors: readonly ErpConnector[], raise: RaiseAlert = raiseAlertFromActivity) {
  const clients = new Map<string, ErpClient>();
  const connectorNamed = (name: string) => {
    const connector = connectors.find((c) => c.name === name);
    if (!connector) throw ApplicationFailure.nonRetryable(`this worker has no ERP connector named "${name}"`, 'ERP_NOT_CONFIGURED');
    return connector;
  };
  return {
    /** Pulls the open orders; stores them as a new schedule version when they changed, and starts a run for it when configured. */
    async pullErpOrders({ connector: name }: { connector: string }): Promise<ErpPullResult> {
      const connector = connectorNamed(name);
      let client = clients.get(name);
      if (!client) clients.set(name, (client = new ErpClient(connector.endpoint)));
      const pulled = await client.pullOrders().catch((err: unknown) => {
        throw err instanceof PullError && !err.retryable ? ApplicationFailure.nonRetryable(err.message, 'ERP_PULL') : err;
      });
      const counts = { connector: name, orders: pulled.orders.length, pages: pulled.pages, requests: pulled.requests };
      if (pulled.orders.length === 0) return { ...counts, changed: false };
      const read = await ordersToRequest(pulled.orders, connector.site, connector.name);
      const where = { tenantId: connector.site.tenant, siteId: connector.site.site, source: connector.name };
      const { version, created } = await recordErpVersion(db, where, {
        requestHash: read.canonicalHash,
        ordersCount: pulled.orders.length,
        request: read.request,
      });
      let runId = version.runId ?? undefined;
      if (connector.startRun && runId === undefined) {
        // Keyed by the version: a retried pull finds the run its first attempt started.
        const submitted = await submitRun(db, Context.current().client, {
          content: JSON.stringify(read.request),
          format: 'json',
          tenantId: where.tenantId,
          submittedBy: `erp ${name}`,
          idempotencyKey: `erp-${version.id}`,
        });
        runId = submitted.runId;
        await setErpVersionRun(db, version.id, runId);
      }
      return { ...counts, changed: created, version: version.version, requestHash: version.requestHash, runId };
    },

    /**
     * `erp_sync_failed` once the pull's retries are spent: one alert per connector, day and failure,
     * however many pulls of the day fail the same way.
     */
    async raiseErpSyncFailed({ connector: name, message }: { connector: string; message: string }): Promise<void> {
      const connector = connectorNamed(name);
      const error = message.slice(0, 4000);
      await raise(
        erpSyncFailed({ tenantId: connector.site.tenant, system: name, occurrence: failureOccurrence(new Date(), error), error }),
      );
    },
  };
}

export const erpScheduleId = (connector: Pick<ErpConnector, 'name'>) => `heatscheduler-erp-pull-${connector.name}`;

/** The connector's Schedule: every `everyMinutes`, overlapping pulls skipped, missed ones made up within the catch-up window. */
export function ensureErpSchedule(
  client: Client,
  connector: ErpConnector,
  options: { taskQueue?: string; every?: string } = {},
): Promise<'created' | 'exists'> {
  return ensureRecurringPull(client, {
    scheduleId: erpScheduleId(connector),
    owner: connector.site,
    workflowType: 'erpPull',
    args: [{ connector: connector.name }],
    taskQueue: options.taskQueue ?? TASK_QUEUES.pipeline,
    every: options.every ?? `${connector.everyMinutes}m`,
    catchupWindow: `${connector.catchupMinutes}m`,
  });
}
