import express, { type Request, type Response } from 'express';
import type { Client, Connection } from '@temporalio/client';
import type pg from 'pg';
import type { Db } from '../db/client.ts';
import { loadArtefact, loadRun, verifyRunChain } from '../runs/read.ts';
import { submitRun } from '../runs/submit.ts';
import { progressQuery } from '../workflows/optimization-run.ts';

export interface ApiDeps {
  db: Db;
  pool: pg.Pool;
  client: Client;
  connection: Connection;
}

export function createApi({ db, pool, client, connection }: ApiDeps) {
  const app = express();
  app.use(express.text({ type: ['application/json', 'text/*'], limit: '50mb' }));

  /** Liveness of the two things every request needs. */
  app.get('/health', async (_req, res) => {
    const checks = {
      database: await pool.query('select 1').then(
        () => 'ok',
        (e: Error) => `down: ${e.message}`,
      ),
      temporal: await connection.healthService.check({}).then(
        () => 'ok',
        (e: Error) => `down: ${e.message}`,
      ),
    };
    const ok = Object.values(checks).every((c) => c === 'ok');
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', checks });
  });

  /** Submits a run: 202 with its id; validation happens in the pipeline and shows in the run's status. */
  app.post('/runs', async (req: Request, res: Response) => {
    if (typeof req.body !== 'string' || req.body.length === 0) {
      res.status(400).json({ error: { code: 'E001', message: 'body must be a run request (Content-Type: application/json)' } });
      return;
    }
    const { runId } = await submitRun(db, client, { content: req.body, format: 'json', tenantId: req.header('x-tenant-id') ?? undefined });
    res.status(202).location(`/runs/${runId}`).json({ runId, status: 'PENDING' });
  });

  app.get('/runs/:runId', async (req, res) => {
    const run = /^[0-9a-f-]{36}$/.test(req.params.runId) ? await loadRun(db, req.params.runId) : undefined;
    if (!run) {
      res.status(404).json({ error: { code: 'NOT_FOUND', message: `no run ${req.params.runId}` } });
      return;
    }
    const progress = await client.workflow
      .getHandle(run.runId)
      .query(progressQuery)
      .catch(() => null);
    res.json({ run, progress });
  });

  app.get('/runs/:runId/chain', async (req, res) => {
    res.json(await verifyRunChain(db, req.params.runId));
  });

  app.get('/runs/:runId/report', async (req, res) => {
    const artefact = await loadArtefact(
      db,
      req.params.runId,
      req.accepts(['text/plain', 'application/json']) === 'application/json' ? 'report.json' : 'report.txt',
    );
    if (!artefact) {
      res.status(404).json({ error: { code: 'NOT_FOUND', message: 'no report yet' } });
      return;
    }
    res.type(artefact.contentType).send(artefact.content);
  });

  return app;
}
