import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { money } from '../../activities/report/format.ts';
import { generateRequest } from '../../examples/generate.ts';
import { freePort } from '../../infra/ports.ts';
import { runRow, startTestPipeline, waitFor, type TestPipeline } from '../support/pipeline.ts';
import { startSmtp } from '../support/smtp.ts';

describe('e-mail delivery', () => {
  let p: TestPipeline;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    p = await startTestPipeline({
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      PUBLIC_BASE_URL: 'https://heat.plant.example',
      ALERT_LINK_SECRET: 'an-alert-link-secret-of-more-than-32-characters',
    });
  });

  afterAll(async () => {
    await p?.close();
  });

  const attemptsOf = async (runId: string) =>
    (await p.db.execute<{ status: string; attempts: number }>(sql`select status, attempts from notifications where run_id = ${runId}`))
      .rows[0];

  it('an SMTP server that is down at first gets the e-mail once it is back, exactly once', async () => {
    const request = generateRequest({ seed: 3, jobs: 5, heaters: 2, timeLimitSeconds: 5 });
    const runId = await p.submit({ ...request, notify: { email: ['ops@plant.example'] } });
    // The notify activity fails while nothing listens on the port...
    await waitFor('a failed delivery attempt', async () => {
      const row = await attemptsOf(runId);
      return row && row.attempts >= 1 ? row : undefined;
    });
    expect((await attemptsOf(runId)).status).toBe('RETRYING');
    // The run does not wait for the delivery, which goes on in a workflow of its own...
    await p.client.workflow.getHandle(runId).result();
    expect((await runRow(p, runId)).status).toBe('SUCCESS');
    // ...and succeeds on a later retry once the server is up.
    const smtp = await startSmtp(port);
    try {
      await p.client.workflow.getHandle(`${runId}-notify`).result();
      expect(smtp.messages).toHaveLength(1);
      const [mail] = smtp.messages;
      expect(mail.subject).toContain('gen-3');
      // Both parts: the text report (and the run's link), and the HTML summary with the same figures.
      const report = await p.db.execute<{ content: Buffer }>(
        sql`select content from artefacts where run_id = ${runId} and kind = 'report.txt'`,
      );
      const text = report.rows[0].content.toString('utf8');
      expect(mail.text).toBe(`${text}\nThe run: https://heat.plant.example/#/runs/${runId}\n`);
      const doc = (
        await p.db.execute<{ content: Buffer }>(sql`select content from artefacts where run_id = ${runId} and kind = 'report.json'`)
      ).rows[0].content.toString('utf8');
      const { optimized, baseline, rows, currency } = JSON.parse(doc) as {
        optimized: { total: string };
        baseline: { total: string };
        rows: { jobId: string }[];
        currency: string;
      };
      const html = mail.html || '';
      expect(html).toContain(
        `Cost of the plan</th><td style="border:1px solid #ccc;padding:2px 6px;text-align:right">${money(optimized.total, currency)}<`,
      );
      expect(html).toContain(`>${money(baseline.total, currency)}<`);
      expect(html.match(/<tr><td /g)).toHaveLength(rows.length);
      for (const row of rows) expect(html).toContain(`>${row.jobId}</td>`);
      expect(html).toContain(`<a href="https://heat.plant.example/#/runs/${runId}">Open the run</a>`);
      expect(mail.attachments.map((a) => a.filename)).toContain('report.pdf');
      const row = await attemptsOf(runId);
      expect(row.status).toBe('SENT');
      expect(row.attempts).toBeGreaterThanOrEqual(2);
    } finally {
      await smtp.stop();
    }
  });

  it('a run without recipients completes without mailing anyone', async () => {
    const runId = await p.submit(generateRequest({ seed: 4, jobs: 3, heaters: 2, timeLimitSeconds: 5 }));
    await p.client.workflow.getHandle(runId).result();
    const result = await p.client.workflow.getHandle(`${runId}-notify`).result();
    expect(result.email).toEqual({ status: 'skipped', recipients: [], reason: 'the request names no e-mail recipients' });
    expect(await attemptsOf(runId)).toBeUndefined();
  });
});
