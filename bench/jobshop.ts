/**
 * Production mode on classic job shops: the tabu search the solver runs in makespan mode
 * (activities/optimize/tabu.ts), on ft10 and the Lawrence set la01-la40 (data in
 * bench/instances/jobshop/), with the gap to each known optimum, and OR-Tools CP-SAT (one worker,
 * a plain interval model: bench/cpsat_shop.py) beside it when Python is here: the bench installs
 * OR-Tools into .heatscheduler/bench-venv on first use. Then changeovers and weighted tardiness on
 * generated routes. Prints figures; asserts nothing.
 *
 *   npm run bench:jobshop                              # ft10, la01-la40 at 60 s each, then the generated shops
 *   npm run bench:jobshop -- --limit 10 --only la16,la17,ft10
 *   npm run bench:jobshop -- --product --only la01     # also the whole solver on the instance as a HeatScheduler day
 *   npm run bench:jobshop -- --only generated --limit 10   # only the generated shops
 *   npm run bench:jobshop -- --no-cpsat --no-generated
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { Command } from 'commander';
import prand from 'pure-rand';
import { solvePlan } from '../activities/optimize/solve.ts';
import { dispatchSequences, tabuSearch, type ShopProblem } from '../activities/optimize/tabu.ts';
import { jobShopRequest, readJobShop, shopOfJobShop } from '../examples/jobshop.ts';
import { problemFromRequest } from '../test/support/problem.ts';

const LAWRENCE = Array.from({ length: 40 }, (_, i) => `la${String(i + 1).padStart(2, '0')}`);
const INSTANCES = ['ft10', ...LAWRENCE];

const opts = new Command()
  .option('--limit <seconds>', 'time limit per instance and engine', '60')
  .option('--only <names>', 'only these instances, comma-separated')
  .option('--product', 'also solve each instance as a HeatScheduler day (solvePlan: tabu search, then the MILP for the bound)')
  .option('--no-cpsat', 'leave CP-SAT out')
  .option('--no-generated', 'leave out the generated shops with changeovers and due dates')
  .parse()
  .opts<{ limit: string; only?: string; product?: boolean; cpsat: boolean; generated: boolean }>();
const limit = Number(opts.limit);

interface EngineResult {
  value: number | null;
  bound?: number | null;
  status: string;
  seconds: number;
}

function runTabu(shop: ShopProblem): EngineResult {
  const t0 = performance.now();
  const result = tabuSearch(shop, dispatchSequences(shop), { iterations: Infinity, until: t0 + limit * 1000, seed: 0 })!;
  const proved = result.best.score.value <= (shop.objective === 'makespan' ? result.lowerBound : 0);
  return {
    value: result.best.score.overrun ? null : result.best.score.value,
    status: `${proved ? 'optimal' : 'time limit'} (${result.iterations.toLocaleString('en-US')} it.)`,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** Python with OR-Tools in .heatscheduler/bench-venv (created on first use), or null when that cannot be had. */
function cpsatPython(): string | null {
  const venv = fileURLToPath(new URL('../.heatscheduler/bench-venv', import.meta.url));
  const python = `${venv}/bin/python`;
  const hasOrTools = () => existsSync(python) && spawnSync(python, ['-c', 'import ortools']).status === 0;
  if (hasOrTools()) return python;
  process.stderr.write(`installing OR-Tools into ${venv}…\n`);
  const made = spawnSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
  if (made.status !== 0) return null;
  spawnSync(python, ['-m', 'pip', 'install', '--quiet', 'ortools'], { stdio: 'inherit' });
  return hasOrTools() ? python : null;
}

function runCpsat(python: string, shop: ShopProblem): EngineResult {
  const horizon = shop.operations.reduce((sum, op) => sum + op.duration, 0) * 2;
  const input = {
    ...shop,
    operations: shop.operations.map(({ machine, duration, starts, due, weight }) => ({
      machine,
      duration,
      release: starts[0],
      due,
      weight,
    })),
    horizon,
    seconds: limit,
    workers: 1,
  };
  const script = fileURLToPath(new URL('./cpsat_shop.py', import.meta.url));
  const out = spawnSync(python, [script], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 24 });
  if (out.status !== 0) return { value: null, status: `failed: ${out.stderr.trim().split('\n').pop()}`, seconds: 0 };
  return JSON.parse(out.stdout) as EngineResult;
}

async function runProduct(name: string): Promise<EngineResult> {
  const instance = readJobShop(new URL(`./instances/jobshop/${name}.txt`, import.meta.url));
  const problem = problemFromRequest(jobShopRequest(instance));
  const t0 = performance.now();
  const plan = await solvePlan(problem, { timeLimitSeconds: limit, mipGap: 0 });
  const minutes = (hours: number | null) => (hours === null ? null : Math.round(hours * 60));
  return {
    value: plan.unscheduled.length ? null : minutes(plan.solver.objective),
    bound: minutes(plan.solver.bound),
    status: plan.solver.status,
    seconds: (performance.now() - t0) / 1000,
  };
}

const gapPct = (value: number | null | undefined, best: number) => (value == null ? null : (100 * (value - best)) / Math.max(best, 1));
const show = (r: EngineResult | undefined, best: number) =>
  r ? [r.value ?? '-', gapPct(r.value, best)?.toFixed(2) ?? '-', `${r.status}, ${r.seconds.toFixed(1)} s`] : ['', '', ''];

/** Average and largest gap of each engine over a group of instances. */
function summarise(rows: { name: string; gaps: (number | null)[] }[], engines: string[]): string[] {
  const groups: [string, (n: string) => boolean][] = [
    ['la01-la20', (n) => n.startsWith('la') && Number(n.slice(2)) <= 20],
    ['la21-la40', (n) => n.startsWith('la') && Number(n.slice(2)) > 20],
    ['ft10', (n) => n === 'ft10'],
  ];
  const lines: string[] = [];
  for (const [group, member] of groups) {
    const inGroup = rows.filter((r) => member(r.name));
    if (!inGroup.length) continue;
    const parts = engines.map((engine, e) => {
      const gaps = inGroup.map((r) => r.gaps[e]).filter((g): g is number => g !== null);
      if (gaps.length < inGroup.length) return `${engine}: ${inGroup.length - gaps.length} without a plan`;
      const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
      return `${engine} mean ${mean.toFixed(2)} %, max ${Math.max(...gaps).toFixed(2)} %`;
    });
    lines.push(`${group} (${inGroup.length}): ${parts.join('; ')}`);
  }
  return lines;
}

async function classicInstances(python: string | null): Promise<void> {
  const names = opts.only ? opts.only.split(',').filter((n) => n !== 'generated') : INSTANCES;
  const engines = ['tabu', ...(python ? ['CP-SAT'] : []), ...(opts.product ? ['solver'] : [])];
  const head = ['instance', 'jobs × machines', 'optimum', ...engines.flatMap((e) => [e, `${e} gap %`, `${e} status`])];
  const table = new Table({ head, style: { head: [], border: [] } });
  const rows: { name: string; gaps: (number | null)[] }[] = [];
  for (const name of names.filter((n) => INSTANCES.includes(n) || n === 'ft06')) {
    const instance = readJobShop(new URL(`./instances/jobshop/${name}.txt`, import.meta.url));
    const shop = shopOfJobShop(instance);
    process.stderr.write(`${name}: ${engines.join(', ')} at ${limit} s…\n`);
    const results = [runTabu(shop)];
    if (python) results.push(runCpsat(python, shop));
    if (opts.product) results.push(await runProduct(name));
    const optimum = instance.optimum!;
    table.push([name, `${instance.jobs.length} × ${instance.machines}`, optimum, ...results.flatMap((r) => show(r, optimum))]);
    rows.push({ name, gaps: results.map((r) => gapPct(r.value, optimum)) });
  }
  console.log(table.toString());
  for (const line of summarise(rows, engines)) console.log(line);
}

interface GeneratedSpec {
  seed: number;
  jobs: number;
  machines: number;
  families: number;
  /** Due date of a job: its route's work × this. */
  tightness: number;
}

/**
 * Random routes (each job visits every machine once, in a random order, 1-99 slots each), a
 * product family per job with 5-25 slots of changeover between families on each machine, and a
 * due date and a weight (1, 2 or 4) on each job's last operation.
 */
function generatedShop(spec: GeneratedSpec, objective: ShopProblem['objective']): ShopProblem {
  const rng = prand.xoroshiro128plus(spec.seed);
  const int = (lo: number, hi: number) => prand.unsafeUniformIntDistribution(lo, hi, rng);
  const operations: ShopProblem['operations'] = [];
  const arcs: ShopProblem['arcs'] = [];
  const families: number[] = [];
  const horizon = spec.jobs * spec.machines * 99 * 2;
  const anyStart = Int32Array.from({ length: horizon + 1 }, (_, t) => t);
  for (let j = 0; j < spec.jobs; j++) {
    const order = [...Array(spec.machines).keys()];
    for (let k = order.length - 1; k > 0; k--) {
      const r = int(0, k);
      [order[k], order[r]] = [order[r], order[k]];
    }
    const family = int(0, spec.families - 1);
    const durations = order.map(() => int(1, 99));
    const work = durations.reduce((a, b) => a + b, 0);
    order.forEach((machine, k) => {
      if (k > 0) arcs.push({ from: operations.length - 1, to: operations.length, delay: durations[k - 1] });
      const last = k === order.length - 1;
      operations.push({
        machine,
        duration: durations[k],
        starts: anyStart,
        ...(last ? { due: Math.round(work * spec.tightness), weight: [1, 2, 4][int(0, 2)] } : {}),
      });
      families.push(family);
    });
  }
  const gap = Array.from({ length: spec.machines }, () =>
    Array.from({ length: spec.families }, (_, a) => Array.from({ length: spec.families }, (_, b) => (a === b ? 0 : int(5, 25)))),
  );
  return { operations, machineCount: spec.machines, arcs, families, gap, objective };
}

const GENERATED: GeneratedSpec[] = [
  { seed: 1, jobs: 10, machines: 5, families: 3, tightness: 1.6 },
  { seed: 2, jobs: 15, machines: 5, families: 3, tightness: 2.0 },
  { seed: 3, jobs: 10, machines: 10, families: 4, tightness: 1.6 },
  { seed: 4, jobs: 20, machines: 5, families: 4, tightness: 2.5 },
];

function generatedInstances(python: string | null): void {
  const table = new Table({
    head: ['shop', 'objective', 'tabu', 'tabu status', 'CP-SAT', 'CP-SAT bound', 'CP-SAT status', 'tabu vs CP-SAT %'],
    style: { head: [], border: [] },
  });
  for (const spec of GENERATED)
    for (const objective of ['makespan', 'tardiness'] as const) {
      const shop = generatedShop(spec, objective);
      const name = `g${spec.seed}: ${spec.jobs} × ${spec.machines}, ${spec.families} families`;
      process.stderr.write(`${name}, ${objective}…\n`);
      const tabu = runTabu(shop);
      const cpsat = python ? runCpsat(python, shop) : undefined;
      const versus = tabu.value !== null && cpsat?.value != null ? gapPct(tabu.value, cpsat.value)!.toFixed(2) : '-';
      table.push([
        name,
        objective === 'makespan' ? 'makespan, changeovers' : 'weighted tardiness, changeovers',
        tabu.value ?? '-',
        `${tabu.status}, ${tabu.seconds.toFixed(1)} s`,
        cpsat?.value ?? '-',
        cpsat?.bound ?? '-',
        cpsat ? `${cpsat.status}, ${cpsat.seconds.toFixed(1)} s` : 'not run',
        versus,
      ]);
    }
  console.log(table.toString());
}

const python = opts.cpsat ? cpsatPython() : null;
if (opts.cpsat && !python) process.stderr.write('CP-SAT left out: no python3 with venv and pip here\n');
const only = opts.only?.split(',');
if (!only || only.some((n) => n !== 'generated')) await classicInstances(python);
if (opts.generated && (!only || only.includes('generated'))) generatedInstances(python);
