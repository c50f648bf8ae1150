import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { PipelineActivities } from '../activities/index.ts';
import type { TariffPullResult } from '../activities/tariff/pull.ts';

/** What a Schedule starts a pull with: the site (its source and key stay in the worker's configuration) and its retries. */
export interface TariffPullInput {
  tenant: string;
  site: string;
  timeoutSeconds: number;
  retry: { maximumAttempts: number; initialIntervalSeconds: number };
}

const { raiseTariffUpdateFailed } = proxyActivities<PipelineActivities>({ startToCloseTimeout: '1m', retry: { maximumAttempts: 10 } });

/**
 * Run by a Temporal Schedule per configured site: pulls its tariff, retrying a service that is
 * down, slow or answering pages that are not its data; when the retries run out (or the data can
 * never be read: a refused key, an invalid tariff) it raises `tariff_update_failed` and ends.
 */
export async function tariffPull(input: TariffPullInput): Promise<TariffPullResult> {
  const { tenant, site, timeoutSeconds, retry } = input;
  const { pullTariff } = proxyActivities<PipelineActivities>({
    startToCloseTimeout: `${timeoutSeconds + 60}s`,
    retry: { maximumAttempts: retry.maximumAttempts, initialInterval: `${retry.initialIntervalSeconds}s`, backoffCoefficient: 2 },
  });
  try {
    return await pullTariff({ tenant, site });
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    // The cause's message: the last attempt's failure, with the fields at fault for an invalid tariff.
    const message = err.cause instanceof ApplicationFailure ? err.cause.message : err.message;
    await raiseTariffUpdateFailed({ tenant, site, message });
    return { outcome: 'failed', tenant, site, message };
  }
}
