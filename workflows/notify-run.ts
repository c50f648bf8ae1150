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

// A mail server or Slack down for a while must not lose the message: retry with backoff for about a day.
const { sendRunEmail, sendRunSlack } = proxyActivities<PipelineActivities>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '10m', maximumAttempts: 150 },
});
const { runAlertsFor } = proxyActivities<PipelineActivities>({
  startToCloseTimeout: '1m',
  scheduleToCloseTimeout: '1h',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

// An ERP that is down for a while gets the schedule when it is back: backoff to 10 min, for a day.
const { writeBackSchedule } = proxyActivities<PipelineActivities>({
  startToCloseTimeout: '1m',
  scheduleToCloseTimeout: '1d',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '10m' },
});

/** Tells the people and systems who need to know: the summary by e-mail and on Slack, the run's alerts to the subscribers, the schedule to the ERP. */
export async function notifyRun(input: NotifyRunInput) {
  const { steps } = input;
  const alerts =
    steps && patched('run-alerts') ? raiseRunAlerts({ runId: input.runId, intake: input.intake, ...steps }) : Promise.resolve(0);
  const writeBack =
    steps && patched('write-back') ? writeBackSchedule({ runId: input.runId, intake: input.intake, optimize: steps.optimize }) : undefined;
  const summary = { runId: input.runId, intake: input.intake, report: input.report };
  const slack = patched('run-summary-slack') ? sendRunSlack(summary) : undefined;
  const [email, raised, written, posted] = await Promise.all([sendRunEmail(summary), alerts, writeBack, slack]);
  return steps ? { email, slack: posted, alerts: raised, writeBack: written } : { email };
}

async function raiseRunAlerts(refs: Parameters<PipelineActivities['runAlertsFor']>[0]): Promise<number> {
  const alerts = await runAlertsFor(refs);
  for (const alert of alerts) await raiseAlertFromWorkflow(alert);
  return alerts.length;
}
