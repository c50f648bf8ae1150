import { readFileSync } from 'node:fs';
import { EquipmentSchema } from '../../domain/equipment.ts';
import { DomainError } from '../../domain/errors.ts';
import { readRunRequest, type IntakeOptions, type IntakeRead } from '../../activities/intake/registry.ts';

export const fixture = (name: string): Buffer => readFileSync(new URL(`../fixtures/intake/${name}`, import.meta.url));
export const example = (name: string): Buffer => readFileSync(new URL(`../../examples/${name}`, import.meta.url));

const bytesOf = (content: string | Uint8Array | object) =>
  typeof content === 'string'
    ? Buffer.from(content, 'utf8')
    : content instanceof Uint8Array
      ? content
      : Buffer.from(JSON.stringify(content));

/** Reads a file the way intake does. */
export function read(content: string | Uint8Array | object, fileName?: string, options?: IntakeOptions): Promise<IntakeRead> {
  return readRunRequest({ bytes: bytesOf(content), fileName }, options);
}

/** The E001 intake throws for this input (fails the test if it reads, or throws anything else). */
export async function rejection(content: string | Uint8Array | object, fileName?: string, options?: IntakeOptions): Promise<DomainError> {
  try {
    await read(content, fileName, options);
  } catch (err) {
    if (err instanceof DomainError && err.code === 'E001') return err;
    throw err;
  }
  throw new Error(`${fileName ?? 'input'} was accepted`);
}

/** `path: message` lines, for readable assertions. */
export const lines = (err: DomainError) => err.problems.map((p) => `${p.path}: ${p.message}`);

/** The heaters of the same-day files' site (the files name them but do not describe them). */
export const SAME_DAY_HEATERS = [
  { id: 'Furnace-1', name: 'Gas furnace', type: 'gas_boiler', capacityKw: 600, efficiency: 0.9, startupEnergyKwh: 20 },
  { id: 'Furnace-2', name: 'Electric furnace', type: 'electric', capacityKw: 500, efficiency: 0.97 },
  { id: 'Oven-1', name: 'Cure oven', type: 'electric', capacityKw: 400, efficiency: 0.95 },
  { id: 'Tank-1', name: 'Wash tank heat pump', type: 'heat_pump', capacityKw: 250, efficiency: 3.2 },
].map((h) => EquipmentSchema.parse(h));
