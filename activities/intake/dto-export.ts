import type { RunRequest } from '../../domain/run-request.ts';
import { DEPENDENCY_TYPES } from './adapters/scheduler-dto.ts';

/** The scheduler UI's shapes (seed 003), as intake writes them. */
export interface ResourceDTO {
  id: string;
  name: string;
  type: string;
  capacity?: number;
  attributes?: Record<string, unknown>;
}

export interface EventDTO {
  id: string;
  name: string;
  resourceId: string;
  startDate: string;
  endDate: string;
  duration: number;
  manuallyScheduled: boolean;
  locked: boolean;
  priority?: number;
  attributes?: Record<string, unknown>;
}

export interface DependencyDTO {
  id: string;
  fromEvent: string;
  toEvent: string;
  type: number;
  lag?: number;
  lagUnit?: string;
}

export interface ConstraintDTO {
  type: string;
  eventId?: string;
  resourceId?: string;
  date?: string;
  startDate?: string;
  endDate?: string;
  reason?: string;
  notes?: string;
}

export interface ScheduleDataDTO {
  version: string;
  snapshot: { resources: ResourceDTO[]; events: EventDTO[]; dependencies: DependencyDTO[]; constraints: ConstraintDTO[] };
  metadata: Record<string, unknown> & { plantId: string; timestamp: string; userId: string };
}

type Job = RunRequest['schedule']['jobs'][number];

function resources(request: RunRequest): ResourceDTO[] {
  if (request.equipment) {
    return request.equipment.map(({ id, name, type, capacityKw, unavailability: _windows, ...attributes }) => ({
      id,
      name,
      type,
      capacity: capacityKw,
      attributes,
    }));
  }
  // Heaters from the registry: the UI still needs rows for the ids the jobs name.
  const ids = new Set(request.schedule.jobs.flatMap((j) => [...(j.allowedEquipment ?? []), ...(j.lock ? [j.lock.equipmentId] : [])]));
  return [...ids].sort().map((id) => ({ id, name: id, type: 'heater' }));
}

function event(job: Job): EventDTO {
  const start = job.lock?.start ?? job.earliestStart;
  const fixed = job.durationMinutes !== undefined;
  const duration = fixed ? job.durationMinutes! * 60000 : Date.parse(job.deadline) - Date.parse(job.earliestStart);
  return {
    id: job.id,
    name: job.product,
    resourceId: job.lock?.equipmentId ?? job.allowedEquipment?.[0] ?? '',
    startDate: start,
    endDate: new Date(Date.parse(start) + duration).toISOString(),
    duration,
    manuallyScheduled: job.lock !== undefined,
    locked: job.lock !== undefined,
    priority: job.priority,
    attributes: {
      heatingKwh: job.heatingKwh,
      quantity: job.quantity,
      unit: job.unit,
      maxThermalKw: job.maxThermalKw,
      temperatureSetpointC: job.temperatureSetpointC,
      allowedEquipment: job.allowedEquipment,
      modulating: job.modulating,
      productFamily: job.productFamily,
      fixedDuration: fixed,
    },
  };
}

/**
 * Writes a validated request as the scheduler UI's ScheduleDataDTO: heaters as resources, jobs as
 * events (at their lock, else at their earliest start; a job without a fixed duration spans its
 * window and says `fixedDuration: false`), routes as dependencies, windows and locks as constraints,
 * the rest (tariff, settings) in metadata. Reading it back gives the same canonical request.
 */
export function toSchedulerDto(request: RunRequest, version: string, timestamp: string): ScheduleDataDTO {
  const { schedule } = request;
  const constraints: ConstraintDTO[] = schedule.jobs.flatMap((j) => [
    { type: 'startnoearlierthan', eventId: j.id, date: j.earliestStart },
    { type: 'finishnolaterthan', eventId: j.id, date: j.deadline },
  ]);
  for (const e of request.equipment ?? []) {
    for (const w of e.unavailability)
      constraints.push({ type: 'unavailable', resourceId: e.id, startDate: w.start, endDate: w.end, reason: w.reason, notes: w.notes });
  }
  const dependencies: DependencyDTO[] = schedule.jobs.flatMap((j) =>
    j.predecessors.map((p) => ({
      id: `${p.jobId}->${j.id}`,
      fromEvent: p.jobId,
      toEvent: j.id,
      type: DEPENDENCY_TYPES.indexOf(p.type),
      lag: p.lagMinutes,
      lagUnit: 'minute',
    })),
  );
  return {
    version,
    snapshot: { resources: resources(request), events: schedule.jobs.map(event), dependencies, constraints },
    metadata: {
      plantId: schedule.site,
      tenantId: schedule.tenant,
      scheduleDate: schedule.scheduleDate,
      timeZone: schedule.timeZone,
      horizonDays: schedule.horizonDays,
      sourceSystem: schedule.sourceSystem,
      sourceReference: schedule.sourceReference,
      settings: request.settings,
      tariff: request.tariff,
      notify: request.notify,
      timestamp,
      userId: 'heatscheduler',
    },
  };
}
