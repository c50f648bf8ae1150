import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { condition, defineSignal, ParentClosePolicy, proxyActivities, setHandler, sleep, startChild } from '@temporalio/workflow';
import type { PipelineActivities } from '../activities/index.ts';
import type { AlertInput, PlannedDelivery } from '../domain/alerts.ts';

export const acknowledgeSignal = defineSignal<[{ by: string }]>('acknowledge');

/** One alert's workflow per (tenant, rule, subject): raising it again while it runs is the same alert. */
export const alertWorkflowId = (a: { tenantId: string; rule: string; subject: string }) => `alert:${a.tenantId}:${a.rule}:${a.subject}`;

const retry = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' };
const records = proxyActivities<PipelineActivities>({ startToCloseTimeout: '1m', scheduleToCloseTimeout: '1d', retry });
// Each message retries with exponential backoff (2 s doubling to 10 min) for a day; Slack's Retry-After overrides one wait.
const messages = proxyActivities<PipelineActivities>({
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '1d',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '10m' },
});

export interface AlertOutcome {
  alertId: string;
  sent: number;
  failed: number;
  escalated: boolean;
  acknowledged: boolean;
}

/**
 * Records the alert, sends each message (after the recipient's quiet hours: a durable timer),
 * then waits for an acknowledgement (signal) and escalates to the next people when none comes in
 * time. A message that fails for good does not stop the others.
 */
export async function alertWorkflow(alert: AlertInput): Promise<AlertOutcome> {
  let acknowledged = false;
  setHandler(acknowledgeSignal, () => {
    acknowledged = true;
  });
  const recorded = await records.recordAlert(alert);
  const outcome = { alertId: recorded.alertId, sent: 0, failed: 0, escalated: false, acknowledged: false };
  const tally = (results: PromiseSettledResult<unknown>[]) => {
    outcome.sent += results.filter((r) => r.status === 'fulfilled').length;
    outcome.failed += results.filter((r) => r.status === 'rejected').length;
  };
  tally(await deliverAll(recorded.deliveries));
  const { escalation } = recorded;
  if (escalation && !(await condition(() => acknowledged, Math.round(escalation.afterMinutes * 60_000)))) {
    const more = await records.escalateAlert({ alertId: recorded.alertId, userIds: escalation.userIds });
    outcome.escalated = more.length > 0;
    tally(await deliverAll(more));
  }
  outcome.acknowledged = acknowledged;
  return outcome;
}

function deliverAll(deliveries: PlannedDelivery[]): Promise<PromiseSettledResult<unknown>[]> {
  return Promise.allSettled(
    deliveries.map(async (d) => {
      const wait = d.notBefore ? Date.parse(d.notBefore) - Date.now() : 0;
      if (wait > 0) await sleep(wait);
      return messages.deliverAlertMessage({ deliveryId: d.deliveryId });
    }),
  );
}

/**
 * raiseAlert for workflow code: starts the alert's workflow, which outlives the caller. An alert
 * whose workflow is still running is not raised twice.
 */
export async function raiseAlertFromWorkflow(alert: AlertInput): Promise<void> {
  try {
    await startChild(alertWorkflow, { workflowId: alertWorkflowId(alert), args: [alert], parentClosePolicy: ParentClosePolicy.ABANDON });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
