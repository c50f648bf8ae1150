import { proxyActivities } from '@temporalio/workflow';
import type { PipelineActivities } from '../activities/index.ts';

const { pullEquipmentStatus } = proxyActivities<PipelineActivities>({
  startToCloseTimeout: '2m',
  retry: { maximumAttempts: 3, initialInterval: '10s', backoffCoefficient: 2 },
});

/** Run by its Temporal Schedule (every 5 min by default): the SCADA/BMS status of the site's heaters, alerts for planned runs that lost one. */
export async function equipmentStatusPull() {
  return pullEquipmentStatus();
}
