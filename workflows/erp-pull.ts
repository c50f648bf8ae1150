import { proxyActivities } from '@temporalio/workflow';
import type { PipelineActivities } from '../activities/index.ts';
import { describeFailure } from './failure.ts';

export interface ErpPullArgs {
  connector: string;
  /** Tries of the whole pull (each HTTP request is already retried inside it) and the first wait between them. */
  retry?: { maximumAttempts: number; initialIntervalSeconds: number };
}

const DEFAULT_RETRY = { maximumAttempts: 4, initialIntervalSeconds: 30 };

const { raiseErpSyncFailed } = proxyActivities<PipelineActivities>({ startToCloseTimeout: '1m', retry: { maximumAttempts: 10 } });

/**
 * Run by the connector's Temporal Schedule (every 15 min by default): pulls the ERP's open orders
 * into a new schedule version when they changed. When the retries are spent it raises
 * `erp_sync_failed` and fails, so the failure shows in Temporal too.
 */
export async function erpPull({ connector, retry = DEFAULT_RETRY }: ErpPullArgs) {
  const { pullErpOrders } = proxyActivities<PipelineActivities>({
    startToCloseTimeout: '10m',
    retry: { maximumAttempts: retry.maximumAttempts, initialInterval: `${retry.initialIntervalSeconds}s`, backoffCoefficient: 2 },
  });
  try {
    return await pullErpOrders({ connector });
  } catch (err) {
    await raiseErpSyncFailed({ connector, message: describeFailure(err).message });
    throw err;
  }
}
