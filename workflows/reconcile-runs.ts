import { proxyActivities } from '@temporalio/workflow';
import type { PipelineActivities } from '../activities/index.ts';

const { reconcileRuns } = proxyActivities<PipelineActivities>({ startToCloseTimeout: '5m', retry: { maximumAttempts: 3 } });

/**
 * Run by a Temporal Schedule every few minutes: closes run rows left open after their workflow
 * closed (or that never got one), as Temporal says they ended.
 */
export async function runReconciliation() {
  return reconcileRuns();
}
