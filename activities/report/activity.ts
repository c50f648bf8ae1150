import type { Db } from '../../db/client.ts';
import { artefacts } from '../../db/schema.ts';
import type { CostAnalysis } from '../../domain/cost.ts';
import { canonicalJson, sha256Hex } from '../../domain/hashing.ts';
import type { OptimizedSchedule } from '../../domain/plan.ts';
import type { StepRef } from '../../domain/pipeline.ts';
import type { Tx } from '../../db/client.ts';
import { withDomainFailures } from '../failures.ts';
import { loadProblem, type ProblemRefs } from '../problem.ts';
import { findStep, loadStepOutput, recordStep } from '../steps.ts';
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
      return withDomainFailures(async () => {
        const done = await findStep(db, runId, 'report');
        if (done) return done;
        const problem = await loadProblem(db, runId, refs);
        const plan = await loadStepOutput<OptimizedSchedule>(db, runId, optimize);
        const analysis = await loadStepOutput<CostAnalysis>(db, runId, cost);
        const doc = buildReportDocument(problem, plan, analysis, cost.hash);
        const tenantId = problem.schedule.tenant;
        return recordStep(db, { runId, tenantId, step: 'report', parents: [cost.hash], output: doc }, async (tx) => {
          await storeArtefact(tx, { runId, tenantId, kind: 'report.json', contentType: 'application/json', content: canonicalJson(doc) });
          await storeArtefact(tx, {
            runId,
            tenantId,
            kind: 'report.txt',
            contentType: 'text/plain; charset=utf-8',
            content: renderTextReport(doc),
          });
        });
      });
    },
  };
}

export async function storeArtefact(
  tx: Tx,
  a: { runId: string; tenantId: string; kind: string; contentType: string; content: string | Buffer },
): Promise<void> {
  const content = typeof a.content === 'string' ? Buffer.from(a.content, 'utf8') : a.content;
  await tx
    .insert(artefacts)
    .values({
      runId: a.runId,
      tenantId: a.tenantId,
      kind: a.kind,
      contentType: a.contentType,
      content,
      sha256: sha256Hex(content),
      sizeBytes: content.length,
    })
    .onConflictDoNothing();
}
