import { patched, proxyActivities } from '@temporalio/workflow';
import type { PipelineActivities } from '../activities/index.ts';
import type { StepRef } from '../domain/pipeline.ts';
import { raiseAlertFromWorkflow } from './alert.ts';

interface NotifyRunInput {
  runId: string;
  intake: StepRef;
  report: StepRef;
  /** The steps the alert rules read (runs started before the rules carry none). */
  steps?: { tariff: StepRef; equipment: StepRef; optimize: StepRef; cost: StepRef };
}

// A mail server that is down for a while must not lose the message: retry with backoff for about a day.
const { sendRunEmail } = proxyActivities<PipelineActivities>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '10m', maximumAttempts: 150 },
});
const { runAlertsFor } = proxyActivities<PipelineActivities>({
  startToCloseTimeout: '1m',
  scheduleToCloseTimeout: '1h',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

/** Tells the people who need to know: the summary e-mail to the request's recipients, and the run's alerts to the subscribers. */
export async function notifyRun(input: NotifyRunInput) {
  const { steps } = input;
  const alerts =
    steps && patched('run-alerts') ? raiseRunAlerts({ runId: input.runId, intake: input.intake, ...steps }) : Promise.resolve(0);
  const [email, raised] = await Promise.all([sendRunEmail({ runId: input.runId, intake: input.intake, report: input.report }), alerts]);
  return steps ? { email, alerts: raised } : { email };
}

async function raiseRunAlerts(refs: Parameters<PipelineActivities['runAlertsFor']>[0]): Promise<number> {
  const alerts = await runAlertsFor(refs);
  for (const alert of alerts) await raiseAlertFromWorkflow(alert);
  return alerts.length;
}
