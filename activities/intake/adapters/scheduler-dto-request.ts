import { ObjectiveSchema } from '../../../domain/settings.ts';
import { readNumber, readText, shown } from '../values.ts';
import { isPlainObject } from './canonical-json.ts';
import { unavailable, type DtoReader } from './scheduler-dto.ts';

/**
 * The scheduler UI's OptimizationRequestDTO (seed 003) around a ScheduleDataDTO: `options.objective`
 * and `options.timeLimit` become the run's settings, `locks.events` keep those events on their resource
 * at their start date, `locks.resourceIntervals` keep every job off a heater over the interval.
 * They win over `scheduleData.metadata.settings`, which carries the rest of the settings.
 * `algorithmId` and `profileId` stay in the stored request: there is one solver.
 */
const REQUEST_KEYS = ['scheduleData', 'algorithmId', 'profileId', 'options', 'locks'];
const OPTION_KEYS = ['objective', 'timeLimit', 'incrementalMode', 'warmStart'];
const LOCK_KEYS = ['events', 'resourceIntervals'];
const INTERVAL_KEYS = ['resourceId', 'start', 'end', 'reason'];

const top = (r: DtoReader) => (field: string) => r.atTop(field);

export const isOptimizationRequest = (doc: Record<string, unknown>): boolean => isPlainObject(doc.scheduleData);

export function readOptimizationRequest(r: DtoReader, request: Record<string, unknown>): void {
  r.unknownKeys(request, REQUEST_KEYS, '', 'field', top(r));
  for (const key of ['algorithmId', 'profileId']) {
    if (request[key] !== undefined && !Number.isInteger(request[key]))
      r.b.problem(r.atTop(key), `${shown(request[key])} is not a whole number`);
  }
  if (request.algorithmId === undefined) r.b.problem(r.atTop('algorithmId'), 'is missing (the algorithm the scheduler asks for)');
  readOptions(r, request.options);
  readLocks(r, request.locks);
}

function readOptions(r: DtoReader, options: unknown): void {
  if (options === undefined) return r.b.problem(r.atTop('options'), 'is missing (at least the objective)');
  if (!isPlainObject(options)) return r.b.problem(r.atTop('options'), 'must be an object');
  r.unknownKeys(options, OPTION_KEYS, 'options', 'field', top(r));
  readObjective(r, options.objective);
  if (options.timeLimit !== undefined)
    r.b.put(['settings', 'solverTimeLimitSeconds'], readNumber(options.timeLimit), r.atTop('options.timeLimit'));
  for (const key of ['incrementalMode', 'warmStart']) {
    if (options[key] !== undefined && options[key] !== false)
      r.b.problem(
        r.atTop(`options.${key}`),
        `is not offered: every run plans the whole day from the events and their locks (leave it out or false)`,
      );
  }
}

function readObjective(r: DtoReader, objective: unknown): void {
  const at = r.atTop('options.objective');
  if (objective === 'maximize_throughput')
    return r.b.problem(at, 'maximize_throughput is not offered: minimize_makespan finishes the same jobs soonest');
  const parsed = ObjectiveSchema.safeParse(objective);
  if (!parsed.success) return r.b.problem(at, `${shown(objective)} is not one of ${ObjectiveSchema.options.join(', ')}`);
  r.b.set(['settings', 'objective'], parsed.data, at);
}

function readLocks(r: DtoReader, locks: unknown): void {
  if (locks === undefined) return;
  if (!isPlainObject(locks)) return r.b.problem(r.atTop('locks'), 'must be an object with events and resourceIntervals');
  r.unknownKeys(locks, LOCK_KEYS, 'locks', 'field', top(r));
  listOf(r, locks.events, 'locks.events').forEach((id, i) => lockEvent(r, id, `locks.events[${i}]`));
  listOf(r, locks.resourceIntervals, 'locks.resourceIntervals').forEach((interval, i) => {
    const field = `locks.resourceIntervals[${i}]`;
    if (!isPlainObject(interval)) return r.b.problem(r.atTop(field), 'must be an object with resourceId, start and end');
    r.unknownKeys(interval, INTERVAL_KEYS, field, 'field', top(r));
    unavailable(r, interval, field, { at: top(r), startKey: 'start', endKey: 'end', reason: 'locked', noteKey: 'reason' });
  });
}

function listOf(r: DtoReader, value: unknown, field: string): unknown[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  r.b.problem(r.atTop(field), 'must be a list');
  return [];
}

function lockEvent(r: DtoReader, id: unknown, field: string): void {
  const text = readText(id);
  const found = text.ok ? r.events.get(text.value) : undefined;
  if (!found) return r.b.problem(r.atTop(field), `names no event (${shown(id)})`);
  r.lock(found.event, ['schedule', 'jobs', found.index], found.field, r.atTop(field));
}
