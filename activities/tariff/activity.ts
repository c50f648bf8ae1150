import type { Db } from '../../db/client.ts';
import { earlierRunPeaks } from '../../db/repositories/billing.ts';
import { recordRunRegistration, tariffAuditDetails } from '../../db/repositories/audit.ts';
import { loadStepOutput } from '../../db/repositories/steps.ts';
import { findTariff, storedTariffHash, upsertTariff } from '../../db/repositories/tariffs.ts';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import type { StepRef } from '../../domain/pipeline.ts';
import type { IntakeOutput } from '../../domain/run-request.ts';
import { raiseAlertFromActivity, type RaiseAlert } from '../../runs/alerts.ts';
import { failureOccurrence, tariffUpdateFailed } from '../notify/rules.ts';
import { runStep } from '../run-step.ts';
import { resolveTariff } from './resolve.ts';
import {
  fetchTariffDocument,
  pullOutcome,
  readPulledTariff,
  tariffHash,
  type ConfiguredTariffSource,
  type TariffPullResult,
} from './pull.ts';

export function tariffActivities(db: Db) {
  return {
    /** Agent 2: the tariff from the request (registered for the site only with `register: true`) or the site's registry, per slot, with its demand floors. */
    async resolveTariff({ runId, intake }: { runId: string; intake: StepRef }): Promise<StepRef> {
      return runStep(db, {
        runId,
        step: 'tariff',
        parents: [intake.hash],
        load: async () => {
          const request = await loadStepOutput<IntakeOutput>(db, runId, intake);
          const { tenant, site, scheduleDate } = request.schedule;
          return {
            request,
            registered: request.supplied.tariff ? undefined : await findTariff(db, tenant, site, scheduleDate),
            earlierRuns: await earlierRunPeaks(db, tenant, site, scheduleDate),
          };
        },
        compute: ({ request, registered, earlierRuns }) => resolveTariff(request, registered, earlierRuns),
        tenant: ({ request }) => request.schedule.tenant,
        record: async (tx, { input: { request } }) => {
          // A run's own tariff is its input only: the site's registry changes only when the request asked (and was allowed) to.
          const { schedule, supplied } = request;
          if (!request.register || !supplied.tariff) return;
          await upsertTariff(tx, schedule.tenant, schedule.site, supplied.tariff);
          await recordRunRegistration(tx, runId, {
            tenantId: schedule.tenant,
            action: 'tariff.register',
            target: schedule.site,
            details: tariffAuditDetails(supplied.tariff),
          });
        },
      });
    },
  };
}

/** The scheduled pull of each configured site's tariff (sources from TARIFF_SOURCES_FILE, keys included). */
export function tariffPullActivities(db: Db, sources: ConfiguredTariffSource[], raise: RaiseAlert = raiseAlertFromActivity) {
  const sourceOf = (tenant: string, site: string) => {
    const source = sources.find((s) => s.tenant === tenant && s.site === site);
    if (!source) throw new DomainError(ErrorCode.TARIFF_NOT_FOUND, `no tariff source is configured for ${tenant}/${site}`);
    return source;
  };
  return {
    /** Fetches the site's tariff, checks it, and stores it only when it differs from the stored version of its name and date. */
    async pullTariff({ tenant, site }: { tenant: string; site: string }): Promise<TariffPullResult> {
      const source = sourceOf(tenant, site);
      const answer = await fetchTariffDocument(source, { apiKey: source.apiKey, timeoutMs: source.timeoutSeconds * 1000 });
      const { tariff, notes } = readPulledTariff(source, answer);
      const hash = tariffHash(tariff);
      const outcome = pullOutcome(hash, await storedTariffHash(db, tenant, site, tariff.name, tariff.effectiveDate));
      if (outcome !== 'unchanged') await db.transaction((tx) => upsertTariff(tx, tenant, site, tariff));
      return { outcome, tenant, site, tariffName: tariff.name, effectiveDate: tariff.effectiveDate, hash, notes };
    },

    /** Raises `tariff_update_failed` for the site: one alert per site, day and failure; plans keep the stored tariff. */
    async raiseTariffUpdateFailed({ tenant, site, message }: { tenant: string; site: string; message: string }): Promise<void> {
      await raise(
        tariffUpdateFailed({ tenantId: tenant, tariffId: site, occurrence: failureOccurrence(new Date(), message), error: message }),
      );
    },
  };
}
