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
