/**
 * Classic job-shop instances in makespan mode (routes as finish-to-start chains, one heater per
 * machine, 1-minute slots): checks routes, precedence and the makespan objective against the known
 * optima. Prints figures; asserts nothing.
 *
 *   npm run bench:jobshop                      # ft06, la01, la05 at 60 s
 *   npm run bench:jobshop -- --limit 20 --only ft06
 */
import Table from 'cli-table3';
import { Command } from 'commander';
import { solvePlan } from '../activities/optimize/solve.ts';
import { jobShopRequest, readJobShop } from '../examples/jobshop.ts';
import { problemFromRequest } from '../test/support/problem.ts';

const INSTANCES = ['ft06', 'la01', 'la05'];

const opts = new Command()
  .option('--limit <seconds>', 'time limit per instance', '60')
  .option('--only <name>', 'only this instance')
  .parse()
  .opts<{ limit: string; only?: string }>();

const table = new Table({ head: ['instance', 'operations', 'columns', 'rows', 'makespan', 'optimum', 'bound', 'status', 'seconds'] });
for (const name of INSTANCES.filter((n) => !opts.only || n === opts.only)) {
  const instance = readJobShop(new URL(`./instances/jobshop/${name}.txt`, import.meta.url));
  const problem = problemFromRequest(jobShopRequest(instance));
  process.stderr.write(`${name}: solving with a ${opts.limit} s limit…\n`);
  const t0 = performance.now();
  const plan = await solvePlan(problem, { timeLimitSeconds: Number(opts.limit), mipGap: 0 });
  const seconds = (performance.now() - t0) / 1000;
  const minutes = (hours: number | null) => (hours === null ? '-' : String(Math.round(hours * 60 * 1000) / 1000));
  table.push([
    name,
    problem.schedule.jobs.length,
    plan.solver.columns,
    plan.solver.rows,
    minutes(plan.solver.objective),
    instance.optimum ?? '?',
    minutes(plan.solver.bound),
    plan.solver.status + (plan.unscheduled.length ? ` (${plan.unscheduled.length} unplaced)` : ''),
    seconds.toFixed(1),
  ]);
}
console.log(table.toString());
