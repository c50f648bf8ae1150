import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Db } from '../db/client.ts';
import { acknowledgeAlertRow, type AlertRow } from '../db/repositories/alerts.ts';
import { AlertSchema, type AlertInput } from '../domain/alerts.ts';
import { TASK_QUEUES } from '../domain/pipeline.ts';
import { acknowledgeSignal, alertWorkflow, alertWorkflowId } from '../workflows/alert.ts';

/**
 * The entry point for alerts whose source is outside the pipeline (ERP sync, tariff updates,
 * equipment status; see activities/notify/rules.ts for their builders): checks the alert and starts its workflow,
 * which records it once per (tenant, rule, subject) and delivers it to the tenant's subscribers.
 * Raising an alert that is already under way is a no-op. Workflow code uses raiseAlertFromWorkflow.
 */
export async function raiseAlert(client: Client, input: AlertInput): Promise<{ workflowId: string; alreadyRaised: boolean }> {
  const parsed = AlertSchema.safeParse(input);
  if (!parsed.success) {
    throw new Error(`bad alert: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(alert)'}: ${i.message}`).join('; ')}`);
  }
  const workflowId = alertWorkflowId(parsed.data);
  try {
    await client.workflow.start(alertWorkflow, { taskQueue: TASK_QUEUES.pipeline, workflowId, args: [parsed.data] });
    return { workflowId, alreadyRaised: false };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, alreadyRaised: true };
    throw err;
  }
}

/** How an activity raises an alert; the pulls take one so that their tests can watch what is raised. */
export type RaiseAlert = (alert: AlertInput) => Promise<{ workflowId: string; alreadyRaised: boolean }>;

/** raiseAlert from inside an activity, with the worker's own Temporal client. */
export const raiseAlertFromActivity: RaiseAlert = (alert) => raiseAlert(Context.current().client, alert);

/** Records the acknowledgement (the first stands) and tells the alert's workflow, which then does not escalate. */
export async function acknowledgeAlert(
  db: Db,
  client: Client,
  ack: { tenantId: string; alertId: string; by: string },
): Promise<AlertRow | undefined> {
  const row = await acknowledgeAlertRow(db, ack.tenantId, ack.alertId, ack.by);
  if (!row) return undefined;
  try {
    await client.workflow.getHandle(alertWorkflowId(row)).signal(acknowledgeSignal, { by: ack.by });
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
  return row;
}
