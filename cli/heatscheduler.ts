import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { Command, InvalidArgumentError } from 'commander';
import { openDb } from '../db/client.ts';
import { dataDir } from '../infra/config.ts';
import { startDatabase, startStack, type Stack } from '../infra/stack.ts';
import { loadArtefact, loadRun, verifyRunChain } from '../runs/read.ts';
import { submitRun } from '../runs/submit.ts';
import { progressQuery } from '../workflows/optimization-run.ts';
import { runPipelineWorker } from '../workers/pipeline-worker.ts';
import { runSolverWorker } from '../workers/solver-worker.ts';
import { CONVERT_TARGETS, renderRequest, type ConvertTarget } from '../activities/intake/convert.ts';
import { readRunRequest, type IntakeRead } from '../activities/intake/registry.ts';
import { DomainError } from '../domain/errors.ts';
import type { RunProgress } from '../workflows/progress.ts';
import { connectClient, forwardWorkerLogs, interruption, note, say } from './common.ts';

function workflowUrl(stack: Stack, runId: string): string | null {
  return stack.uiUrl ? `${stack.uiUrl}/namespaces/${stack.namespace}/workflows/${runId}` : null;
}

/** Writes the run's PDF report and workbook under the data directory and says where. */
async function saveReportFiles(db: ReturnType<typeof openDb>['db'], runId: string) {
  const dir = join(dataDir(), 'reports', runId);
  mkdirSync(dir, { recursive: true });
  for (const [kind, label] of [
    ['report.pdf', 'PDF report'],
    ['report.xlsx', 'Workbook'],
  ]) {
    const file = await loadArtefact(db, runId, kind);
    if (!file) continue;
    writeFileSync(join(dir, kind), file.content);
    say(`${label}: ${join(dir, kind)}`);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads a file of any input format, or says why it cannot (E001, every problem with its place) and gives undefined. */
async function readInputFile(file: string, opts: { format?: string; client?: string }, verb: string): Promise<IntakeRead | undefined> {
  try {
    return await readRunRequest({ bytes: readFileSync(file), fileName: basename(file) }, { format: opts.format, clientId: opts.client });
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    say(`Cannot ${verb} ${file} (${err.code}): ${err.summary}`);
    for (const p of err.problems) say(`  - ${p.path}: ${p.message}`);
    return undefined;
  }
}

const describeRead = (file: string, read: IntakeRead) =>
  `${file}: ${read.format}, ${read.request.schedule.jobs.length} jobs, file sha256 ${read.sha256.slice(0, 12)}…, canonical ${read.canonicalHash.slice(0, 12)}…`;

async function runCommand(file: string, opts: { format?: string; client?: string; keepUi?: boolean }): Promise<number> {
  // Read before starting anything: a file intake refuses is reported at once, with its places.
  const read = await readInputFile(file, opts, 'run');
  if (!read) return 1;
  note(describeRead(file, read));
  const started = performance.now();
  const stack = await startStack({ workers: true, log: note, workerLog: forwardWorkerLogs(40) });
  const db = openDb(stack.databaseUrl);
  const { connection, client } = await connectClient(stack);
  try {
    const { runId } = await submitRun(db.db, client, {
      content: readFileSync(file),
      format: read.format,
      fileName: basename(file),
      tenantId: read.request.schedule.tenant,
    });
    say(`Run ${runId} started (${file})`);
    const handle = client.workflow.getHandle(runId);
    const poller = pollProgress(() => handle.query(progressQuery));
    let failed = false;
    try {
      await handle.result();
    } catch (err) {
      failed = true;
      reportFailure(err);
    } finally {
      await poller.stop();
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (!failed) {
      const report = await loadArtefact(db.db, runId, 'report.txt');
      say('');
      say(report.content.toString('utf8'));
      await saveReportFiles(db.db, runId);
      const run = await loadRun(db.db, runId);
      const chain = await verifyRunChain(db.db, runId);
      say(`Hash-chain head: ${run.outputHash} (${chain.ok ? 'verified' : `BROKEN at ${chain.step}: ${chain.reason}`})`);
      say(`Solver: ${run.solverStatus}, ${run.solverTimeSeconds?.toFixed(2)} s; end-to-end ${seconds} s`);
    }
    const url = workflowUrl(stack, runId);
    if (url) say(`Temporal UI: ${url}`);
    if (opts.keepUi && url) {
      say('Temporal and Postgres stay up for inspection; press Ctrl+C to stop.');
      const interrupted = interruption();
      await interrupted.promise;
      interrupted.dispose();
    }
    return failed ? 1 : 0;
  } finally {
    await connection.close();
    await db.close();
    await stack.stop();
  }
}

/** Prints a line whenever a step changes state, and whenever the solver reports a new incumbent or bound. */
function pollProgress(query: () => Promise<RunProgress>) {
  let last = '';
  let lastSolver = '';
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const p = await query();
        const line = Object.entries(p.steps)
          .map(([step, state]) => `${step}:${state}`)
          .join(' ');
        if (line !== last) {
          last = line;
          say(`[${String(p.percent).padStart(3)}%] ${p.currentStep ? `${p.currentStep}…` : p.status.toLowerCase()}  (${line})`);
        }
        const s = p.solver;
        const solverLine =
          s && s.incumbent !== null
            ? `       solver ${(s.elapsedMs / 1000).toFixed(0)} s: plan ${s.incumbent.toFixed(2)}${s.bound !== null ? `, bound ${s.bound.toFixed(2)}, gap ${((s.gap ?? 0) * 100).toFixed(1)} %` : ''}`
            : '';
        if (solverLine && solverLine !== lastSolver && p.currentStep === 'optimize') {
          lastSolver = solverLine;
          say(solverLine);
        }
      } catch {
        // The workflow may not have started its first task yet.
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}

function reportFailure(err: unknown) {
  let cause: unknown = err instanceof WorkflowFailedError ? err.cause : err;
  while (cause instanceof Error && !(cause instanceof ApplicationFailure) && cause.cause) cause = cause.cause;
  if (cause instanceof ApplicationFailure) {
    say(`Run failed: ${cause.type ?? 'error'}`);
    const details = cause.details?.[0] as { problems?: { path: string; message: string }[] } | undefined;
    if (details?.problems?.length) for (const p of details.problems) say(`  - ${p.path}: ${p.message}`);
    else say(`  ${cause.message}`);
  } else {
    say(`Run failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function verifyCommand(runId: string): Promise<number> {
  if (!UUID.test(runId)) {
    process.stderr.write(`error: "${runId}" is not a run id (run ids are UUIDs)\n`);
    return 2;
  }
  // The chain is in Postgres alone: Temporal is not needed (nor started).
  const database = await startDatabase(note);
  const db = openDb(database.databaseUrl);
  try {
    if (!(await loadRun(db.db, runId))) {
      process.stderr.write(`error: no run ${runId} in ${database.databaseUrl.replace(/\/\/[^@]*@/, '//')}\n`);
      return 1;
    }
    const verdict = await verifyRunChain(db.db, runId);
    say(
      verdict.ok
        ? `chain of run ${runId} verified; head ${verdict.head}`
        : `chain of run ${runId} BROKEN at ${verdict.step}: ${verdict.reason}`,
    );
    return verdict.ok ? 0 : 1;
  } finally {
    await db.close();
    await database.stop();
  }
}

/** A worker verb: runs until SIGINT/SIGTERM; a missing setting is an error message, not a stack trace. */
async function workerCommand(run: () => Promise<void>): Promise<number> {
  try {
    await run();
    return 0;
  } catch (err) {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number of at least 1, got "${value}"`);
  return n;
}

/** Reads a file of any input format and writes it as canonical JSON or the scheduler DTO; no services needed. */
async function convertCommand(file: string, opts: { to: string; format?: string; client?: string; output?: string }): Promise<number> {
  if (!(CONVERT_TARGETS as readonly string[]).includes(opts.to)) {
    say(`--to must be one of ${CONVERT_TARGETS.join(', ')}`);
    return 2;
  }
  const read = await readInputFile(file, opts, 'convert');
  if (!read) return 1;
  const text = renderRequest(read, opts.to as ConvertTarget, new Date());
  if (opts.output) writeFileSync(opts.output, text);
  else process.stdout.write(text);
  note(describeRead(file, read));
  return 0;
}

const program = new Command('heatscheduler').description('Schedules process-heating jobs at the lowest energy bill.');
program
  .command('run')
  .argument('<file>', 'a request in any input format (canonical JSON, legacy ERP JSON, CSV, XLSX, XML, scheduler DTO)')
  .option('--format <format>', 'input format (default: recognised from the content)')
  .option('--client <clientId>', 'a registered client whose profile names the format')
  .option('--keep-ui', 'keep the embedded Temporal UI and Postgres running afterwards')
  .action(async (file, opts) => {
    process.exitCode = await runCommand(file, opts);
  });
program
  .command('convert')
  .argument('<file>', 'a request in any input format (canonical JSON, legacy ERP JSON, CSV, XLSX, XML, scheduler DTO)')
  .option('--to <target>', `what to write: ${CONVERT_TARGETS.join(' or ')}`, 'json')
  .option('--format <format>', 'input format (default: recognised from the content)')
  .option('--client <clientId>', 'a registered client whose profile names the format')
  .option('-o, --output <file>', 'write here instead of stdout')
  .action(async (file, opts) => {
    process.exitCode = await convertCommand(file, opts);
  });
program
  .command('serve')
  .option('--port <port>', 'API port (default PORT or 8080)')
  .option('--solver-workers <n>', 'solves at once, one worker thread each (default: cores - 1)', positiveInteger)
  .option('--no-workers', 'the API alone; workers run elsewhere (`heatscheduler worker …`)')
  .action(async (opts) => {
    // Loaded here only: a worker machine never loads the API.
    const { serveCommand } = await import('./serve.ts');
    process.exitCode = await serveCommand(opts);
  });
program
  .command('verify')
  .argument('<runId>', 'run whose provenance chain to recompute')
  .action(async (runId) => {
    process.exitCode = await verifyCommand(runId);
  });
const worker = program
  .command('worker')
  .description('runs one worker alone against TEMPORAL_ADDRESS and DATABASE_URL, until SIGINT/SIGTERM (production: one per machine)');
worker
  .command('pipeline')
  .description('the workflows and every step but the solve')
  .action(async () => {
    process.exitCode = await workerCommand(() => runPipelineWorker());
  });
worker
  .command('solver')
  .description('the solve (HiGHS), one worker thread per solve')
  .option('--concurrency <n>', 'solves at once (default: HEATSCHEDULER_SOLVER_CONCURRENCY, else the cores minus one)', positiveInteger)
  .action(async (opts: { concurrency?: number }) => {
    process.exitCode = await workerCommand(() => runSolverWorker({ concurrency: opts.concurrency }));
  });

await program.parseAsync();
