/** Heaters of the hand-calculated cost cases. */
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
