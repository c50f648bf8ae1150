import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { pullMemo } from '../activities/schedules.ts';
import type { ConfiguredTariffSource } from '../activities/tariff/pull.ts';
import { TASK_QUEUES } from '../domain/pipeline.ts';
import type { TariffPullInput } from '../workflows/tariff-pull.ts';

/** The Schedule that pulls a site's tariff: one per configured tenant and site. */
export const tariffPullScheduleId = (s: { tenant: string; site: string }) => `heatscheduler-tariff-pull-${s.tenant}-${s.site}`;

function scheduleOf(source: ConfiguredTariffSource): ScheduleOptions {
  const input: TariffPullInput = {
    tenant: source.tenant,
    site: source.site,
    timeoutSeconds: source.timeoutSeconds,
    retry: source.retry,
  };
  return {
    scheduleId: tariffPullScheduleId(source),
    spec: { cronExpressions: [source.cron] },
    action: { type: 'startWorkflow', workflowType: 'tariffPull', taskQueue: TASK_QUEUES.pipeline, args: [input] },
    // A pull still retrying when the next is due is left to finish; a worker down for an hour catches up once.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1h' },
    memo: pullMemo('tariffPull', source),
  };
}

/**
 * Creates the tariff pull Schedule of every configured source, or brings an existing one to the
 * configuration (cron, retries): safe to run at every start of every pipeline worker.
 */
export async function ensureTariffPullSchedules(client: Client, sources: ConfiguredTariffSource[]): Promise<string[]> {
  const ids: string[] = [];
  for (const source of sources) {
    const options = scheduleOf(source);
    try {
      await client.schedule.create(options);
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await client.schedule
        .getHandle(options.scheduleId)
        .update((previous) => ({ ...previous, spec: options.spec, action: options.action, policies: options.policies }));
    }
    ids.push(options.scheduleId);
  }
  return ids;
}
