import { z } from 'zod';

const MINUTE_MS = 60_000;

/**
 * Energy prices per interval from a market or a utility's real-time/day-ahead tariff, at any
 * resolution (5, 15, 60 min …). Prices are per kWh in the tariff's currency and may be negative.
 */
export const PriceSeriesSchema = z
  .object({
    kind: z.enum(['real_time', 'day_ahead']),
    /** Where the prices come from (market, node, feed), for the report. */
    source: z.string().max(200).optional(),
    /** Start of the first interval (with its UTC offset). */
    start: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with its offset, e.g. 2026-11-24T00:00:00-06:00' }),
    intervalMinutes: z.number().int().min(1).max(1440),
    prices: z.array(z.number().min(-100).max(100)).min(1).max(200_000),
    /**
     * replace: a slot's energy rate is the series price; add: the price adds to the period's
     * energy rate (a market price with the utility's delivery charges on top).
     */
    combine: z.enum(['replace', 'add']).default('replace'),
  })
  .strict();
export type PriceSeriesInput = z.input<typeof PriceSeriesSchema>;
export type PriceSeries = z.output<typeof PriceSeriesSchema>;

const startMs = (series: PriceSeries) => Date.parse(series.start);
export const seriesEndMs = (series: PriceSeries) => startMs(series) + series.prices.length * series.intervalMinutes * MINUTE_MS;

/**
 * The time-weighted average price over [fromMs, toMs): each interval counts for the time it
 * overlaps, so a slot inside one interval gets that price exactly. Undefined where the series
 * does not cover the whole span.
 */
export function averagePrice(series: PriceSeries, fromMs: number, toMs: number): number | undefined {
  const origin = startMs(series);
  const width = series.intervalMinutes * MINUTE_MS;
  if (fromMs < origin || toMs > seriesEndMs(series) || toMs <= fromMs) return undefined;
  const first = Math.floor((fromMs - origin) / width);
  const last = Math.ceil((toMs - origin) / width) - 1;
  if (first === last) return series.prices[first];
  let weighted = 0;
  for (let k = first; k <= last; k++) {
    const overlap = Math.min(toMs, origin + (k + 1) * width) - Math.max(fromMs, origin + k * width);
    weighted += series.prices[k] * overlap;
  }
  return weighted / (toMs - fromMs);
}

/** The part of the series that overlaps [fromMs, toMs) (whole intervals), to store with a run. */
export function seriesWithin(series: PriceSeries, fromMs: number, toMs: number): PriceSeries {
  const origin = startMs(series);
  const width = series.intervalMinutes * MINUTE_MS;
  const first = Math.max(0, Math.floor((fromMs - origin) / width));
  const last = Math.min(series.prices.length, Math.ceil((toMs - origin) / width));
  return {
    ...series,
    start: new Date(origin + first * width).toISOString(),
    prices: series.prices.slice(first, Math.max(first + 1, last)),
  };
}
