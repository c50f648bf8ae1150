import { readFileSync } from 'node:fs';
import type { ShopProblem } from '../activities/optimize/tabu.ts';
import type { RunRequestInput } from '../domain/run-request.ts';

export interface JobShopInstance {
  name: string;
  /** Per job, its operations in route order: [machine, duration]. */
  jobs: [number, number][][];
  machines: number;
  /** Known optimal makespan, from the file's comment line. */
  optimum?: number;
}

/** Reads an instance in the OR-Library format: `jobs machines`, then one line of `machine duration` pairs per job. */
export function readJobShop(path: string | URL): JobShopInstance {
  const lines = readFileSync(path, 'utf8').split('\n');
  const comment = lines.find((l) => l.startsWith('#')) ?? '';
  const data = lines.filter((l) => l.trim() && !l.startsWith('#')).map((l) => l.trim().split(/\s+/).map(Number));
  const [jobCount, machines] = data[0];
  const jobs = data
    .slice(1, 1 + jobCount)
    .map((row) => Array.from({ length: row.length / 2 }, (_, k) => [row[2 * k], row[2 * k + 1]] as [number, number]));
  const optimum = /optimal makespan (\d+)/.exec(comment)?.[1];
  return {
    name: comment.replace(/^#\s*/, '').split(/[\s:(]/)[0] || String(path),
    jobs,
    machines,
    optimum: optimum ? Number(optimum) : undefined,
  };
}

/**
 * The instance as a HeatScheduler day in makespan mode: one heater per machine, one job per
 * operation (1 time unit = 1 minute on a 1-minute grid, run on its machine only), and each
 * operation a finish-to-start successor of the one before it on its route.
 */
export function jobShopRequest(instance: JobShopInstance, settings: RunRequestInput['settings'] = {}): RunRequestInput {
  const day = '2026-03-02';
  const heater = (m: number) => `M${m}`;
  const jobs = instance.jobs.flatMap((route, j) =>
    route.map(([machine, duration], k) => ({
      id: `J${j}-${k}`,
      product: `job ${j}`,
      quantity: 1,
      unit: 'op',
      heatingKwh: (50 * duration) / 60, // 50 kW on a 100 kW machine for `duration` minutes
      durationMinutes: duration,
      earliestStart: `${day}T00:00:00Z`,
      deadline: `${day}T23:59:00Z`,
      allowedEquipment: [heater(machine)],
      predecessors: k === 0 ? [] : [{ jobId: `J${j}-${k - 1}`, type: 'finish_to_start' as const, lagMinutes: 0 }],
    })),
  );
  return {
    schedule: { tenant: 'bench', site: instance.name, scheduleDate: day, timeZone: 'UTC', jobs },
    tariff: {
      name: 'flat',
      timeZone: 'UTC',
      currency: 'USD',
      effectiveDate: '2026-01-01',
      periods: [{ start: '00:00', end: '00:00', energyRate: 0.1, category: 'off-peak' }],
    },
    equipment: Array.from({ length: instance.machines }, (_, m) => ({
      id: heater(m),
      name: `Machine ${m}`,
      type: 'electric' as const,
      capacityKw: 100,
      efficiency: 1,
    })),
    settings: { slotMinutes: 1, objective: 'minimize_makespan', ...settings },
  };
}

/**
 * The instance as a shop for the tabu search (activities/optimize/tabu.ts): operations job by job
 * in route order, each route a chain of finish-to-start arcs, any start from 0 to the sum of all
 * durations (no schedule without idle time is longer).
 */
export function shopOfJobShop(instance: JobShopInstance, objective: ShopProblem['objective'] = 'makespan'): ShopProblem {
  const horizon = instance.jobs.flat().reduce((sum, [, duration]) => sum + duration, 0);
  const anyStart = Int32Array.from({ length: horizon + 1 }, (_, t) => t);
  const operations: ShopProblem['operations'] = [];
  const arcs: ShopProblem['arcs'] = [];
  for (const route of instance.jobs)
    route.forEach(([machine, duration], k) => {
      if (k > 0) arcs.push({ from: operations.length - 1, to: operations.length, delay: route[k - 1][1] });
      operations.push({ machine, duration, starts: anyStart });
    });
  return { operations, machineCount: instance.machines, arcs, objective };
}
