import type { ReportInput } from './input.ts';
import { heading, MUTED, paragraph, table, type Doc } from './pdf-layout.ts';

/** The last page: the hash chain that covers every figure, and how the figures were computed. */
export function provenancePage(doc: Doc, { runId, chain }: ReportInput) {
  heading(doc, 'Provenance');
  paragraph(
    doc,
    `Every figure in this report comes from the stored outputs of run ${runId}. Each step's output is stored with a SHA-256 hash over its parents' hashes, its name and its output, so a changed figure breaks the chain. Check it with: heatscheduler verify ${runId}`,
  );
  doc.moveDown(0.5);
  table(
    doc,
    [
      { header: 'Step', width: 0.12 },
      { header: 'SHA-256', width: 0.58 },
      { header: 'Parents', width: 0.3 },
    ],
    chain.map((link) => [link.step, link.hash, link.parents.map((p) => `${p.slice(0, 16)}…`).join('\n') || '–']),
  );
  heading(doc, 'How the figures are computed', 11);
  for (const line of [
    'Money and energy are exact decimals: inputs as written, every product or quotient held to 10 decimal places, sums exact; the report rounds for display only (half to even).',
    'Electricity per slot = heat of the slot / efficiency (COP) in force × the slot’s rate; fuel = heat / efficiency × price; one cold start per run.',
    'Savings by cause price the plan step by step: the baseline; the baseline heaters at the plan’s starts (time-of-use shift); the plan’s heaters (equipment and fuel choice); the plan’s peaks (peak shaving); start-ups apart. The parts add up to the total.',
    'The baseline is first-come-first-served: jobs by priority and earliest start, each as early as possible on the first free heater, every operating rule kept; tariffs play no part.',
  ]) {
    paragraph(doc, `• ${line}`, { size: 8.5, colour: MUTED });
  }
}
