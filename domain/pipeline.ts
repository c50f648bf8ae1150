/** Names shared by workflows, workers and activities. No I/O here: workflow code imports it. */
export const TASK_QUEUES = {
  pipeline: 'heatscheduler-pipeline',
  solver: 'heatscheduler-solver',
} as const;

/** Hashed steps, in chain order. */
export const CHAIN_STEPS = ['intake', 'tariff', 'equipment', 'optimize', 'cost', 'report'] as const;
export type ChainStep = (typeof CHAIN_STEPS)[number];
export const PROGRESS_STEPS = [...CHAIN_STEPS, 'notify'] as const;
export type ProgressStep = (typeof PROGRESS_STEPS)[number];

/** What travels between steps: which step, and the hash its stored output must still have. */
export interface StepRef {
  step: ChainStep;
  hash: string;
}

export type RunStatus = 'PENDING' | 'RUNNING' | 'SUCCESS' | 'FAILED' | 'CANCELLED';

/** How a run ended: SUCCESS with its chain head as output hash, FAILED with what went wrong, or CANCELLED. */
export type RunOutcome =
  { status: 'SUCCESS'; outputHash: string } | { status: 'FAILED'; errorCode?: string; errorMessage?: string } | { status: 'CANCELLED' };

export interface IntakeResult {
  ref: StepRef;
  jobsCount: number;
  solverTimeLimitSeconds: number;
  facts: RunFacts;
}

/** What intake learnt that operators filter by. */
export interface RunFacts {
  tenant: string;
  site: string;
  /** The plant's local day, YYYY-MM-DD. */
  scheduleDate: string;
  objective: string;
}

/** The run's figures kept in the workflow's memo, shown on its page in Temporal UI. */
export interface RunSummaryMemo {
  optimizedCost: number | null;
  baselineCost: number | null;
  savings: number | null;
  savingsPercent: number | null;
  peakKw: number | null;
  jobs: number | null;
  unscheduled: number | null;
}

export interface OptimizeHeartbeat {
  phase: 'building' | 'solving';
  elapsedMs: number;
  incumbent: number | null;
  bound: number | null;
  gap: number | null;
  /** The incumbent plan, encoded (see `encodePlan`): a restarted attempt resumes from it. */
  plan: number[] | null;
}

/** What the optimize activity tells its workflow while it solves (shown by the progress query). */
export interface SolverProgress {
  elapsedMs: number;
  incumbent: number | null;
  bound: number | null;
  gap: number | null;
}

/** Signal the optimize activity sends its workflow every few seconds while the solver improves. */
export const SOLVER_PROGRESS_SIGNAL = 'solverProgress';
