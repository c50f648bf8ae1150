import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { money } from '../../activities/report/format.ts';
import { generateRequest } from '../../examples/generate.ts';
import { runRow, startTestPipeline, type TestPipeline } from '../support/pipeline.ts';
import { startSlack, type TestSlack } from '../support/slack.ts';

const SLACK_TOKEN = 'xoxb-run-summary-test';

describe('the run summary on Slack (an HTTP server speaking Slack’s Web API)', () => {
  let p: TestPipeline;
  let slack: TestSlack;

  beforeAll(async () => {
    slack = await startSlack(SLACK_TOKEN);
    p = await startTestPipeline({
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_API_URL: slack.url,
      SLACK_RUN_SUMMARY_CHANNELS: 'C0OPS', // the site's operations channel gets every run's summary
      PUBLIC_BASE_URL: 'https://heat.plant.example',
      ALERT_LINK_SECRET: 'an-alert-link-secret-of-more-than-32-characters',
    });
  });
  afterAll(async () => {
    await p?.close();
    await slack?.stop();
  });

  const notifications = async (runId: string) =>
    (
      await p.db.execute<{ recipient: string; status: string; attempts: number }>(
        sql`select recipient, status, attempts from notifications where run_id = ${runId} and channel = 'slack' order by recipient`,
      )
    ).rows;

  it('posts once to each channel, after a 429 as Slack asks; a channel Slack refuses is recorded and does not hold the others', async () => {
    slack.script('C0PLANNERS', { status: 429, retryAfter: 2 });
    slack.script('C0GONE', { error: 'channel_not_found' });
    const request = generateRequest({ seed: 4, jobs: 5, heaters: 2, timeLimitSeconds: 5 });
    const runId = await p.submit({ ...request, notify: { email: [], slack: ['C0PLANNERS', 'C0GONE'] } });
    await p.client.workflow.getHandle(runId).result();
    expect((await runRow(p, runId)).status).toBe('SUCCESS');
    const outcome = (await p.client.workflow.getHandle(`${runId}-notify`).result()) as { slack: unknown };
    expect(outcome.slack).toEqual({
      status: 'sent',
      channels: ['C0PLANNERS', 'C0OPS'],
      refused: [{ channel: 'C0GONE', reason: expect.stringContaining('channel_not_found') }],
    });

    const posts = slack.posts.filter((m) => m.channel === 'C0PLANNERS');
    expect(posts).toHaveLength(1);
    const calls = slack.calls.filter((c) => c.channel === 'C0PLANNERS');
    expect(calls.map((c) => c.answer)).toEqual([JSON.stringify({ status: 429, retryAfter: 2 }), 'ok']);
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(2000); // Retry-After honoured

    // The message carries the report's own figures and the link to the run's page.
    const stored = await p.db.execute<{ content: Buffer }>(
      sql`select content from artefacts where run_id = ${runId} and kind = 'report.json'`,
    );
    const doc = JSON.parse(stored.rows[0].content.toString('utf8')) as {
      optimized: { total: string };
      baseline: { total: string };
      currency: string;
    };
    const [post] = posts;
    expect(post.text).toContain('Heating plan for');
    const body = JSON.stringify(post.blocks);
    expect(body).toContain(money(doc.optimized.total, doc.currency));
    expect(body).toContain(money(doc.baseline.total, doc.currency));
    expect(body).toContain(`https://heat.plant.example/#/runs/${runId}`);
    expect(slack.posts.filter((m) => m.channel === 'C0OPS')).toHaveLength(1);
    expect(await notifications(runId)).toEqual([
      { recipient: 'C0GONE', status: 'FAILED', attempts: 1 },
      { recipient: 'C0OPS', status: 'SENT', attempts: 1 },
      { recipient: 'C0PLANNERS', status: 'SENT', attempts: 2 },
    ]);
  });
});
