import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';

/** Who a pull Schedule serves, kept in its memo so that the API can list a tenant's pulls. */
export interface PullOwner {
  tenant: string;
  site: string;
}

/** The memo every pull Schedule carries: which pull and whose. */
export const pullMemo = (workflowType: string, owner: PullOwner) => ({ pull: workflowType, tenant: owner.tenant, site: owner.site });

export interface RecurringPull {
  scheduleId: string;
  owner: PullOwner;
  workflowType: string;
  args: unknown[];
  taskQueue: string;
  /** A Temporal duration: `15m`, `1s`. */
  every: string;
  catchupWindow: string;
}

/**
 * Creates a Temporal Schedule that starts `workflowType` every `every` (a run still going when the
 * next is due makes that one skip; missed runs are made up within the catch-up window). An
 * existing Schedule is left as it is, so every worker start may call this.
 */
export async function ensureRecurringPull(client: Client, pull: RecurringPull): Promise<'created' | 'exists'> {
  try {
    await client.schedule.create({
      scheduleId: pull.scheduleId,
      spec: { intervals: [{ every: pull.every }] },
      action: { type: 'startWorkflow', workflowType: pull.workflowType, taskQueue: pull.taskQueue, args: pull.args },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: pull.catchupWindow },
      memo: pullMemo(pull.workflowType, pull.owner),
    });
    return 'created';
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return 'exists';
    throw err;
  }
}
