import { PROGRESS_STEPS, type ProgressStep, type SolverProgress } from '../domain/pipeline.ts';

export type StepState = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';

export interface RunProgress {
  runId: string;
  currentStep: ProgressStep | null;
  steps: Record<ProgressStep, StepState>;
  percent: number;
  status: 'RUNNING' | 'SUCCESS' | 'FAILED' | 'CANCELLED';
  error?: string;
  /** The solver's latest incumbent, bound and gap, as the optimize activity reported them. */
  solver?: SolverProgress;
}

/** Share of the run's usual duration each step takes; the solve dominates. */
const WEIGHTS: Record<ProgressStep, number> = { intake: 5, tariff: 5, equipment: 5, optimize: 60, cost: 10, report: 10, notify: 5 };

/** Workflow-side bookkeeping behind the progress query. Pure state: safe in workflow code. */
export class ProgressTracker {
  private readonly steps = Object.fromEntries(PROGRESS_STEPS.map((s) => [s, 'pending'])) as Record<ProgressStep, StepState>;
  private status: RunProgress['status'] = 'RUNNING';
  private error?: string;
  private solver?: SolverProgress;

  constructor(
    private readonly runId: string,
    /** Told when a step starts (the run's current details in Temporal UI). */
    private readonly onStep: (step: ProgressStep) => void = () => {},
  ) {}

  async track<T>(step: ProgressStep, work: () => Promise<T>): Promise<T> {
    this.steps[step] = 'running';
    this.onStep(step);
    try {
      const result = await work();
      this.steps[step] = 'done';
      return result;
    } catch (err) {
      this.steps[step] = 'failed';
      throw err;
    }
  }

  solverProgress(p: SolverProgress): void {
    this.solver = p;
  }

  finish(status: RunProgress['status'], error?: string): void {
    this.status = status;
    this.error = error;
    if (status === 'CANCELLED') for (const s of PROGRESS_STEPS) if (this.steps[s] !== 'done') this.steps[s] = 'cancelled';
  }

  snapshot(): RunProgress {
    const total = PROGRESS_STEPS.reduce((sum, s) => sum + WEIGHTS[s], 0);
    const done = PROGRESS_STEPS.filter((s) => this.steps[s] === 'done').reduce((sum, s) => sum + WEIGHTS[s], 0);
    const current = PROGRESS_STEPS.find((s) => this.steps[s] === 'running') ?? null;
    return {
      runId: this.runId,
      currentStep: current,
      steps: { ...this.steps },
      percent: Math.round((100 * done) / total),
      status: this.status,
      error: this.error,
      solver: this.solver,
    };
  }
}
