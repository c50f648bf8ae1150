import type { PlanLedger, RunCost } from '../../domain/cost.ts';
import { dec, type DecimalString } from '../../domain/decimal.ts';

/** Display only: stored figures are exact decimals; these round them (half-even) and group thousands. */
export function grouped(x: DecimalString | number, digits: number): string {
  const fixed = dec(x).toFixed(digits);
  const [whole, fraction] = fixed.replace('-', '').split('.');
  const sign = fixed.startsWith('-') && /[1-9]/.test(fixed) ? '-' : '';
  return sign + whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (fraction ? `.${fraction}` : '');
}

export const money = (x: DecimalString | number, currency: string) => `${currency} ${grouped(x, 2)}`;
export const kw = (x: DecimalString | number) => `${grouped(x, 1)} kW`;
export const kwh = (x: DecimalString | number) => `${grouped(x, 0)} kWh`;
export const percent = (x: DecimalString | number | null, digits = 1) => (x === null ? 'n/a' : `${grouped(x, digits)} %`);

const CAUSE_LABELS = {
  time_of_use_shift: 'Time-of-use shift',
  equipment_choice: 'Equipment and fuel choice',
  peak_shaving: 'Peak shaving',
  startups: 'Start-ups',
  unmatched_work: 'Jobs only one plan runs',
} as const;

export const causeLabel = (cause: keyof typeof CAUSE_LABELS) => CAUSE_LABELS[cause];

type Totals = PlanLedger['totals'];
const BILL: [string, keyof Totals][] = [
  ['Heating electricity', 'electricCost'],
  ['Fuel', 'fuelCost'],
  ['Start-ups', 'startupCost'],
  ['Hot standby', 'standbyCost'],
  ['Base load energy', 'baseLoadCost'],
  ['Demand charges', 'demandCharge'],
  ['Fixed charges', 'fixedCharge'],
];

/** The bill's components (they add up to the total) in the order every report lists them; hot standby only where a plan pays any. */
export function billComponents(...plans: Totals[]): [string, keyof Totals][] {
  return BILL.filter(([, key]) => key !== 'standbyCost' || plans.some((t) => !dec(t.standbyCost).isZero()));
}

/** A run's energy (electricity or fuel) alone: its cost less its start-up and the hot standby before it. */
export const runEnergyCost = (r: RunCost): string =>
  dec(r.cost)
    .minus(r.startup.cost)
    .minus(r.standby?.cost ?? 0)
    .toFixed();
