import type { Db } from '../../db/client.ts';
import { storeArtefact } from '../../db/repositories/artefacts.ts';
import { loadStepOutput } from '../../db/repositories/steps.ts';
import type { CostAnalysis } from '../../domain/cost.ts';
import { canonicalJson } from '../../domain/hashing.ts';
import type { OptimizedSchedule } from '../../domain/plan.ts';
import type { StepRef } from '../../domain/pipeline.ts';
import { loadProblem, type ProblemRefs } from '../problem.ts';
import { runStep } from '../run-step.ts';
import { buildReportDocument } from './document.ts';
import { renderTextReport } from './text.ts';

export function reportActivities(db: Db) {
  return {
    /** Agent 6: the report document (JSON) and its text summary, stored as artefacts of the run. */
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
        load: async () => ({
          problem: await loadProblem(db, runId, refs),
          plan: await loadStepOutput<OptimizedSchedule>(db, runId, optimize),
          analysis: await loadStepOutput<CostAnalysis>(db, runId, cost),
        }),
        compute: ({ problem, plan, analysis }) => buildReportDocument(problem, plan, analysis, cost.hash),
        tenant: ({ problem }) => problem.schedule.tenant,
        record: async (tx, { input: { problem }, output: doc }) => {
          const owner = { runId, tenantId: problem.schedule.tenant };
          await storeArtefact(tx, { ...owner, kind: 'report.json', contentType: 'application/json', content: canonicalJson(doc) });
          await storeArtefact(tx, {
            ...owner,
            kind: 'report.txt',
            contentType: 'text/plain; charset=utf-8',
            content: renderTextReport(doc),
          });
        },
      });
    },
  };
}
