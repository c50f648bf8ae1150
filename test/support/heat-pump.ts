import type { EquipmentInput } from '../../domain/equipment.ts';
import type { RunRequestInput } from '../../domain/run-request.ts';
import { at, handJob, handRequest } from './problem.ts';

/** A 100 kW heat pump, COP 3 nominal, 4.0 at 10 °C and 2.5 at -5 °C. */
export const COP_CURVE_PUMP = {
  id: 'HP',
  name: 'Heat pump',
  type: 'heat_pump',
  capacityKw: 100,
  efficiency: 3,
  copCurve: [
    { outdoorC: -5, cop: 2.5 },
    { outdoorC: 10, cop: 4 },
  ],
} satisfies EquipmentInput;

/** The hand day's forecast: a cold night (-5 °C), a mild day (10 °C), a cool evening (2.5 °C). */
export const COLD_NIGHT_FORECAST = [
  { start: at('00:00'), end: at('08:00'), outdoorC: -5 },
  { start: at('08:00'), end: at('16:00'), outdoorC: 10 },
  { start: at('16:00'), end: '2026-03-03T00:00:00Z', outdoorC: 2.5 },
];

/**
 * 300 kWh (3 h on the pump) due by 23:00 on the hand tariff made flat (0.20 all day, no demand
 * charge): only the COP tells the hours apart. Deterministic search.
 */
export function flatDayForPump(settings: RunRequestInput['settings'] = {}): RunRequestInput {
  const r = handRequest([handJob('A', 300, '00:00', '23:00')], [COP_CURVE_PUMP], { deterministic: true, ...settings });
  return { ...r, tariff: { ...r.tariff!, periods: r.tariff!.periods.map((p) => ({ ...p, energyRate: 0.2, demandRate: undefined })) } };
}
