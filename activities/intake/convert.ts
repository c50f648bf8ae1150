import { toSchedulerDto } from './dto-export.ts';
import type { IntakeRead } from './registry.ts';

export const CONVERT_TARGETS = ['json', 'dto'] as const;
export type ConvertTarget = (typeof CONVERT_TARGETS)[number];

/**
 * A read request written out again: `json` is the canonical model (instants in UTC, every default
 * filled in), `dto` the scheduler UI's ScheduleDataDTO. Either reads back to the same canonical hash.
 */
export function renderRequest(read: IntakeRead, to: ConvertTarget, now: Date): string {
  const body = to === 'json' ? read.request : toSchedulerDto(read.request, `sha256:${read.canonicalHash.slice(0, 16)}`, now.toISOString());
  return `${JSON.stringify(body, null, 2)}\n`;
}
