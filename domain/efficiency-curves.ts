import { z } from 'zod';
import type { Equipment } from './equipment.ts';

const isoInstant = () => z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with offset or Z' });

/** Efficiency (COP for a heat pump) at a fraction of capacityKw. */
export const PartLoadPointSchema = z
  .object({ loadFraction: z.number().gt(0, 'must be above 0').max(1, 'must be at most 1'), efficiency: z.number().positive() })
  .strict();

/** A heat pump's COP at an outdoor temperature, °C. */
export const CopPointSchema = z.object({ outdoorC: z.number().min(-60).max(60), cop: z.number().positive() }).strict();

/** The outdoor temperature forecast over an interval (its resolution is the interval's length: 1 h, 3 h, ...). */
export const OutdoorTemperatureSchema = z
  .object({ start: isoInstant(), end: isoInstant(), outdoorC: z.number().min(-60).max(60) })
  .strict()
  .refine((w) => Date.parse(w.end) > Date.parse(w.start), { path: ['end'], message: 'must be after start' })
  .transform((w) => ({ ...w, start: new Date(w.start).toISOString(), end: new Date(w.end).toISOString() }));

/** A forecast series: intervals in time order that do not overlap. */
export const OutdoorTemperatureSeriesSchema = z
  .array(OutdoorTemperatureSchema)
  .min(1)
  .superRefine((series, ctx) => {
    series.forEach((w, i) => {
      const before = series[i - 1];
      if (before && Date.parse(w.start) < Date.parse(before.end)) {
        ctx.addIssue({ code: 'custom', path: [i, 'start'], message: `must not be before the previous interval's end (${before.end})` });
      }
    });
  });
export type OutdoorTemperature = z.output<typeof OutdoorTemperatureSchema>;

/** Issues of a curve whose x values do not strictly rise (the curve must be a function of x). */
export function rising<T>(points: readonly T[], x: (p: T) => number, field: string, ctx: z.RefinementCtx, path: (string | number)[]) {
  points.forEach((p, i) => {
    if (i > 0 && x(p) <= x(points[i - 1])) {
      ctx.addIssue({ code: 'custom', path: [...path, i, field], message: `must be above the previous point's (${x(points[i - 1])})` });
    }
  });
}

/** Piecewise linear through the points (x rising), flat before the first and after the last. */
export function piecewiseLinear(points: readonly { x: number; y: number }[], x: number): number {
  if (x <= points[0].x) return points[0].y;
  const last = points[points.length - 1];
  if (x >= last.x) return last.y;
  const k = points.findIndex((p) => p.x > x);
  const [a, b] = [points[k - 1], points[k]];
  return a.y + ((b.y - a.y) * (x - a.x)) / (b.x - a.x);
}

/** The heater's efficiency window in force at instant `atMs` (the user's or the forecast's), if any. */
export function efficiencyWindowAt(heater: Pick<Equipment, 'efficiencyWindows'>, atMs: number) {
  return heater.efficiencyWindows.find((w) => Date.parse(w.start) <= atMs && atMs < Date.parse(w.end));
}

/** Efficiency of the heater running at `thermalKw`: from its part-load curve when it has one, else the nominal one. */
export function partLoadEfficiency(heater: Pick<Equipment, 'efficiency' | 'capacityKw' | 'partLoadCurve'>, thermalKw: number): number {
  if (!heater.partLoadCurve?.length) return heater.efficiency;
  const points = heater.partLoadCurve.map((p) => ({ x: p.loadFraction, y: p.efficiency }));
  return piecewiseLinear(points, thermalKw / heater.capacityKw);
}

type Window = Equipment['efficiencyWindows'][number];

/** The parts of [start, end) that no window covers. */
function uncovered(start: number, end: number, covered: readonly Window[]): [number, number][] {
  let parts: [number, number][] = end > start ? [[start, end]] : [];
  for (const w of covered) {
    const [ws, we] = [Date.parse(w.start), Date.parse(w.end)];
    parts = parts.flatMap(([s, e]): [number, number][] =>
      we <= s || ws >= e
        ? [[s, e]]
        : ([
            [s, Math.min(e, ws)],
            [Math.max(s, we), e],
          ].filter(([a, b]) => b > a) as [number, number][]),
    );
  }
  return parts;
}

/**
 * The heat pump's COP windows over [from, to) from its COP curve and the forecast; the windows the
 * heater already has (the user's) win where they overlap. Unchanged without a curve or a forecast.
 */
export function withForecastCop(
  heater: Equipment,
  forecast: readonly OutdoorTemperature[] | undefined,
  from: string,
  to: string,
): Equipment {
  if (!heater.copCurve?.length || !forecast?.length) return heater;
  const curve = heater.copCurve.map((p) => ({ x: p.outdoorC, y: p.cop }));
  const [lo, hi] = [Date.parse(from), Date.parse(to)];
  const derived = forecast.flatMap((f) => {
    const efficiency = piecewiseLinear(curve, f.outdoorC);
    const parts = uncovered(Math.max(Date.parse(f.start), lo), Math.min(Date.parse(f.end), hi), heater.efficiencyWindows);
    return parts.map(([s, e]) => ({ start: new Date(s).toISOString(), end: new Date(e).toISOString(), efficiency }));
  });
  const efficiencyWindows = [...heater.efficiencyWindows, ...derived].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  return { ...heater, efficiencyWindows };
}
