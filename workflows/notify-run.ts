import { proxyActivities } from '@temporalio/workflow';
import type { PipelineActivities } from '../activities/index.ts';
import type { StepRef } from '../domain/pipeline.ts';

interface NotifyRunInput {
  runId: string;
  intake: StepRef;
  report: StepRef;
}

// A mail server that is down for a while must not lose the message: retry with backoff for about a day.
const { sendRunEmail } = proxyActivities<PipelineActivities>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '10m', maximumAttempts: 150 },
});

/** Tells the people who need to know. Later channels (Slack, webhooks) follow the e-mail's shape. */
export async function notifyRun(input: NotifyRunInput) {
  return { email: await sendRunEmail(input) };
}
