import { canonicalJson } from '../../domain/hashing.ts';
import { renderAssignmentsCsv } from './csv.ts';
import type { ReportDocument } from './document.ts';
import type { ReportInput } from './input.ts';
import { renderPdf } from './pdf.ts';
import { renderTextReport } from './text.ts';
import { renderXlsx } from './xlsx.ts';

export interface ReportFile {
  kind: string;
  contentType: string;
  content: Buffer;
}

/** Every file of the report, each the same bytes for the same run. */
export async function renderReportFiles(input: ReportInput, doc: ReportDocument): Promise<ReportFile[]> {
  const utf8 = (text: string) => Buffer.from(text, 'utf8');
  return [
    { kind: 'report.json', contentType: 'application/json', content: utf8(canonicalJson(doc)) },
    { kind: 'report.txt', contentType: 'text/plain; charset=utf-8', content: utf8(renderTextReport(doc)) },
    { kind: 'report.pdf', contentType: 'application/pdf', content: await renderPdf(input, doc.narrative) },
    {
      kind: 'report.xlsx',
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      content: await renderXlsx(input),
    },
    { kind: 'assignments.csv', contentType: 'text/csv; charset=utf-8', content: utf8(renderAssignmentsCsv(input)) },
  ];
}
