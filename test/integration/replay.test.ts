import { readFileSync, writeFileSync } from 'node:fs';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { defaultPayloadConverter } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OptimizationRunInput } from '../../workflows/optimization-run.ts';
import { readEnv } from '../../infra/config.ts';
import { WORKFLOWS_PATH } from '../../workers/common.ts';
import { startTestPipeline, type TestPipeline } from '../support/pipeline.ts';

const FIXTURE = new URL('../fixtures/optimization-run.history.json', import.meta.url);
const example = JSON.parse(readFileSync(new URL('../../examples/plant-day.json', import.meta.url), 'utf8'));

/**
 * Replays workflow histories against today's workflow code: a change that would break the
 * determinism of runs already in flight fails here instead of in production.
 */
describe('workflow replay', () => {
  let p: TestPipeline;

  beforeAll(async () => {
    p = await startTestPipeline();
  });

  afterAll(async () => {
    await p?.close();
  });

  it('replays the checked-in history of a recorded run', async () => {
    // Recorded with RECORD_HISTORY=1; re-record only after an intended, versioned workflow change.
    if (readEnv().RECORD_HISTORY) {
      const runId = await p.submit(example);
      await p.client.workflow.getHandle(runId).result();
      const history = await p.client.workflow.getHandle(runId).fetchHistory();
      writeFileSync(FIXTURE, historyToJSON(history) + '\n');
    }
    const history = historyFromJSON(JSON.parse(readFileSync(FIXTURE, 'utf8')));
    expect(history.events!.length).toBeGreaterThan(20);
    // The workflow id is the run id, which the workflow also receives as input (it names the notify child).
    const [input] = history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads!;
    const { runId } = defaultPayloadConverter.fromPayload<OptimizationRunInput>(input as never);
    await Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH }, history, runId);
  });

  it('replays a run recorded just now, child workflow included', async () => {
    const runId = await p.submit(example);
    await p.client.workflow.getHandle(runId).result();
    for (const id of [runId, `${runId}-notify`]) {
      const history = await p.client.workflow.getHandle(id).fetchHistory();
      await Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH }, history, id);
    }
  });
});
