import type { RunRequestInput } from '../../domain/run-request.ts';
import { HAND_TARIFF, handJob, handRequest, problemFromRequest } from '../support/problem.ts';

/** Heaters and the day of the hand-calculated cost cases. */
export const E1 = { id: 'E1', name: 'Electric 1', type: 'electric', capacityKw: 100, efficiency: 1, startupEnergyKwh: 2 } as const;
export const E2 = { id: 'E2', name: 'Electric 2', type: 'electric', capacityKw: 100, efficiency: 1 } as const;
/** 50 kW, 80 % efficient, gas at 0.09 per kWh, 5 kWh per cold start. */
export const G1 = {
  id: 'G1',
  name: 'Gas boiler',
  type: 'gas_boiler',
  capacityKw: 50,
  efficiency: 0.8,
  fuelRatePerKwh: 0.09,
  startupEnergyKwh: 5,
} as const;

/** The hand day (Monday 2 March 2026, UTC, 1-h slots): 10 kW base load, a 310/month (10/day in March) and a 5/day fixed charge. */
export function handProblem(
  jobs = [handJob('J1', 200, '06:00', '12:00'), handJob('J2', 100, '14:00', '18:00')],
  equipment: RunRequestInput['equipment'] = [E1, G1],
) {
  const request = handRequest(jobs, equipment, { baseLoadKw: 10 });
  request.tariff = {
    ...HAND_TARIFF,
    fixedCharges: [
      { name: 'Customer charge', amount: 310, per: 'month' },
      { name: 'Meter', amount: 5, per: 'day' },
    ],
  };
  return problemFromRequest(request);
}
