import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRequest } from '../../examples/generate.ts';
import { freePort } from '../../infra/ports.ts';
import { runRow, startTestPipeline, waitFor, type TestPipeline } from '../support/pipeline.ts';
import { startSmtp } from '../support/smtp.ts';

describe('e-mail delivery', () => {
  let p: TestPipeline;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    p = await startTestPipeline({ SMTP_URL: `smtp://127.0.0.1:${port}` });
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
      expect(smtp.messages[0].subject).toContain('gen-3');
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
