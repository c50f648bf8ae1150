import { apiOptionsFromEnv, type ApiOptions } from '../api/config.ts';
import { assertBindable, createApi, listenApi } from '../api/server.ts';
import { openDb } from '../db/client.ts';
import { readEnv } from '../infra/config.ts';
import { startStack, type Stack } from '../infra/stack.ts';
import { connectClient, forwardWorkerLogs, interruption, note, say } from './common.ts';

/** `serve`: the stack, both workers under supervision and the HTTP API, until SIGINT/SIGTERM/SIGHUP. */
export async function serveCommand(opts: { port?: string; solverWorkers?: number; workers: boolean }): Promise<number> {
  const interrupted = interruption();
  try {
    const env = readEnv();
    const options = apiOptionsFromEnv(env);
    assertBindable(env.API_HOST, options.auth); // before starting anything
    const stack = await startStack({
      workers: opts.workers,
      solverConcurrency: opts.solverWorkers,
      log: note,
      workerLog: forwardWorkerLogs(0),
    });
    try {
      const at = { host: env.API_HOST, port: opts.port ? Number(opts.port) : env.PORT };
      if (!interrupted.received()) await serveApi(stack, at, options, interrupted.promise);
      return 0;
    } finally {
      note('stopping the API, the workers (they drain), Temporal and Postgres');
      await stack.stop();
      note('stopped');
    }
  } catch (err) {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    interrupted.dispose();
  }
}

/** The HTTP API until `until` resolves. */
async function serveApi(stack: Stack, at: { host: string; port: number }, options: ApiOptions, until: Promise<void>): Promise<void> {
  const db = openDb(stack.databaseUrl);
  try {
    const { connection, client } = await connectClient(stack);
    try {
      const temporalUi = stack.uiUrl ? { url: stack.uiUrl, namespace: stack.namespace } : undefined;
      const app = createApi({ db: db.db, pool: db.pool, client, connection }, { ...options, temporalUi });
      const server = await listenApi(app, { ...at, auth: options.auth });
      say(
        `HeatScheduler API on http://${at.host}:${at.port}/api (liveness /healthz, readiness /readyz); web page on /, API docs on /docs/`,
      );
      if (options.auth.mode === 'open')
        say('No authentication configured: open to anyone on this machine, loopback only (set AUTH_JWT_SECRET or AUTH_JWKS_URL).');
      if (stack.uiUrl) say(`Temporal UI: ${stack.uiUrl}`);
      await until;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    } finally {
      await connection.close();
    }
  } finally {
    await db.close();
  }
}
