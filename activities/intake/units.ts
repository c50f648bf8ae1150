/** Physical dimensions a value may be given in, and the canonical unit of each. */
export type Dimension = 'energy' | 'power' | 'duration' | 'temperature' | 'fraction';

export const CANONICAL_UNIT: Record<Dimension, string> = {
  energy: 'kWh',
  power: 'kW',
  duration: 'min',
  temperature: '°C',
  fraction: 'fraction',
};

type Conversion = (value: number) => number;
const scale =
  (factor: number): Conversion =>
  (v) =>
    v * factor;

/** Unit spellings (lower case, letters and digits only) to canonical units. */
const UNITS: Record<Dimension, Record<string, Conversion>> = {
  energy: {
    kwh: scale(1),
    wh: scale(0.001),
    mwh: scale(1000),
    gwh: scale(1e6),
    kj: scale(1 / 3600),
    mj: scale(1 / 3.6),
    gj: scale(1000 / 3.6),
    btu: scale(0.000293071070172222),
    kbtu: scale(0.293071070172222),
    mmbtu: scale(293.071070172222),
    therm: scale(29.3071070172222),
    therms: scale(29.3071070172222),
    thm: scale(29.3071070172222),
  },
  power: { kw: scale(1), w: scale(0.001), mw: scale(1000) },
  duration: {
    min: scale(1),
    mins: scale(1),
    minute: scale(1),
    minutes: scale(1),
    h: scale(60),
    hr: scale(60),
    hrs: scale(60),
    hour: scale(60),
    hours: scale(60),
    s: scale(1 / 60),
    sec: scale(1 / 60),
    seconds: scale(1 / 60),
    ms: scale(1 / 60000),
    d: scale(1440),
    day: scale(1440),
    days: scale(1440),
  },
  temperature: {
    c: scale(1),
    degc: scale(1),
    celsius: scale(1),
    f: (v) => ((v - 32) * 5) / 9,
    degf: (v) => ((v - 32) * 5) / 9,
    fahrenheit: (v) => ((v - 32) * 5) / 9,
    k: (v) => v - 273.15,
    kelvin: (v) => v - 273.15,
  },
  fraction: { fraction: scale(1), pct: scale(0.01), percent: scale(0.01) },
};

/** `°C`, `MWh`, `%` → `c`, `mwh`, `pct`: the key the tables use. */
export function unitKey(unit: string): string {
  return unit
    .toLowerCase()
    .replace(/%/g, 'pct')
    .replace(/[^a-z0-9]/g, '');
}

export function isUnitOf(dimension: Dimension, unit: string): boolean {
  return Object.hasOwn(UNITS[dimension], unitKey(unit));
}

export function knownUnits(dimension: Dimension): string[] {
  return Object.keys(UNITS[dimension]);
}

/** The value in the dimension's canonical unit, or undefined when the unit is not one of it. */
export function toCanonicalUnit(dimension: Dimension, value: number, unit: string): number | undefined {
  const convert = UNITS[dimension][unitKey(unit)];
  return Object.hasOwn(UNITS[dimension], unitKey(unit)) ? convert(value) : undefined;
}
