import { describe, expect, it } from 'vitest';
import { narrate } from '../../activities/report/narrative.ts';
import { renderPdf } from '../../activities/report/pdf.ts';
import { dec } from '../../domain/decimal.ts';
import { plantDayWithEconomics } from './fixture.ts';
import { pdfPages, pdftoppm, renderPagePng } from './pdf-text.ts';

const input = plantDayWithEconomics();
const render = async () => renderPdf(input, await narrate(input));

/** Every decimal figure of the cost statement, rounded to cents as the report shows them (and their magnitudes). */
function statementCents(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) out.add(dec(value).abs().toFixed(2));
  else if (Array.isArray(value)) value.forEach((v) => statementCents(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => statementCents(v, out));
  return out;
}

describe('the PDF report', () => {
  it('is the same bytes for the same run', async () => {
    const [a, b] = [await render(), await render()];
    expect(a.equals(b)).toBe(true);
    expect(a.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('has the summary, the charts, the cost tables and the provenance, as text', async () => {
    const pages = await pdfPages(await render());
    expect(pages).toHaveLength(5);
    const [summary, schedule, costs, more, provenance] = pages;
    expect(summary).toContain('Heating plan for plant-1');
    expect(summary).toContain('Tuesday 24 November 2026');
    for (const figure of ['USD 672.11', 'USD 882.81', 'USD 210.70', '265.7 kW', '23.9 %']) expect(summary).toContain(figure);
    for (const cause of ['Time-of-use shift', 'Equipment and fuel choice', 'Peak shaving', 'Start-ups']) expect(summary).toContain(cause);
    expect(summary).toContain('46.47'); // peak shaving: the baseline's demand charge 46.47 − the plan's 0
    expect(summary).toContain('Demand charges'); // the cost chart's axis, drawn as vector text
    expect(schedule).toContain('HTR-003 Gas boiler 3'); // a Gantt row
    expect(schedule).toContain('maintenance');
    expect(schedule).toContain('contractual limit 700 kW');
    expect(costs).toContain('Cost per job (plan)');
    expect(costs).toContain('Annealing batch B');
    expect(more + costs).toContain('CO2 of heating');
    expect(more).toContain('Annual projection');
    expect(more).toContain('Every job is scheduled.');
    expect(provenance).toContain('heatscheduler verify run-plant-day');
    for (const link of input.chain) expect(provenance.replace(/\s/g, '')).toContain(link.hash);
    expect(provenance).toContain('Page 5 of 5');
  });

  it('shows only money figures that are in the cost statement', async () => {
    const text = (await pdfPages(await render())).join('\n');
    const shown = [...text.matchAll(/USD ([\d,]+\.\d\d)/g)].map((m) => m[1].replace(/,/g, ''));
    expect(shown.length).toBeGreaterThan(10);
    const known = statementCents(input.cost);
    expect(shown.filter((x) => !known.has(dec(x).toFixed(2)))).toEqual([]);
  });

  it.skipIf(!pdftoppm())('renders its first page to a PNG (pdftoppm)', async () => {
    const png = renderPagePng(await render(), 1);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(414); // A4 at 50 dpi: 8.27 in wide
    expect(png.length).toBeGreaterThan(20_000); // text, boxes and a chart, not a blank page
  });
});
