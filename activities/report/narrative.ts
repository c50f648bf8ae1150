import { dec } from '../../domain/decimal.ts';
import { causeLabel, grouped, kw, money, percent } from './format.ts';
import { offPeakShare, type ReportInput } from './input.ts';

/**
 * A wording model may rephrase the narrative; it gets the text and must keep its figures. Off by
 * default. It never computes: any number in its answer that is not in the text is a rejection.
 */
export type Rephraser = (text: string) => Promise<string>;

export interface Narrative {
  text: string;
  source: 'template' | 'rephrased';
  /** Why a rephrasing was not used. */
  rejected?: string;
}

/** Sentences from templates over the computed figures, in the order a plant manager asks. */
export function templateNarrative(input: ReportInput): string[] {
  const { cost, problem } = input;
  const c = cost.currency;
  const [opt, base] = [cost.optimized.totals, cost.baseline.totals];
  const amount = dec(cost.savings.amount);
  const share = cost.savings.percent === null ? '' : ` (${percent(dec(cost.savings.percent).abs().toFixed())})`;
  const out = [
    amount.isNegative()
      ? `The plan costs ${money(opt.total, c)}, ${money(amount.abs().toFixed(), c)} more than first-come-first-served${share}.`
      : `The plan costs ${money(opt.total, c)} against ${money(base.total, c)} for first-come-first-served, saving ${money(amount.toFixed(), c)}${share}.`,
  ];
  const offPeak = offPeakShare(cost.optimized);
  if (offPeak !== null) {
    const was = offPeakShare(cost.baseline);
    out.push(
      `It moves ${percent(offPeak, 0)} of heating electricity to off-peak hours${was === null ? '' : ` (first-come-first-served: ${percent(was, 0)})`}.`,
    );
  }
  const causes = [...cost.savings.byCause].sort((a, b) => dec(b.amount).comparedTo(a.amount));
  const gains = causes
    .filter((x) => dec(x.amount).greaterThan(0))
    .map((x) => `${causeLabel(x.cause).toLowerCase()} (${money(x.amount, c)})`);
  const losses = causes
    .filter((x) => dec(x.amount).isNegative())
    .reverse()
    .map((x) => `${causeLabel(x.cause).toLowerCase()} (${money(dec(x.amount).abs().toFixed(), c)})`);
  if (gains.length) out.push(`The saving comes from ${gains.join(', ')}${losses.length ? `; ${losses.join(' and ')} cost more` : ''}.`);
  else if (losses.length) out.push(`The extra cost comes from ${losses.join(', ')}.`);
  const limit = problem.settings.peakLimitKw;
  out.push(
    `Peak demand is ${kw(opt.peakKw)}${limit === undefined ? '' : ` against a contractual limit of ${kw(limit)}`} (first-come-first-served: ${kw(base.peakKw)}).`,
  );
  if (cost.emissions) {
    const { optimized, baseline, savedKgCo2 } = cost.emissions;
    const saved = dec(savedKgCo2);
    out.push(
      `Heating emits ${grouped(optimized.kgCo2, 0)} kg CO2 (first-come-first-served: ${grouped(baseline.kgCo2, 0)} kg), ${grouped(saved.abs().toFixed(), 0)} kg ${saved.isNegative() ? 'more' : 'less'}.`,
    );
  }
  out.push(...projectionSentences(input));
  const leftOut = input.cost.excludedFromBoth;
  if (leftOut.length) out.push(`${leftOut.length} job(s) could not be placed (${leftOut.join(', ')}); both plans are priced without them.`);
  return out;
}

function projectionSentences({ cost }: ReportInput): string[] {
  const p = cost.projection;
  const c = cost.currency;
  if (!dec(p.annualSavings).greaterThan(0)) return [];
  const out = [`Over ${p.operatingDaysPerYear} such days a year that is ${money(p.annualSavings, c)} saved.`];
  const inv = p.investment;
  if (inv) {
    const payback = inv.paybackYears === null ? 'does not pay back' : `pays back in ${duration(inv.paybackYears)}`;
    const irr = inv.irrPercent === null ? '' : `, IRR ${percent(inv.irrPercent)}`;
    out.push(
      `An investment of ${money(inv.amount, c)} ${payback} (NPV over ${inv.lifetimeYears} years at ${percent(inv.discountRatePercent)}: ${money(inv.npv, c)}${irr}).`,
    );
  }
  return out;
}

/** A payback time: months under a year, else years. */
export function duration(years: string): string {
  const y = dec(years);
  return y.lessThan(1) ? `${grouped(y.times(12).toFixed(), 1)} months` : `${grouped(years, 1)} years`;
}

/** Every number written in a text, as a value ("1,234.50" → "1234.5"); times and dates split into their parts. */
export function numbersIn(text: string): string[] {
  return (text.match(/(?<![A-Za-z])\d[\d,]*(?:\.\d+)?/g) ?? []).map((n) => dec(n.replace(/,/g, '')).toFixed());
}

/**
 * The narrative: the template text, or the model's rephrasing of it when a model is given and its
 * answer holds no number that the template text does not (else the template text, with the reason).
 */
export async function narrate(input: ReportInput, rephrase?: Rephraser): Promise<Narrative> {
  const text = templateNarrative(input).join(' ');
  if (!rephrase) return { text, source: 'template' };
  let answer: string;
  try {
    answer = (await rephrase(text)).trim();
  } catch (err) {
    return { text, source: 'template', rejected: `the model failed: ${(err as Error).message}` };
  }
  const allowed = new Set(numbersIn(text));
  const invented = [...new Set(numbersIn(answer))].filter((n) => !allowed.has(n));
  if (!answer) return { text, source: 'template', rejected: 'the model returned nothing' };
  if (invented.length) return { text, source: 'template', rejected: `numbers not in the computed figures: ${invented.join(', ')}` };
  return { text: answer, source: 'rephrased' };
}
