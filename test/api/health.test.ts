import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createApi, listenApi } from '../../api/server.ts';
import { openDb, type DbHandle } from '../../db/client.ts';
import { testOptions } from './support.ts';

describe('liveness and readiness', () => {
  let connection: Connection;
  let handle: DbHandle;
  const namespace = `readyz-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    connection = await Connection.connect({ address: inject('temporalAddress') });
    handle = openDb(inject('databaseUrl'));
    // A namespace of its own, where no worker has ever polled: the answer cannot depend on other test files.
    // (protobufjs takes a number where the type says Long.)
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: { seconds: 86_400 as never } });
  });
  afterAll(async () => {
    await connection?.close();
    await handle?.close();
  });

  it('/healthz answers while /readyz is 503 and names the task queues without a live poller', async () => {
    const client = new Client({ connection, namespace });
    const options = testOptions();
    const server = await listenApi(
      createApi({ db: handle.db, pool: handle.pool, client, connection }, options, pino({ level: 'silent' })),
      {
        host: '127.0.0.1',
        port: 0,
        auth: options.auth,
      },
    );
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const live = await fetch(`${base}/healthz`);
      expect(live.status).toBe(200);
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({
        status: 'not ready',
        checks: {
          database: 'ok',
          temporal: 'ok',
          taskQueues: [
            { queue: 'heatscheduler-pipeline', type: 'workflow', livePollers: 0 },
            { queue: 'heatscheduler-pipeline', type: 'activity', livePollers: 0 },
            { queue: 'heatscheduler-solver', type: 'activity', livePollers: 0 },
          ],
        },
      });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
