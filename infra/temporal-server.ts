import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { devServerSearchAttributeArgs } from './search-attributes.ts';
import { ensureTemporalBinary } from './temporal-binary.ts';

export interface TemporalDevServer {
  address: string;
  pid: number;
  uiUrl: string;
  namespace: string;
  stop(): Promise<void>;
}

/** Whether a Temporal frontend answers at `address`. */
export async function isTemporalReachable(address: string, timeoutMs = 1500): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: timeoutMs });
    try {
      await connection.withDeadline(Date.now() + timeoutMs, () => connection.healthService.check({}));
      return true;
    } finally {
      await connection.close();
    }
  } catch {
    return false;
  }
}

/** Starts `temporal server start-dev` with its history in a SQLite file under `dataDir`. */
export async function startTemporalDevServer(opts: {
  dataDir: string;
  port?: number;
  uiPort?: number;
  headless?: boolean;
  namespace?: string;
  log?: (m: string) => void;
}): Promise<TemporalDevServer> {
  const binary = await ensureTemporalBinary(opts.log);
  const port = opts.port ?? 7233;
  const uiPort = opts.uiPort ?? port + 1000;
  const namespace = opts.namespace ?? 'default';
  await mkdir(opts.dataDir, { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--db-filename',
    join(opts.dataDir, 'temporal.sqlite'),
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--ui-port',
    String(uiPort),
    '--namespace',
    namespace,
    '--log-level',
    'error',
    ...devServerSearchAttributeArgs(),
  ];
  if (opts.headless) args.push('--headless');
  // Its own process group: a Ctrl+C meant for the parent stops it through the parent, after the workers.
  const child = spawn(binary, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-8000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const address = `127.0.0.1:${port}`;

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`temporal server exited with ${child.exitCode}: ${stderr}`);
    if (await namespaceReady(address, namespace)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`temporal server did not answer on ${address} within 60 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  return {
    address,
    pid: child.pid!,
    uiUrl: `http://127.0.0.1:${uiPort}`,
    namespace,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function namespaceReady(address: string, namespace: string): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: 1000 });
    try {
      await connection.workflowService.describeNamespace({ namespace });
      return true;
    } finally {
      await connection.close();
    }
  } catch {
    return false;
  }
}
