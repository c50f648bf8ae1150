import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import Long from 'long';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/ports.ts';
import { ensureSearchAttributes, searchAttributeCommands } from '../../infra/search-attributes.ts';
import { startTemporalDevServer, type TemporalDevServer } from '../../infra/temporal-server.ts';

/** Registration on a namespace created without them, as on a cluster the product did not start. */
describe('the run search attributes on a namespace', () => {
  let server: TemporalDevServer;
  let connection: Connection;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hs-sa-'));
    server = await startTemporalDevServer({ dataDir: dir, port: await freePort(), uiPort: await freePort(), headless: true });
    connection = await Connection.connect({ address: server.address });
    await connection.workflowService.registerNamespace({
      namespace: 'bare',
      workflowExecutionRetentionPeriod: { seconds: Long.fromNumber(86_400) },
    });
  });

  afterAll(async () => {
    await connection?.close();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('the dev server starts with them; a bare namespace gets the missing ones once, then nothing', async () => {
    expect(await ensureSearchAttributes(connection.operatorService, 'default')).toEqual([]);
    const added = await ensureSearchAttributes(connection.operatorService, 'bare');
    expect(added.sort()).toEqual([
      'HeatSchedulerObjective',
      'HeatSchedulerOutcome',
      'HeatSchedulerScheduleDate',
      'HeatSchedulerSite',
      'HeatSchedulerTenant',
    ]);
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'bare' });
    expect(Object.keys(customAttributes!)).toEqual(expect.arrayContaining(added));
    expect(await ensureSearchAttributes(connection.operatorService, 'bare')).toEqual([]);
  });

  it('a namespace it cannot reach is refused with the commands that would register them', async () => {
    await expect(ensureSearchAttributes(connection.operatorService, 'no-such-namespace')).rejects.toThrow(
      /temporal operator search-attribute create --namespace no-such-namespace --name HeatSchedulerTenant --type Keyword/,
    );
    expect(searchAttributeCommands('x').split('\n')).toHaveLength(5);
  });
});
