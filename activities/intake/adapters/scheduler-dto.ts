import { normaliseName } from '../table.ts';
import { readInstant, readNumber, readText, shown } from '../values.ts';
import { RequestBuilder } from './builder.ts';
import { JsonDocReader } from './json-reader.ts';
import { isPlainObject, jsonObject } from './canonical-json.ts';
import type { Location } from '../location.ts';
import { isOptimizationRequest, readOptimizationRequest } from './scheduler-dto-request.ts';
import type { AdapterContext, Conversion, FieldPath, IntakeAdapter, Sniffed } from './types.ts';

/**
 * The scheduler UI's ScheduleDataDTO (seed 003): `snapshot` with resources (heaters), events
 * (jobs), dependencies (type 0 SS, 1 SF, 2 FS, 3 FF; lag in lagUnit) and constraints
 * (startnoearlierthan, finishnolaterthan, muststarton, unavailable); `metadata` with the plant and
 * what the canonical model needs besides (tenantId, scheduleDate, timeZone, settings, tariff); or the
 * OptimizationRequestDTO around one (`scheduleData`, `options`, `locks`: scheduler-dto-request.ts).
 */

export const DEPENDENCY_TYPES = ['start_to_start', 'start_to_finish', 'finish_to_start', 'finish_to_finish'] as const;

const LAG_MINUTES: Record<string, number> = {
  ms: 1 / 60000,
  millisecond: 1 / 60000,
  milliseconds: 1 / 60000,
  s: 1 / 60,
  second: 1 / 60,
  seconds: 1 / 60,
  mi: 1,
  min: 1,
  minute: 1,
  minutes: 1,
  h: 60,
  hour: 60,
  hours: 60,
  d: 1440,
  day: 1440,
  days: 1440,
  w: 10080,
  week: 10080,
  weeks: 10080,
};

const METADATA_KEYS: Record<string, FieldPath> = {
  plantId: ['schedule', 'site'],
  tenantId: ['schedule', 'tenant'],
  scheduleDate: ['schedule', 'scheduleDate'],
  timeZone: ['schedule', 'timeZone'],
  horizonDays: ['schedule', 'horizonDays'],
  sourceSystem: ['schedule', 'sourceSystem'],
  sourceReference: ['schedule', 'sourceReference'],
  settings: ['settings'],
  tariff: ['tariff'],
  notify: ['notify'],
};
/** Set by the UI, not part of the problem. */
const INFORMATIONAL_METADATA = ['timestamp', 'userId'];
const EVENT_KEYS = [
  'id',
  'name',
  'resourceId',
  'startDate',
  'endDate',
  'duration',
  'manuallyScheduled',
  'locked',
  'priority',
  'attributes',
];
/** Bryntum event fields that only paint the bar. */
const PRESENTATION_KEYS = ['cls', 'eventColor', 'iconCls', 'style', 'draggable', 'resizable', 'durationUnit'];
const EVENT_ATTRIBUTES = [
  'product',
  'heatingKwh',
  'quantity',
  'unit',
  'maxThermalKw',
  'temperatureSetpointC',
  'allowedEquipment',
  'modulating',
  'productFamily',
  'fixedDuration',
];
const RESOURCE_KEYS = ['id', 'name', 'type', 'calendar', 'capacity', 'attributes'];
const CONSTRAINT_TYPES = ['startnoearlierthan', 'finishnolaterthan', 'muststarton', 'unavailable'];

export class DtoReader extends JsonDocReader {
  readonly events = new Map<string, { index: number; event: Record<string, unknown>; resourceId?: string; field: string }>();
  readonly heaters = new Map<string, number>();
  /** Unavailability windows set so far, per heater index. */
  readonly windowCounts = new Map<number, number>();
  withHeaters = false;

  constructor(
    doc: Record<string, unknown>,
    file: string | undefined,
    /** Where the ScheduleDataDTO sits in the file: `scheduleData` inside an OptimizationRequestDTO. */
    private readonly prefix = '',
  ) {
    super(doc, file);
  }

  override at(field: string): Location {
    return super.at(this.prefix ? `${this.prefix}.${field}` : field);
  }

  /** A place outside the ScheduleDataDTO (the request around it). */
  atTop(field: string): Location {
    return super.at(field);
  }

  list(obj: unknown, key: string, field: string): Record<string, unknown>[] {
    const v = isPlainObject(obj) ? obj[key] : undefined;
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      this.b.problem(this.at(field), 'must be a list');
      return [];
    }
    return v.map((item, i) => {
      if (isPlainObject(item)) return item;
      this.b.problem(this.at(`${field}[${i}]`), 'must be an object');
      return {};
    });
  }

  metadata(context: AdapterContext): void {
    const meta = isPlainObject(this.doc.metadata) ? this.doc.metadata : {};
    if (!isPlainObject(this.doc.metadata))
      this.b.problem(this.at('metadata'), 'must be an object with the plantId (and tenantId, scheduleDate, timeZone)');
    for (const [key, value] of Object.entries(context)) this.b.set(['schedule', key], value);
    for (const [key, value] of Object.entries(meta)) {
      if (INFORMATIONAL_METADATA.includes(key)) continue;
      const path = Object.hasOwn(METADATA_KEYS, key) ? METADATA_KEYS[key] : undefined;
      if (!path)
        this.b.problem(
          this.at(`metadata.${key}`),
          `unknown field (known: ${[...Object.keys(METADATA_KEYS), ...INFORMATIONAL_METADATA].join(', ')})`,
        );
      else {
        this.b.set(path, value);
        this.locateTree(path, value, `metadata.${key}`);
      }
    }
    this.b.locate(['schedule'], this.at('metadata'));
  }

  /** Locates every field of a value the metadata carries in the canonical shape (settings, tariff) at its own path, so problems name it. */
  private locateTree(path: FieldPath, value: unknown, field: string, depth = 0): void {
    this.b.locate(path, this.at(field));
    if (depth >= 12) return;
    if (Array.isArray(value)) value.forEach((v, i) => this.locateTree([...path, i], v, `${field}[${i}]`, depth + 1));
    else if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) this.locateTree([...path, k], v, `${field}.${k}`, depth + 1);
  }

  resources(): void {
    const list = this.list(this.doc.snapshot, 'resources', 'snapshot.resources');
    const rated = list.filter((r) => r.capacity !== undefined);
    if (rated.length && rated.length < list.length) {
      this.b.problem(
        this.at('snapshot.resources'),
        "give every resource its capacity (they become the run's heaters), or none (the site's registered heaters)",
      );
    }
    this.withHeaters = list.length > 0 && rated.length === list.length;
    list.forEach((r, i) => {
      const field = `snapshot.resources[${i}]`;
      this.unknownKeys(r, RESOURCE_KEYS, field, 'field');
      const id = readText(r.id);
      if (!id.ok || !id.value) return this.b.problem(this.at(`${field}.id`), 'must be the heater id');
      if (this.heaters.has(id.value)) return this.b.problem(this.at(`${field}.id`), `repeats the resource ${id.value}`);
      this.heaters.set(id.value, i);
      if (r.calendar !== undefined && r.calendar !== null && r.calendar !== '') {
        this.b.problem(
          this.at(`${field}.calendar`),
          'calendars are not resolved here: give the heater\'s unavailability as "unavailable" constraints',
        );
      }
      if (this.withHeaters) this.heater(r, i, field);
    });
  }

  private heater(r: Record<string, unknown>, i: number, field: string): void {
    const path = ['equipment', i];
    this.b.set(path, { id: r.id, name: r.name ?? r.id }, this.at(field));
    this.b.locate([...path, 'id'], this.at(`${field}.id`));
    this.b.locate([...path, 'name'], this.at(`${field}.name`));
    const type =
      typeof r.type === 'string'
        ? ['gas_boiler', 'electric', 'heat_pump'].find((t) => normaliseName(t) === normaliseName(String(r.type)))
        : undefined;
    this.b.set([...path, 'type'], type ?? r.type, this.at(`${field}.type`));
    this.b.set([...path, 'capacityKw'], r.capacity, this.at(`${field}.capacity`));
    const attrs = isPlainObject(r.attributes) ? r.attributes : {};
    for (const [key, value] of Object.entries(attrs)) {
      if (['id', 'name', 'type', 'capacityKw', 'unavailability'].includes(key)) {
        this.b.problem(
          this.at(`${field}.attributes.${key}`),
          `belongs to the resource itself${key === 'unavailability' ? ' (as "unavailable" constraints)' : ''}`,
        );
      } else this.b.set([...path, key], value, this.at(`${field}.attributes.${key}`));
    }
  }

  eventsList(): void {
    const list = this.list(this.doc.snapshot, 'events', 'snapshot.events');
    if (list.length === 0) this.b.problem(this.at('snapshot.events'), 'must list the jobs as events', ['schedule', 'jobs']);
    list.forEach((e, i) => this.event(e, i));
  }

  private event(e: Record<string, unknown>, i: number): void {
    const field = `snapshot.events[${i}]`;
    const job = ['schedule', 'jobs', i];
    this.unknownKeys(e, [...EVENT_KEYS, ...PRESENTATION_KEYS], field, 'field');
    const id = readText(e.id);
    this.b.set(job, {}, this.at(field));
    if (!id.ok || !id.value) this.b.problem(this.at(`${field}.id`), 'must be the job id', [...job, 'id']);
    else if (this.events.has(id.value)) this.b.problem(this.at(`${field}.id`), `repeats the event ${id.value}`, [...job, 'id']);
    else {
      this.events.set(id.value, { index: i, event: e, resourceId: typeof e.resourceId === 'string' ? e.resourceId : undefined, field });
      this.b.set([...job, 'id'], id.value, this.at(`${field}.id`));
    }
    const attrs = isPlainObject(e.attributes) ? e.attributes : {};
    if (e.attributes !== undefined && !isPlainObject(e.attributes)) this.b.problem(this.at(`${field}.attributes`), 'must be an object');
    this.unknownKeys(attrs, EVENT_ATTRIBUTES, `${field}.attributes`, 'field');
    this.b.set(
      [...job, 'product'],
      attrs.product ?? e.name,
      this.at(attrs.product !== undefined ? `${field}.attributes.product` : `${field}.name`),
    );
    for (const key of EVENT_ATTRIBUTES.filter((k) => k !== 'product' && k !== 'fixedDuration')) {
      this.b.set([...job, key], attrs[key], this.at(`${field}.attributes.${key}`));
    }
    if (e.priority !== undefined) this.b.set([...job, 'priority'], e.priority, this.at(`${field}.priority`));
    this.b.locate([...job, 'heatingKwh'], this.at(`${field}.attributes.heatingKwh`));
    this.duration(e, attrs, job, field);
    if (e.locked === true) this.lock(e, job, field);
    this.b.locate([...job, 'earliestStart'], this.at(field));
    this.b.locate([...job, 'deadline'], this.at(field));
  }

  /** An event's duration is the process duration, unless its attributes say `fixedDuration: false`. */
  private duration(e: Record<string, unknown>, attrs: Record<string, unknown>, job: FieldPath, field: string): void {
    if (attrs.fixedDuration === false || attrs.modulating === true) return;
    let ms: unknown = e.duration;
    let at = `${field}.duration`;
    if (ms === undefined && e.startDate !== undefined && e.endDate !== undefined) {
      const [s, f] = [readInstant(e.startDate), readInstant(e.endDate)];
      ms = s.ok && f.ok ? Date.parse(f.value) - Date.parse(s.value) : undefined;
      at = `${field}.endDate`;
    }
    if (ms === undefined) return;
    const n = readNumber(ms);
    if (!n.ok) return this.b.problem(this.at(at), n.message, [...job, 'durationMinutes']);
    if (n.value % 60000 !== 0)
      return this.b.problem(this.at(at), `${n.value} ms is not a whole number of minutes`, [...job, 'durationMinutes']);
    this.b.set([...job, 'durationMinutes'], n.value / 60000, this.at(at));
  }

  /** A locked event stays on its resource at its start date; `lockedBy` is where it was locked (its flag, or the request's locks). */
  lock(e: Record<string, unknown>, job: FieldPath, field: string, lockedBy = this.at(`${field}.locked`)): void {
    const heater = readText(e.resourceId);
    if (!heater.ok || !heater.value)
      return this.b.problem(this.at(`${field}.resourceId`), 'a locked event needs the resource it is locked on', [...job, 'lock']);
    this.b.set([...job, 'lock'], { equipmentId: heater.value }, lockedBy);
    this.b.locate([...job, 'lock', 'equipmentId'], this.at(`${field}.resourceId`));
    this.b.put([...job, 'lock', 'start'], readInstant(e.startDate), this.at(`${field}.startDate`));
  }

  dependencies(): void {
    const counts = new Map<number, number>();
    this.list(this.doc.snapshot, 'dependencies', 'snapshot.dependencies').forEach((d, i) => {
      const field = `snapshot.dependencies[${i}]`;
      this.unknownKeys(d, ['id', 'fromEvent', 'toEvent', 'type', 'lag', 'lagUnit'], field, 'field');
      const [from, to] = [this.events.get(String(d.fromEvent)), this.events.get(String(d.toEvent))];
      if (!from) return this.b.problem(this.at(`${field}.fromEvent`), `names no event (${shown(d.fromEvent)})`);
      if (!to) return this.b.problem(this.at(`${field}.toEvent`), `names no event (${shown(d.toEvent)})`);
      const type = d.type === undefined ? 2 : d.type;
      if (typeof type !== 'number' || !Number.isInteger(type) || type < 0 || type > 3) {
        return this.b.problem(
          this.at(`${field}.type`),
          `${shown(d.type)} is not 0 (start-to-start), 1 (start-to-finish), 2 (finish-to-start) or 3 (finish-to-finish)`,
        );
      }
      const lag = this.lagMinutes(d, field);
      if (lag === undefined) return;
      const k = counts.get(to.index) ?? 0;
      counts.set(to.index, k + 1);
      const path = ['schedule', 'jobs', to.index, 'predecessors', k];
      this.b.set(path, { jobId: String(d.fromEvent), type: DEPENDENCY_TYPES[type], lagMinutes: lag }, this.at(field));
      this.b.locate([...path, 'lagMinutes'], this.at(`${field}.lag`));
    });
  }

  private lagMinutes(d: Record<string, unknown>, field: string): number | undefined {
    if (d.lag === undefined || d.lag === 0) return 0;
    const n = readNumber(d.lag);
    if (!n.ok) {
      this.b.problem(this.at(`${field}.lag`), n.message);
      return undefined;
    }
    const unit = typeof d.lagUnit === 'string' ? LAG_MINUTES[d.lagUnit.trim().toLowerCase()] : undefined;
    if (unit === undefined) {
      this.b.problem(
        this.at(`${field}.lagUnit`),
        `${d.lagUnit === undefined ? 'is missing' : `${shown(d.lagUnit)} is not a unit`}: say the lag's unit (minute, hour, day, …)`,
      );
      return undefined;
    }
    return Math.round(n.value * unit * 1e6) / 1e6;
  }
}

export const schedulerDtoAdapter: IntakeAdapter = {
  format: 'dto',
  title: 'scheduler ScheduleDataDTO',
  extensions: ['json'],
  sniff(s: Sniffed) {
    const json = s.json();
    if (!json.ok) return { ok: false, reason: json.reason };
    const data = isPlainObject(json.value) && isOptimizationRequest(json.value) ? json.value.scheduleData : json.value;
    const snapshot = isPlainObject(data) ? data.snapshot : undefined;
    if (!isPlainObject(snapshot) || !Array.isArray(snapshot.events)) return { ok: false, reason: 'has no snapshot with events' };
    return { ok: true, score: 90 };
  },
  async convert(s: Sniffed, context: AdapterContext): Promise<Conversion> {
    const problems: Conversion['problems'] = [];
    const doc = jsonObject(s, problems);
    if (!doc) return { request: {}, sources: new RequestBuilder({ file: s.input.fileName }).sources, problems };
    const wrapped = isOptimizationRequest(doc);
    const reader = new DtoReader(
      wrapped ? (doc.scheduleData as Record<string, unknown>) : doc,
      s.input.fileName,
      wrapped ? 'scheduleData' : '',
    );
    reader.unknownKeys(reader.doc, ['version', 'snapshot', 'metadata'], '', 'field');
    reader.metadata(context);
    reader.resources();
    reader.eventsList();
    reader.dependencies();
    readConstraints(reader);
    if (wrapped) readOptimizationRequest(reader, doc);
    requireWindows(reader);
    return reader.b.result();
  },
};

function readConstraints(r: DtoReader): void {
  const seen = new Set<string>();
  r.list(r.doc.snapshot, 'constraints', 'snapshot.constraints').forEach((c, i) => {
    const field = `snapshot.constraints[${i}]`;
    const type = typeof c.type === 'string' ? c.type.toLowerCase() : '';
    if (!CONSTRAINT_TYPES.includes(type))
      return r.b.problem(r.at(`${field}.type`), `${shown(c.type)} is not one of ${CONSTRAINT_TYPES.join(', ')}`);
    if (type === 'unavailable') return unavailable(r, c, field);
    const event = r.events.get(String(c.eventId));
    if (!event) return r.b.problem(r.at(`${field}.eventId`), `names no event (${shown(c.eventId)})`);
    if (seen.has(`${type}\u0000${c.eventId}`)) return r.b.problem(r.at(field), `repeats ${type} for event ${String(c.eventId)}`);
    seen.add(`${type}\u0000${c.eventId}`);
    const job = ['schedule', 'jobs', event.index];
    if (type === 'muststarton') return lockedAt(r, event, job, c, field);
    const key = type === 'startnoearlierthan' ? 'earliestStart' : 'deadline';
    r.b.put([...job, key], readInstant(c.date), r.at(`${field}.date`));
  });
}

function lockedAt(
  r: DtoReader,
  event: { resourceId?: string; field: string },
  job: FieldPath,
  c: Record<string, unknown>,
  field: string,
): void {
  const heater = readText(c.resourceId ?? event.resourceId);
  if (!heater.ok || !heater.value)
    return r.b.problem(r.at(field), 'muststarton needs the resource (on the constraint or its event)', [...job, 'lock']);
  r.b.set([...job, 'lock'], { equipmentId: heater.value }, r.at(field));
  r.b.put([...job, 'lock', 'start'], readInstant(c.date), r.at(`${field}.date`));
}

/** Where a heater's unavailable window comes from: a constraint (`startDate`, `endDate`) or a locked resource interval. */
export interface WindowSource {
  at: (field: string) => Location;
  startKey: string;
  endKey: string;
  /** The window's reason when the source fixes it; else the constraint's `reason`, maintenance by default. */
  reason?: 'locked';
  /** The field whose text becomes the window's notes. */
  noteKey: string;
}
const CONSTRAINT_WINDOW = (r: DtoReader): WindowSource => ({
  at: (f) => r.at(f),
  startKey: 'startDate',
  endKey: 'endDate',
  noteKey: 'notes',
});

/** A heater's unavailable window. */
export function unavailable(r: DtoReader, c: Record<string, unknown>, field: string, from = CONSTRAINT_WINDOW(r)): void {
  const k = r.heaters.get(String(c.resourceId));
  if (k === undefined) return r.b.problem(from.at(`${field}.resourceId`), `names no resource (${shown(c.resourceId)})`);
  if (!r.withHeaters) return r.b.problem(from.at(field), "an unavailable window needs the resources' capacities (the run's heaters)");
  const n = r.windowCounts.get(k) ?? 0;
  r.windowCounts.set(k, n + 1);
  const path = ['equipment', k, 'unavailability', n];
  const notes = c[from.noteKey];
  r.b.set(path, { reason: from.reason ?? c.reason ?? 'maintenance', ...(notes !== undefined ? { notes } : {}) }, from.at(field));
  r.b.put([...path, 'start'], readInstant(c[from.startKey]), from.at(`${field}.${from.startKey}`));
  r.b.put([...path, 'end'], readInstant(c[from.endKey]), from.at(`${field}.${from.endKey}`));
}

/** Every event needs its window from the constraints; says which are missing, per event. */
function requireWindows(r: DtoReader): void {
  const jobs = (r.b.request.schedule as { jobs?: Record<string, unknown>[] } | undefined)?.jobs ?? [];
  jobs.forEach((job, i) => {
    for (const [key, type] of [
      ['earliestStart', 'startnoearlierthan'],
      ['deadline', 'finishnolaterthan'],
    ]) {
      if (job && job[key] === undefined && !r.b.problems.some((p) => p.path?.[2] === i && p.path?.[3] === key)) {
        r.b.problem(
          r.at(`snapshot.events[${i}]`),
          `has no ${type} constraint (its ${key === 'deadline' ? 'deadline' : 'earliest start'})`,
          ['schedule', 'jobs', i, key],
        );
      }
    }
  });
}
