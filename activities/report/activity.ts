import type { Db } from '../../db/client.ts';
import { storeArtefact } from '../../db/repositories/artefacts.ts';
import { loadChainLinks, loadStepOutput } from '../../db/repositories/steps.ts';
import type { CostStatement } from '../../domain/cost.ts';
import type { OptimizedSchedule } from '../../domain/plan.ts';
import type { StepRef } from '../../domain/pipeline.ts';
import { loadProblem, type ProblemRefs } from '../problem.ts';
import { runStep } from '../run-step.ts';
import { buildReportDocument } from './document.ts';
import { renderReportFiles } from './files.ts';
import type { ReportInput } from './input.ts';
import { narrate } from './narrative.ts';

export function reportActivities(db: Db) {
  return {
    /** Agent 6: the report document (JSON) and its files (text, PDF, XLSX, CSV), stored as artefacts of the run. */
    async buildReport({
      runId,
      optimize,
      cost,
      ...refs
    }: { runId: string; optimize: StepRef; cost: StepRef } & ProblemRefs): Promise<StepRef> {
      return runStep(db, {
        runId,
        step: 'report',
        parents: [cost.hash],
        load: async (): Promise<ReportInput> => ({
          runId,
          problem: await loadProblem(db, runId, refs),
          plan: await loadStepOutput<OptimizedSchedule>(db, runId, optimize),
          cost: await loadStepOutput<CostStatement>(db, runId, cost),
          chain: (await loadChainLinks(db, runId)).filter((link) => link.step !== 'report'),
        }),
        compute: async (input) => buildReportDocument(input, await narrate(input), cost.hash),
        tenant: ({ problem }) => problem.schedule.tenant,
        record: async (tx, { input, output: doc }) => {
          const owner = { runId, tenantId: input.problem.schedule.tenant };
          for (const file of await renderReportFiles(input, doc)) await storeArtefact(tx, { ...owner, ...file });
        },
      });
    },
  };
}
