import { Decimal } from 'decimal.js';
import { z } from 'zod';

/**
 * Decimal arithmetic for money and energy (34 significant digits, half-even). Every product or
 * quotient is held to SCALE decimal places (`quantize`: 1e-10 of a currency unit or a kWh), and
 * every sum of held figures is exact, so a total recomputes to the last digit from its lines.
 * Inputs written as decimals (rates, kWh, prices) multiply exactly; only a division that does not
 * terminate (900 kWh / 0.85) is cut at the tenth place. Nothing is rounded to cents except for display.
 */
export const Dec = Decimal.clone({ precision: 34, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -1000, toExpPos: 1000 });
export type Dec = InstanceType<typeof Dec>;

export const dec = (x: number | string | Dec): Dec => new Dec(x);

export const SCALE = 10;

/** A product or quotient as held: SCALE decimal places, half-even. */
export const quantize = (x: Dec): Dec => x.toDecimalPlaces(SCALE, Dec.ROUND_HALF_EVEN);

type Operand = number | string | Dec;
/** a × b, held to SCALE places. */
export const mul = (a: Operand, b: Operand): Dec => quantize(dec(a).times(b));
/** a / b, held to SCALE places. */
export const div = (a: Operand, b: Operand): Dec => quantize(dec(a).div(b));
export const ZERO = dec(0);

export const sumOf = (xs: Iterable<Dec>): Dec => {
  let total = ZERO;
  for (const x of xs) total = total.plus(x);
  return total;
};

export const maxOf = (xs: Dec[]): Dec => xs.reduce((a, b) => (b.greaterThan(a) ? b : a), xs[0] ?? ZERO);

/** How figures are stored: the exact decimal as a string, no exponent, no trailing zeros ("11.25", "-3"). */
export const stored = (x: Dec): string => x.toFixed();

/** A stored exact figure: a plain decimal string. */
export const DecimalStringSchema = z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a plain decimal such as 12.5');
export type DecimalString = z.infer<typeof DecimalStringSchema>;

/** A stored figure rounded half-even to `digits` places, for display only. */
export const rounded = (x: DecimalString | Dec, digits: number): string => dec(x).toFixed(digits);
