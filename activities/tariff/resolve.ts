import type { EarlierRunPeaks } from '../../domain/billing.ts';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import { tariffOverHorizon, type TariffOutput } from '../../domain/problem.ts';
import type { IntakeOutput } from '../../domain/run-request.ts';
import type { Tariff } from '../../domain/tariff.ts';
import { tariffOutOfForce } from '../../domain/tariff-validity.ts';

/**
 * The tariff in the request, else the site's registered one, over the schedule's slot grid (E006 if
 * neither, or if it is not in force on the schedule's days unless settings.tariffValidity is `warn`);
 * the demand floors take the peaks the site's earlier runs planned in the billing period.
 */
export function resolveTariff(
  { schedule, settings, supplied }: IntakeOutput,
  registered: Tariff | undefined,
  earlierRuns: EarlierRunPeaks[] = [],
): TariffOutput {
  const tariff = supplied.tariff ?? registered;
  if (!tariff) {
    throw new DomainError(
      ErrorCode.TARIFF_NOT_FOUND,
      `no tariff for tenant ${schedule.tenant}, site ${schedule.site} on ${schedule.scheduleDate}: include one in the request or register it`,
    );
  }
  const outOfForce = tariffOutOfForce(tariff, schedule);
  if (outOfForce && settings.tariffValidity !== 'warn') {
    // The report names an out-of-force tariff it was allowed to use (activities/report/warnings.ts).
    throw new DomainError(ErrorCode.TARIFF_NOT_FOUND, 'the tariff is not in force on the schedule’s days', [
      { ...outOfForce, message: `${outOfForce.message} (settings.tariffValidity: "warn" uses it anyway)` },
    ]);
  }
  return tariffOverHorizon(tariff, schedule, settings, earlierRuns);
}
