import type { Emissions, PlanLedger } from '../../domain/cost.ts';
import { dec, mul, stored, sumOf } from '../../domain/decimal.ts';
import type { EmissionFactors } from '../../domain/economics.ts';
import type { FuelType } from '../../domain/equipment.ts';

const factorFor = (fuel: FuelType, factors: EmissionFactors) =>
  fuel === 'electricity' ? factors.gridKgCo2PerKwh : factors.fuelKgCo2PerKwh[fuel];

/**
 * CO2 of a plan's heating: per fuel, input kWh (start-ups included, base load not) × the factor
 * given for it; a fuel without a factor gets none, and the total then says it is incomplete.
 */
export function emissionsOf(ledger: PlanLedger, factors: EmissionFactors): Emissions {
  const byFuel = ledger.byFuel.map(({ fuel, kwh }) => {
    const factor = factorFor(fuel, factors);
    return {
      fuel,
      kwh,
      kgCo2PerKwh: factor === undefined ? null : stored(dec(factor)),
      kgCo2: factor === undefined ? null : stored(mul(kwh, factor)),
    };
  });
  return {
    byFuel,
    kgCo2: stored(sumOf(byFuel.flatMap((f) => (f.kgCo2 === null ? [] : [dec(f.kgCo2)])))),
    complete: byFuel.every((f) => f.kgCo2 !== null || dec(f.kwh).isZero()),
  };
}
