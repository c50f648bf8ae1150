import type { DateTime } from 'luxon';
import { HEATER_COLUMNS } from '../columns.ts';
import type { Location } from '../location.ts';
import { matchField, normaliseName, readCell, type FieldSpec } from '../table.ts';
import { readNumber, readQuantity, readText, shown } from '../values.ts';
import { RequestBuilder } from './builder.ts';
import { JsonDocReader } from './json-reader.ts';
import { isPlainObject, jsonObject } from './canonical-json.ts';
import { checkZone, hhmm, hourOfShift, parseShiftWindow, timeWithin, type Shift } from './legacy-time.ts';
import type { AdapterContext, Conversion, IntakeAdapter, Sniffed } from './types.ts';

/**
 * The legacy ERP export of the multi-tenant seed (its "client B"): a shift window, orders with
 * operations by step, machine names whose prefix is their capability, breaks that split the
 * machines' calendars, setup times between families. Extended for heating: each operation's heat
 * (`kwh`), the machines' ratings (`machine_specs`), the site's `timezone`.
 */
const TOP_KEYS = [
  'client_id',
  'clientId',
  'tenant',
  'plant',
  'site',
  'timezone',
  'time_zone',
  'shift_window',
  'machines',
  'machine_specs',
  'machine_breaks',
  'orders',
  'setup_times',
  'settings',
];
const ORDER_KEYS = [
  'order_id',
  'id',
  'product',
  'family',
  'qty',
  'quantity',
  'unit',
  'priority',
  'deadline_hour',
  'release_hour',
  'operations',
];
const OPERATION_KEYS = ['step', 'type', 'minutes', 'kwh', 'max_kw', 'wait_minutes'];

interface Machine {
  name: string;
  capability: string;
  /** Where its spec is written, when it has one. */
  spec?: { value: Record<string, unknown>; field: string };
}

/** `Furnace-2` → `furnace`, `Fill-1` → `fill`: the name without its trailing number. */
export function capabilityOf(name: string): string {
  return normaliseName(name.replace(/[-_ ]*\d+[a-z]?$/i, '')) || normaliseName(name);
}

/** The heater type a machine's name suggests, when its spec does not say. */
export function typeFromName(name: string): string | undefined {
  const n = name.toLowerCase();
  if (/heat[-_ ]?pump|^hp\b|^hp[-_ ]?\d/.test(n)) return 'heat_pump';
  if (/boiler|burner|gas|furnace/.test(n)) return 'gas_boiler';
  if (/electric|^eh\b|^eh[-_ ]?\d|e-?heater|induction|resist|oven/.test(n)) return 'electric';
  return undefined;
}

class LegacyReader extends JsonDocReader {
  machines: Machine[] = [];
  withSpecs = false;

  /** Tenant, site, zone and shift: what every other part needs. */
  header(context: AdapterContext): Shift | undefined {
    const { b, doc } = this;
    b.ensure(['schedule'], {}, { file: this.file });
    this.unknownKeys(doc, TOP_KEYS, '');
    const text = (key: string, fallback: string | undefined, path: string[]) => {
      const raw = doc[key] ?? fallback;
      if (raw === undefined) b.problem(this.at(key), `is missing: say which ${key} the orders are for`, path);
      else b.put(path, readText(raw), this.at(key));
    };
    text('tenant', context.tenant, ['schedule', 'tenant']);
    text(doc.site !== undefined ? 'site' : 'plant', context.site, ['schedule', 'site']);
    const zoneKey = doc.time_zone !== undefined ? 'time_zone' : 'timezone';
    const zoneRaw = doc[zoneKey] ?? context.timeZone;
    if (zoneRaw === undefined) {
      b.problem(this.at(zoneKey), 'is missing: the site time zone (e.g. America/Chicago) that the shift window and hours are in', [
        'schedule',
        'timeZone',
      ]);
      return undefined;
    }
    const zone = b.put(['schedule', 'timeZone'], checkZone(zoneRaw), this.at(zoneKey));
    if (!zone) return undefined;
    const shift = b.put(['schedule', 'scheduleDate'], parseShiftWindow(doc.shift_window, zone), this.at('shift_window'));
    if (!shift) return undefined;
    b.set(['schedule', 'scheduleDate'], shift.date);
    b.set(['schedule', 'horizonDays'], shift.horizonDays, this.at('shift_window'));
    b.set(['schedule', 'sourceSystem'], 'ERP');
    return shift;
  }

  readMachines(): void {
    const { b, doc } = this;
    if (!Array.isArray(doc.machines) || doc.machines.length === 0) {
      b.problem(this.at('machines'), 'must list the machines (names, or objects with a name and their ratings)');
      return;
    }
    const specs = isPlainObject(doc.machine_specs) ? doc.machine_specs : {};
    if (doc.machine_specs !== undefined && !isPlainObject(doc.machine_specs))
      b.problem(this.at('machine_specs'), 'must be an object keyed by machine name');
    doc.machines.forEach((m, i) => {
      const field = `machines[${i}]`;
      const name = readText(isPlainObject(m) ? m.name : m);
      if (!name.ok || !name.value) return b.problem(this.at(isPlainObject(m) ? `${field}.name` : field), 'must be a machine name');
      if (this.machines.some((x) => x.name === name.value)) return b.problem(this.at(field), `repeats the machine ${name.value}`);
      const spec = isPlainObject(m)
        ? { value: m, field }
        : isPlainObject(specs[name.value])
          ? { value: specs[name.value] as Record<string, unknown>, field: `machine_specs.${name.value}` }
          : undefined;
      const capability =
        isPlainObject(spec?.value) && typeof spec.value.capability === 'string'
          ? normaliseName(spec.value.capability)
          : capabilityOf(name.value);
      this.machines.push({ name: name.value, capability, spec });
    });
    for (const name of Object.keys(specs)) {
      if (!this.machines.some((m) => m.name === name)) b.problem(this.at(`machine_specs.${name}`), 'names no machine of "machines"');
    }
    this.heaters();
  }

  /** Machines with specs become the request's heaters; with none, the site's registered heaters are used. */
  heaters(): void {
    const withSpec = this.machines.filter((m) => m.spec);
    if (withSpec.length === 0) return;
    if (withSpec.length < this.machines.length) {
      const missing = this.machines.filter((m) => !m.spec).map((m) => m.name);
      this.b.problem(
        this.at('machine_specs'),
        `has no ratings for ${missing.join(', ')}: give every machine its specs, or none (the site's registered heaters)`,
      );
      return;
    }
    this.withSpecs = true;
    const specFields: FieldSpec[] = HEATER_COLUMNS.filter((s) => s.key[0] !== 'id' && s.key[0] !== 'name');
    this.machines.forEach((m, i) => {
      const { value, field } = m.spec!;
      this.b.set(['equipment', i], { id: m.name, name: m.name }, this.at(field));
      for (const [key, raw] of Object.entries(value)) {
        if (key === 'name' || key === 'capability') continue;
        const match = matchField(key, specFields);
        if (!match) {
          this.b.problem(
            this.at(`${field}.${key}`),
            `unknown machine spec (known: ${specFields.map((s) => s.label).join(', ')}, capability)`,
          );
          continue;
        }
        this.b.put(['equipment', i, ...match.spec.key], readCell(match.spec, raw, match.unit, {}), this.at(`${field}.${key}`));
      }
      if (value.type === undefined) {
        const type = typeFromName(m.name);
        if (type) this.b.set(['equipment', i, 'type'], type);
        else this.b.problem(this.at(field), `cannot tell the heater type from the name ${m.name}: give "type"`, ['equipment', i, 'type']);
      }
    });
  }

  readOrders(shift: Shift): void {
    const { b, doc } = this;
    if (!Array.isArray(doc.orders) || doc.orders.length === 0) {
      b.problem(this.at('orders'), 'must list the orders', ['schedule', 'jobs']);
      return;
    }
    const jobs: string[] = [];
    doc.orders.forEach((order, o) => {
      if (!isPlainObject(order)) return b.problem(this.at(`orders[${o}]`), 'must be an object');
      this.unknownKeys(order, ORDER_KEYS, `orders[${o}]`);
      this.readOrder(order, o, shift, jobs);
    });
  }

  private readOrder(order: Record<string, unknown>, o: number, shift: Shift, jobs: string[]): void {
    const { b } = this;
    const field = `orders[${o}]`;
    const idKey = order.order_id !== undefined ? 'order_id' : 'id';
    const id = readText(order[idKey]);
    if (!id.ok || !id.value) return b.problem(this.at(`${field}.${idKey}`), 'must be the order id', ['schedule', 'jobs']);
    const ops = Array.isArray(order.operations) ? order.operations : [];
    if (ops.length === 0)
      return b.problem(this.at(`${field}.operations`), "must list the order's operations (step, type, minutes, kwh)", ['schedule', 'jobs']);
    const window = this.orderWindow(order, field, shift);
    const steps = ops.map((op, k) => ({ op, k, step: isPlainObject(op) ? readNumber(op.step) : readNumber(undefined) }));
    const bad = steps.find((s) => !isPlainObject(s.op) || !s.step.ok);
    if (bad) return b.problem(this.at(`${field}.operations[${bad.k}].step`), 'every operation needs a numeric step', ['schedule', 'jobs']);
    steps.sort((x, y) => (x.step as { value: number }).value - (y.step as { value: number }).value);
    for (let n = 1; n < steps.length; n++) {
      const [prev, cur] = [steps[n - 1].step as { value: number }, steps[n].step as { value: number }];
      if (prev.value === cur.value) b.problem(this.at(`${field}.operations[${steps[n].k}].step`), `repeats step ${cur.value} of the order`);
    }
    let previous: string | undefined;
    for (const { op, k, step } of steps) {
      const jobId = ops.length === 1 ? id.value : `${id.value}-${(step as { value: number }).value}`;
      this.readOperation(op as Record<string, unknown>, {
        order,
        field,
        opField: `${field}.operations[${k}]`,
        jobId,
        previous,
        window,
        index: jobs.length,
      });
      jobs.push(jobId);
      previous = jobId;
    }
  }

  /** The order's window: from the shift start (or its release hour) to its deadline hour, within the shift. */
  private orderWindow(order: Record<string, unknown>, field: string, shift: Shift): { start?: DateTime; end?: DateTime } {
    let start: DateTime | undefined = shift.start;
    let end: DateTime | undefined;
    if (order.release_hour !== undefined) {
      const r = hourOfShift(order.release_hour, shift);
      if (!r.ok) this.b.problem(this.at(`${field}.release_hour`), r.message);
      else if (r.value > shift.start) start = r.value;
    }
    if (order.deadline_hour === undefined) {
      this.b.problem(this.at(`${field}.deadline_hour`), "is missing: the hour the order is due, from the shift date's midnight");
      return { start };
    }
    const d = hourOfShift(order.deadline_hour, shift);
    if (!d.ok) this.b.problem(this.at(`${field}.deadline_hour`), d.message);
    else if (start && d.value <= start) {
      this.b.problem(
        this.at(`${field}.deadline_hour`),
        `${order.deadline_hour} (${hhmm(d.value)}) is not after the order may start (${hhmm(start)})`,
      );
    } else end = d.value < shift.end ? d.value : shift.end; // the machines' calendars end with the shift
    return { start, end };
  }

  private readOperation(
    op: Record<string, unknown>,
    c: {
      order: Record<string, unknown>;
      field: string;
      opField: string;
      jobId: string;
      previous?: string;
      window: { start?: DateTime; end?: DateTime };
      index: number;
    },
  ): void {
    const { b } = this;
    const job = ['schedule', 'jobs', c.index];
    const at = (key: string) => this.at(`${c.opField}.${key}`);
    this.unknownKeys(op, OPERATION_KEYS, c.opField);
    b.set(job, { id: c.jobId }, this.at(c.opField));
    b.locate([...job, 'id'], this.at(`${c.field}.${c.order.order_id !== undefined ? 'order_id' : 'id'}`));
    const orderText = (key: string, target: string, fallback?: string) => {
      const raw = c.order[key] ?? fallback;
      if (raw !== undefined) b.put([...job, target], readText(raw), this.at(`${c.field}.${key}`));
      else b.locate([...job, target], this.at(c.field));
    };
    orderText('product', 'product', typeof c.order.order_id === 'string' ? c.order.order_id : undefined);
    orderText('family', 'productFamily');
    orderText('unit', 'unit', 'lot');
    const qtyKey = c.order.quantity !== undefined ? 'quantity' : 'qty';
    b.put(
      [...job, 'quantity'],
      c.order[qtyKey] === undefined ? { ok: true, value: 1 } : readNumber(c.order[qtyKey]),
      this.at(`${c.field}.${qtyKey}`),
    );
    if (c.order.priority !== undefined) b.put([...job, 'priority'], readNumber(c.order.priority), this.at(`${c.field}.priority`));
    b.set(
      [...job, 'earliestStart'],
      c.window.start?.toISO(),
      this.at(c.order.release_hour !== undefined ? `${c.field}.release_hour` : 'shift_window'),
    );
    b.set([...job, 'deadline'], c.window.end?.toISO(), this.at(`${c.field}.deadline_hour`));
    if (!c.window.start || !c.window.end) b.cover([...job, 'deadline']); // orderWindow said why
    b.put([...job, 'heatingKwh'], readQuantity(op.kwh, 'energy'), at('kwh'));
    b.put([...job, 'durationMinutes'], readQuantity(op.minutes, 'duration'), at('minutes'));
    if (op.max_kw !== undefined) b.put([...job, 'maxThermalKw'], readQuantity(op.max_kw, 'power'), at('max_kw'));
    this.route(op, c.previous, job, at);
  }

  /** The machines that can run the operation, and the step before it. */
  private route(op: Record<string, unknown>, previous: string | undefined, job: (string | number)[], at: (key: string) => Location): void {
    const type = readText(op.type);
    if (!type.ok || !type.value)
      this.b.problem(at('type'), 'must name the capability the operation needs (a machine name prefix)', [...job, 'allowedEquipment']);
    else {
      const able = this.machines.filter((m) => m.capability === normaliseName(type.value)).map((m) => m.name);
      if (able.length === 0 && this.machines.length) {
        const caps = [...new Set(this.machines.map((m) => m.capability))].join(', ');
        this.b.problem(at('type'), `no machine can do ${shown(type.value)} (capabilities: ${caps})`, [...job, 'allowedEquipment']);
      } else if (able.length) this.b.set([...job, 'allowedEquipment'], able, at('type'));
    }
    if (previous === undefined) return;
    const lag = op.wait_minutes === undefined ? { ok: true as const, value: 0 } : readQuantity(op.wait_minutes, 'duration');
    if (!lag.ok) return this.b.problem(at('wait_minutes'), lag.message, [...job, 'predecessors']);
    this.b.set([...job, 'predecessors'], [{ jobId: previous, type: 'finish_to_start', lagMinutes: lag.value }], at('step'));
  }

  readBreaks(shift: Shift): void {
    const { b, doc } = this;
    if (doc.machine_breaks === undefined) return;
    if (!Array.isArray(doc.machine_breaks)) return b.problem(this.at('machine_breaks'), 'must be a list of { machine, start, end }');
    const counts = new Map<number, number>();
    doc.machine_breaks.forEach((br, k) => {
      const field = `machine_breaks[${k}]`;
      if (!isPlainObject(br)) return b.problem(this.at(field), 'must be an object { machine, start, end }');
      const m = this.machines.findIndex((x) => x.name === br.machine);
      if (m < 0)
        return b.problem(
          this.at(`${field}.machine`),
          `names no machine (${shown(br.machine)}; machines: ${this.machines.map((x) => x.name).join(', ')})`,
        );
      if (!this.withSpecs) {
        return b.problem(
          this.at(field),
          "a break splits the machine's calendar, which needs the machines' ratings in this file (machine_specs)",
        );
      }
      const start = timeWithin(br.start, shift.start, true);
      if (!start.ok) return b.problem(this.at(`${field}.start`), start.message);
      const end = timeWithin(br.end, start.value, false);
      if (!end.ok) return b.problem(this.at(`${field}.end`), end.message);
      if (end.value > shift.end)
        return b.problem(
          this.at(field),
          `${hhmm(start.value)}-${hhmm(end.value)} is not within the shift (${hhmm(shift.start)}-${hhmm(shift.end)})`,
        );
      const j = counts.get(m) ?? 0;
      counts.set(m, j + 1);
      b.set(
        ['equipment', m, 'unavailability', j],
        { start: start.value.toISO(), end: end.value.toISO(), reason: 'offline', notes: 'break' },
        this.at(field),
      );
    });
  }

  readSetupTimes(): void {
    const { b, doc } = this;
    if (doc.setup_times === undefined) return;
    const entries: { from: unknown; to: unknown; minutes: unknown; field: string }[] = [];
    if (isPlainObject(doc.setup_times)) {
      for (const [pair, minutes] of Object.entries(doc.setup_times)) {
        const [from, to, extra] = pair.split('->');
        entries.push({ from: extra === undefined ? from?.trim() : undefined, to: to?.trim(), minutes, field: `setup_times["${pair}"]` });
      }
    } else if (Array.isArray(doc.setup_times)) {
      doc.setup_times.forEach((e, k) => {
        const { from, to, minutes } = isPlainObject(e) ? e : {};
        entries.push({ from, to, minutes, field: `setup_times[${k}]` });
      });
    } else return b.problem(this.at('setup_times'), 'must be an object { "family->family": minutes } or a list of { from, to, minutes }');
    if (!this.withSpecs)
      return b.problem(
        this.at('setup_times'),
        'changeovers belong to the machines, which needs their ratings in this file (machine_specs)',
      );
    const changeovers: { fromFamily: string; toFamily: string; minutes: number }[] = [];
    for (const e of entries) {
      const minutes = readQuantity(e.minutes, 'duration');
      if (typeof e.from !== 'string' || typeof e.to !== 'string' || !e.from || !e.to)
        b.problem(this.at(e.field), 'must name two families as "from->to"');
      else if (!minutes.ok) b.problem(this.at(e.field), minutes.message);
      else changeovers.push({ fromFamily: e.from, toFamily: e.to, minutes: minutes.value });
    }
    this.machines.forEach((_, m) => b.set(['equipment', m, 'changeovers'], changeovers, this.at('setup_times')));
  }

  settings(): void {
    if (this.doc.settings !== undefined) this.b.set(['settings'], this.doc.settings, this.at('settings'));
  }
}

export const legacyErpAdapter: IntakeAdapter = {
  format: 'legacy-erp',
  title: 'legacy ERP JSON',
  extensions: ['json'],
  sniff(s: Sniffed) {
    const json = s.json();
    if (!json.ok) return { ok: false, reason: json.reason };
    if (!isPlainObject(json.value)) return { ok: false, reason: 'the JSON is not an object' };
    const missing = ['shift_window', 'orders'].filter((k) => !(k in (json.value as object)));
    return missing.length ? { ok: false, reason: `has no ${missing.join(' and ')}` } : { ok: true, score: 90 };
  },
  async convert(s: Sniffed, context: AdapterContext): Promise<Conversion> {
    const problems: Conversion['problems'] = [];
    const doc = jsonObject(s, problems);
    if (!doc) return { request: {}, sources: new RequestBuilder({ file: s.input.fileName }).sources, problems };
    const reader = new LegacyReader(doc, s.input.fileName);
    const shift = reader.header(context);
    reader.readMachines();
    if (shift) {
      reader.readOrders(shift);
      reader.readBreaks(shift);
    } else {
      // Without the zone and shift no hour can be read; the header's problems say why.
      reader.b.cover(['schedule', 'scheduleDate']);
      reader.b.cover(['schedule', 'jobs']);
    }
    reader.readSetupTimes();
    reader.settings();
    return reader.b.result();
  },
};
