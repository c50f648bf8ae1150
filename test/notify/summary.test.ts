import { describe, expect, it } from 'vitest';
import { buildReportDocument } from '../../activities/report/document.ts';
import { narrate } from '../../activities/report/narrative.ts';
import { renderTextReport } from '../../activities/report/text.ts';
import { headlineFigures, runSummaryMail, runSummarySlack } from '../../activities/notify/summary.ts';
import { plantDayInput } from '../report/fixture.ts';

const HOSTILE = '<img src=x onerror=alert(1)> & "Co"';

async function plantDay() {
  const input = plantDayInput();
  const doc = buildReportDocument(input, await narrate(input), input.chain.at(-1)!.hash);
  const files = [
    { kind: 'report.txt', contentType: 'text/plain; charset=utf-8', content: Buffer.from(renderTextReport(doc)) },
    { kind: 'report.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.7') },
  ];
  return { input, doc, files };
}

describe('the run summary e-mail', () => {
  it('headline figures: cost, baseline, savings and share, the peak against its limit (the plant day: USD 672.11 against 882.81, peak 265.7 of 700 kW)', async () => {
    const { doc } = await plantDay();
    expect(Object.fromEntries(headlineFigures(doc))).toEqual({
      'Cost of the plan': 'USD 672.11',
      'First-come-first-served baseline': 'USD 882.81',
      Savings: 'USD 210.70 (23.9 %)',
      Peak: '265.7 kW of a 700.0 kW limit',
    });
  });

  it('HTML and text parts, the PDF attached, the run linked when the public address is known', async () => {
    const { input, doc, files } = await plantDay();
    const mail = runSummaryMail(input.problem.schedule, doc, files, 'https://heat.plant.example/#/runs/r-1');
    expect(mail.subject).toBe('HeatScheduler plant-1 2026-11-24: saves USD 210.70 (23.9 %)');
    expect(mail.text).toBe(`${files[0].content.toString()}\nThe run: https://heat.plant.example/#/runs/r-1\n`);
    expect(mail.attachments.map((a) => a.filename)).toEqual(['report.pdf']);
    for (const figure of ['USD 672.11', 'USD 882.81', 'USD 210.70 (23.9 %)', '700.0 kW limit']) expect(mail.html).toContain(figure);
    // One table row per assignment, each with its job, heater and cost.
    expect(mail.html.match(/<tr><td /g)).toHaveLength(doc.rows.length);
    const first = doc.rows[0];
    expect(mail.html).toContain(`>${first.jobId}</td>`);
    expect(mail.html).toContain(`>${first.equipmentName}</td>`);
    expect(mail.html).toContain('<a href="https://heat.plant.example/#/runs/r-1">Open the run</a>');
    expect(mail.html).toContain('The full report is attached (PDF).');
    expect(mail.html).not.toContain('Not scheduled');

    const unlinked = runSummaryMail(input.problem.schedule, doc, files.slice(0, 1), null);
    expect(unlinked.text).toBe(files[0].content.toString());
    expect(unlinked.html).not.toContain('Open the run');
    expect(unlinked.html).not.toContain('attached');
  });

  it('escapes plant data (job ids, products, reasons, warnings) in the HTML part', async () => {
    const { input, doc, files } = await plantDay();
    doc.rows[0] = { ...doc.rows[0], jobId: `J-1${HOSTILE}`, product: HOSTILE };
    doc.unscheduled = [{ jobId: `J-9${HOSTILE}`, reason: `no heater for ${HOSTILE}` }];
    doc.warnings = [{ severity: 'warning', text: `1 job(s) not scheduled: J-9${HOSTILE}` }];
    const { html } = runSummaryMail(input.problem.schedule, doc, files, null);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Co&quot;');
    expect(html).toContain('<h3>Not scheduled</h3><ul><li>J-9&lt;img');
    expect(html).toContain('<h3>Warnings</h3><ul><li>1 job(s) not scheduled: J-9&lt;img');
  });
});

describe('the run summary on Slack', () => {
  it('a header with the saving, the headline figures as fields, the jobs left out escaped, the run linked', async () => {
    const { input, doc } = await plantDay();
    const left = { ...doc, unscheduled: [{ jobId: HOSTILE, reason: 'no heater <b>free</b>' }] };
    const { text, blocks } = runSummarySlack(input.problem.schedule, left, 'https://heat.plant.example/#/runs/r1');
    expect(text).toBe('Heating plan for plant-1 on 2026-11-24: saves USD 210.70 (23.9 %)');
    const [header, figures, notes, actions] = blocks as { type: string; text?: { text: string }; fields?: { text: string }[] }[];
    expect(header).toMatchObject({ type: 'header', text: { text } });
    expect(figures.fields!.map((f) => f.text)).toEqual([
      '*Cost of the plan*\nUSD 672.11',
      '*First-come-first-served baseline*\nUSD 882.81',
      '*Savings*\nUSD 210.70 (23.9 %)',
      '*Peak*\n265.7 kW of a 700.0 kW limit',
      '*Jobs*\n14 scheduled, 1 not scheduled',
    ]);
    expect(notes.text!.text).toBe('Not scheduled: &lt;img src=x onerror=alert(1)&gt; &amp; "Co" (no heater &lt;b&gt;free&lt;/b&gt;)');
    expect(actions).toMatchObject({ type: 'actions', elements: [{ url: 'https://heat.plant.example/#/runs/r1' }] });
  });
});
