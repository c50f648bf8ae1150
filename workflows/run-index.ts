import { patched, setCurrentDetails, upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import type { RunFacts, RunStatus, RunSummaryMemo } from '../domain/pipeline.ts';
import { RUN_SEARCH_ATTRIBUTES as SA } from './search-attributes.ts';

/**
 * How a run shows in Temporal UI: search attributes to filter by, the summary in its memo, the
 * step under way as its current details. Histories from before this existed replay without it.
 */
export class RunIndex {
  private readonly enabled = patched('run-search-attributes');

  /** Once intake has read the day: tenant, site, date and objective become filterable. */
  describe(facts: RunFacts): void {
    if (!this.enabled) return;
    upsertSearchAttributes([
      { key: SA.tenant, value: facts.tenant },
      { key: SA.site, value: facts.site },
      { key: SA.scheduleDate, value: new Date(`${facts.scheduleDate}T00:00:00Z`) },
      { key: SA.objective, value: facts.objective },
    ]);
  }

  step(details: string): void {
    if (this.enabled) setCurrentDetails(details);
  }

  /** The outcome becomes filterable; a successful run's figures go into its memo. */
  finish(outcome: Extract<RunStatus, 'SUCCESS' | 'FAILED' | 'CANCELLED'>, summary?: RunSummaryMemo): void {
    if (!this.enabled) return;
    upsertSearchAttributes([{ key: SA.outcome, value: outcome }]);
    if (summary) upsertMemo({ summary });
    setCurrentDetails(outcome === 'SUCCESS' && summary ? describeSummary(summary) : outcome);
  }
}

function describeSummary(s: RunSummaryMemo): string {
  const figure = (v: number | null, unit = '') => (v === null ? 'n/a' : `${v.toFixed(2)}${unit}`);
  return (
    `**SUCCESS**: optimised ${figure(s.optimizedCost)} vs baseline ${figure(s.baselineCost)}, ` +
    `savings ${figure(s.savings)} (${figure(s.savingsPercent, ' %')}), peak ${figure(s.peakKw, ' kW')}, ` +
    `${s.unscheduled ?? 'n/a'} of ${s.jobs ?? 'n/a'} jobs unscheduled`
  );
}
