/**
 * Load benchmark (issue 11): small runs through the HTTP API of a real `heatscheduler serve`
 * (a child process with its own embedded Temporal and Postgres, both workers): first N submitted
 * at once, then M back to back (each submitted when the one before has ended). Prints how many
 * completed, end-to-end times (POST sent → GET /api/runs/:id says it ended; polled every 200 ms)
 * and the peak resident memory of each process. Asserts nothing.
 *
 *   npm run bench:load
 *   npm run bench:load -- --concurrent 30 --sequential 100 --jobs 4
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import Table from 'cli-table3';
import { Command } from 'commander';
import { generateRequest } from '../examples/generate.ts';
import { descendants } from '../test/support/processes.ts';
import { serveStack, type ServeStack } from '../test/support/serve.ts';

const opts = new Command()
  .option('--concurrent <n>', 'runs submitted at once', '30')
  .option('--sequential <n>', 'runs submitted back to back', '100')
  .option('--jobs <n>', 'jobs per day', '4')
  .option('--limit <seconds>', 'solver time limit of each run', '5')
  .parse()
  .opts<{ concurrent: string; sequential: string; jobs: string; limit: string }>();
const log = (msg: string) => process.stderr.write(`${msg}\n`);
const ENDED = new Set(['completed', 'failed', 'cancelled']);
let seed = 1000;

interface Timed {
  status: string;
  seconds: number;
}

/** Posts one small day and polls its status until it has ended. */
async function oneRun(stack: ServeStack): Promise<Timed> {
  const request = generateRequest({ seed: ++seed, jobs: Number(opts.jobs), heaters: 2, timeLimitSeconds: Number(opts.limit) });
  const t0 = performance.now();
  const posted = await fetch(`${stack.apiBase}/api/runs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  if (posted.status !== 202) return { status: `HTTP ${posted.status}`, seconds: (performance.now() - t0) / 1000 };
  const { runId } = (await posted.json()) as { runId: string };
  for (;;) {
    const { status } = (await (await fetch(`${stack.apiBase}/api/runs/${runId}`)).json()) as { status: string };
    if (ENDED.has(status)) return { status, seconds: (performance.now() - t0) / 1000 };
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Which of serve's processes a pid is, by its command line. */
function processName(pid: number): string | undefined {
  let cmd: string;
  try {
    cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return undefined;
  }
  if (/ worker pipeline/.test(cmd)) return 'pipeline worker';
  if (/ worker solver/.test(cmd)) return 'solver worker';
  if (/start-dev/.test(cmd)) return 'Temporal dev server';
  if (/postgres/.test(cmd)) return 'Postgres (all its processes, summed)';
  if (/heatscheduler.* serve/.test(cmd)) return 'serve (API)';
  return undefined;
}

const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);

/** Samples the resident memory of serve and everything below it every 500 ms; the peaks per process. */
function sampleMemory(servePid: number) {
  const peaks = new Map<string, number>();
  const sample = () => {
    const now = new Map<string, number>();
    for (const pid of [servePid, ...descendants(servePid)]) {
      const name = processName(pid);
      if (!name) continue;
      try {
        now.set(name, (now.get(name) ?? 0) + rssKb(pid));
      } catch {
        // Gone while we looked.
      }
    }
    for (const [name, kb] of now) peaks.set(name, Math.max(peaks.get(name) ?? 0, kb));
  };
  const timer = setInterval(sample, 500);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peaks;
    },
  };
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

function row(phase: string, results: Timed[], wallSeconds: number) {
  const times = results.map((r) => r.seconds).sort((a, b) => a - b);
  const completed = results.filter((r) => r.status === 'completed').length;
  const other = results.filter((r) => r.status !== 'completed').map((r) => r.status);
  return [
    phase,
    `${completed}/${results.length}${other.length ? ` (${[...new Set(other)].join(', ')})` : ''}`,
    wallSeconds.toFixed(1),
    quantile(times, 0.5).toFixed(2),
    quantile(times, 0.95).toFixed(2),
    times[times.length - 1].toFixed(2),
  ];
}

const stack = await serveStack({ RATE_LIMIT_PER_MINUTE: '1000000', SUBMIT_RATE_LIMIT_PER_MINUTE: '1000000', LOG_LEVEL: 'error' });
const loadAtStart = loadavg();
try {
  log(`starting serve in ${stack.dir}`);
  const serve = await stack.start();
  const memory = sampleMemory(serve.child.pid!);
  const table = new Table({ head: ['phase', 'completed', 'wall s', 'p50 s', 'p95 s', 'max s'] });

  const concurrent = Number(opts.concurrent);
  log(`${concurrent} runs at once`);
  let t0 = performance.now();
  const atOnce = await Promise.all(Array.from({ length: concurrent }, () => oneRun(stack)));
  table.push(row(`${concurrent} at once`, atOnce, (performance.now() - t0) / 1000));

  const sequential = Number(opts.sequential);
  log(`${sequential} runs back to back`);
  t0 = performance.now();
  const inTurn: Timed[] = [];
  for (let i = 0; i < sequential; i++) inTurn.push(await oneRun(stack));
  table.push(row(`${sequential} back to back`, inTurn, (performance.now() - t0) / 1000));

  const peaks = memory.stop();
  console.log(`${opts.jobs}-job days on 2 heaters, ${opts.limit} s solver limit; ${availableParallelism()} × ${cpus()[0]?.model ?? 'CPU'}`);
  console.log(table.toString());
  const rss = new Table({ head: ['process', 'peak RSS MB'] });
  for (const [name, kb] of [...peaks].sort()) rss.push([name, (kb / 1024).toFixed(0)]);
  console.log(rss.toString());
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(', ');
  console.log(`load average (1, 5, 15 min): ${load(loadAtStart)} at the start, ${load(loadavg())} at the end`);
} finally {
  await stack.cleanup();
}
