/**
 * Solver benchmark: a seeded family of plant days, each solved at two time limits, with model
 * size, time to the first plan, cost, bound, gap, the FIFO baseline and the ratio to the best plan
 * ever found for the instance (kept in bench/solver-results.json). Prints figures; asserts nothing.
 *
 *   npm run bench:solver                 # 10, 50, 200 and 500 jobs at 10 s and 60 s
 *   npm run bench:solver -- --limits 5,20 --only 50
 *   npm run bench:solver -- --deterministic   # bounded by work (settings.deterministic); prints the seconds each run took
 *   npm run bench:solver -- --profile --only 200   # the best plan at 5, 10, 30, 60 s, idle and beside a busy loop
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import Table from 'cli-table3';
import { Command } from 'commander';
import { costStatement } from '../activities/cost/statement.ts';
import { constructPlan } from '../activities/optimize/construct.ts';
import { buildMilp } from '../activities/optimize/milp.ts';
import { solvePlan, workBudgetFor } from '../activities/optimize/solve.ts';
import { generateRequest, type InstanceSpec } from '../examples/generate.ts';
import { problemFromRequest } from '../test/support/problem.ts';

/** `limits` overrides the command line's for one instance (the 2,000-job week has a 120 s target). */
const FAMILY: (InstanceSpec & { limits?: number[] })[] = [
  { seed: 101, jobs: 10, heaters: 3, utilisation: 0.3, windows: 'tight' },
  { seed: 102, jobs: 50, heaters: 5, utilisation: 0.5, windows: 'loose' },
  { seed: 106, jobs: 50, heaters: 5, utilisation: 0.4, windows: 'loose', rules: true },
  { seed: 103, jobs: 200, heaters: 8, utilisation: 0.6, windows: 'loose', peakLimitKw: 900 },
  { seed: 104, jobs: 500, heaters: 12, utilisation: 0.6, windows: 'tight' },
  { seed: 105, jobs: 2000, heaters: 50, days: 7, utilisation: 0.6, windows: 'tight', limits: [120] },
];

/** Seconds at which `--profile` reads the best plan so far. */
const PROFILE_AT = [5, 10, 30, 60];
const RESULTS = new URL('./solver-results.json', import.meta.url);
const keyOf = (s: InstanceSpec) =>
  `seed${s.seed}-j${s.jobs}-h${s.heaters}${s.days && s.days > 1 ? `-d${s.days}` : ''}-u${s.utilisation}-${s.windows}${s.peakLimitKw ? `-L${s.peakLimitKw}` : ''}${s.rules ? '-rules' : ''}`;

const program = new Command()
  .option('--limits <seconds>', 'time limits to solve at, comma-separated', '10,60')
  .option('--only <jobs>', 'only the instance with this many jobs')
  .option(
    '--deterministic',
    'bound each run by the work budget of its time limit instead of the clock (the time limit stays a safety stop)',
  )
  .option(
    '--profile',
    'one run per instance at the largest limit: the best plan at 5, 10, 30 and 60 s, on an idle core and beside a busy loop',
  )
  .option('--rules', 'with --only 50: the every-rule day only')
  .parse();
const opts = program.opts<{ limits: string; only?: string; deterministic?: boolean; profile?: boolean; rules?: boolean }>();
const defaultLimits = opts.limits.split(',').map(Number);
const allLimits = [...new Set([...defaultLimits, ...FAMILY.flatMap((s) => s.limits ?? [])])].sort((a, b) => a - b);
const best: Record<string, number> = JSON.parse(readFileSync(RESULTS, 'utf8'));
const chosen = FAMILY.filter((s) => (!opts.only || s.jobs === Number(opts.only)) && (!opts.rules || s.rules));
if (opts.profile) {
  await printProfiles(chosen);
  process.exit(0);
}

const table = new Table({
  head: [
    'instance',
    'columns',
    'rows',
    'nonzeros',
    'first plan s',
    ...allLimits.map((l) => `cost @${l}s`),
    'bound',
    'gap %',
    'FIFO cost',
    'peak kW',
    'vs best',
  ],
});
for (const spec of chosen) {
  const problem = problemFromRequest(generateRequest(spec));
  const t0 = performance.now();
  const { milp, context } = buildMilp(problem);
  const start = constructPlan(problem, context, milp);
  const firstPlanSeconds = (performance.now() - t0) / 1000;
  const costs: string[] = [];
  let last;
  for (const limit of allLimits) {
    if (!(spec.limits ?? defaultLimits).includes(limit)) {
      costs.push('-');
      continue;
    }
    process.stderr.write(`${keyOf(spec)}: solving with a ${limit} s limit…\n`);
    const solveStart = performance.now();
    last = await solvePlan(problem, {
      timeLimitSeconds: limit,
      mipGap: 0,
      workBudget: opts.deterministic ? workBudgetFor(limit) : undefined,
    });
    const took = opts.deterministic
      ? ` in ${((performance.now() - solveStart) / 1000).toFixed(1)} s${last.solver.status === 'time_limit' ? ' (time limit)' : ''}`
      : '';
    costs.push(last.solver.objective!.toFixed(2) + (last.unscheduled.length ? ` (${last.unscheduled.length} unplaced)` : '') + took);
  }
  const plan = last!;
  // Same objective terms as the solver: total bill minus base-load energy and fixed charges.
  const analysis = costStatement(problem, plan);
  const fifo = analysis.baseline.totals;
  const unplaced = analysis.baselineUnscheduled.length;
  const fifoObjective = `${(Number(fifo.total) - Number(fifo.baseLoadCost) - Number(fifo.fixedCharge)).toFixed(2)}${unplaced ? ` (${unplaced} unplaced)` : ''}`;
  const key = keyOf(spec);
  best[key] = Math.min(best[key] ?? Infinity, plan.solver.objective!);
  table.push([
    key,
    plan.solver.columns,
    plan.solver.rows,
    plan.solver.nonzeros,
    start ? firstPlanSeconds.toFixed(2) : 'none',
    ...costs,
    plan.solver.bound?.toFixed(2) ?? '-',
    plan.solver.gap === null ? '-' : (plan.solver.gap * 100).toFixed(2),
    fifoObjective,
    plan.peakKw.toFixed(1),
    (plan.solver.objective! / best[key]).toFixed(4),
  ]);
}
writeFileSync(RESULTS, JSON.stringify(best, null, 2) + '\n');
console.log(table.toString());

/** The best complete plan's cost at each of PROFILE_AT seconds of one solve, from its progress reports. */
async function profileOf(spec: InstanceSpec): Promise<(number | null)[]> {
  const problem = problemFromRequest(generateRequest(spec));
  const plans: { at: number; cost: number }[] = [];
  await solvePlan(problem, { timeLimitSeconds: Math.max(...PROFILE_AT), mipGap: 0 }, (p) => {
    if (p.plan && p.incumbent !== undefined) plans.push({ at: p.elapsedMs / 1000, cost: p.incumbent });
  });
  return PROFILE_AT.map((t) => {
    const costs = plans.filter((p) => p.at <= t).map((p) => p.cost);
    return costs.length ? Math.min(...costs) : null;
  });
}

/** Each instance on an idle core, then beside a process that keeps the other core busy (one solver thread). */
async function printProfiles(specs: InstanceSpec[]): Promise<void> {
  const table = new Table({
    head: ['instance', 'machine', ...PROFILE_AT.map((t) => `cost @${t} s`), 'best known', 'gap @10 s %', 'gap @60 s %'],
    style: { head: [], border: [] },
  });
  for (const spec of specs)
    for (const busy of [false, true]) {
      process.stderr.write(`${keyOf(spec)}: profile${busy ? ' beside a busy loop' : ''}…\n`);
      const loop = busy ? spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }) : null;
      const costs = await profileOf(spec).finally(() => loop?.kill());
      const known = best[keyOf(spec)];
      const gap = (c: number | null) => (c === null || !known ? '-' : ((100 * (c - known)) / known).toFixed(2));
      table.push([
        keyOf(spec),
        busy ? 'other core busy' : 'idle core',
        ...costs.map((c) => c?.toFixed(2) ?? 'none'),
        known?.toFixed(2) ?? '-',
        gap(costs[1]),
        gap(costs[3]),
      ]);
    }
  console.log(table.toString());
}
