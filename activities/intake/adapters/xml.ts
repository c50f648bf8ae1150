import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { RunRequestSchema } from '../../../domain/run-request.ts';
import { lineAndColumn, type Location } from '../location.ts';
import { normaliseName } from '../table.ts';
import { readBoolean, readNumber, readText, shown, type Read } from '../values.ts';
import { RequestBuilder, zoneWindows } from './builder.ts';
import type { AdapterContext, Conversion, FieldPath, IntakeAdapter, Sniffed } from './types.ts';

/**
 * XML in the canonical model's shape: `<runRequest>` with `<schedule>` (its jobs as repeated
 * `<job>` elements, or inside `<jobs>`), `<equipment>` (`<heater>`), `<tariff>`, `<settings>`,
 * `<notify>`. Any field may be an attribute or a child element; names match whatever their case;
 * lists of ids are space- or comma-separated. The model's zod schema guides the conversion, so
 * the XML reads every field the JSON does. No DTDs.
 */

const ROOTS: Record<string, FieldPath> = { runrequest: [], request: [], productionschedule: ['schedule'] };

/** Names of single items of list fields, when repeated directly under their parent. */
const ITEM_NAMES: Record<string, string[]> = {
  jobs: ['job'],
  equipment: ['heater', 'equipment'],
  predecessors: ['predecessor'],
  allowedequipment: ['heater', 'equipmentid'],
  unavailability: ['window', 'unavailable'],
  changeovers: ['changeover'],
  efficiencywindows: ['efficiencywindow'],
  periods: ['period'],
  fixedcharges: ['fixedcharge', 'charge'],
  charges: ['charge', 'demandcharge'],
  pastpeaks: ['pastpeak', 'peak'],
  holidays: ['holiday'],
  email: ['email'],
  priorityweights: ['weight'],
  staffedshifts: ['shift'],
  weekdays: ['weekday'],
};

const META = XMLParser.getMetaDataSymbol() as unknown as symbol;
type XmlNode = Record<string | symbol, unknown>;
type Schema = z.ZodType;

const defOf = (s: Schema) => (s as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;

/** The schema without optional/default/nullable wrappers and transforms. */
function bare(s: Schema): Schema {
  for (;;) {
    const def = defOf(s);
    if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'readonly')
      s = def.innerType as Schema;
    else if (def.type === 'pipe') s = def.in as Schema;
    else return s;
  }
}

const decodeCharRefs = (t: string) =>
  t.replace(/&#(\d{1,7});|&#x([0-9a-f]{1,6});/gi, (m, dec, hex) => {
    const cp = dec !== undefined ? Number(dec) : parseInt(hex, 16);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
  });

/** A leaf's text; undefined when the node has child elements. */
function leafText(node: unknown): string | undefined {
  if (typeof node === 'string') return decodeCharRefs(node);
  if (node && typeof node === 'object') {
    const keys = Object.keys(node).filter((k) => k !== '#text');
    if (keys.length === 0) return decodeCharRefs(String((node as XmlNode)['#text'] ?? ''));
  }
  return undefined;
}

class XmlReader {
  readonly b: RequestBuilder;

  constructor(
    readonly text: string,
    readonly file: string | undefined,
  ) {
    this.b = new RequestBuilder(file ? { file } : {});
  }

  at(node: unknown, xpath: string): Location {
    const meta = node && typeof node === 'object' ? ((node as XmlNode)[META] as { startIndex?: number } | undefined) : undefined;
    if (meta?.startIndex === undefined) return { file: this.file, field: xpath };
    const { line, column } = lineAndColumn(this.text, meta.startIndex);
    return { file: this.file, line, column, field: xpath };
  }

  /** Converts `node` (an element, or the text of an attribute) for `schema` at `path`. */
  value(node: unknown, schema: Schema, path: FieldPath, xpath: string, parentAt: Location): unknown {
    const s = bare(schema);
    const def = defOf(s);
    const here = node && typeof node === 'object' ? this.at(node, xpath) : { ...parentAt, field: xpath };
    this.b.locate(path, here);
    switch (def.type) {
      case 'object':
        return this.object(node, def.shape as Record<string, Schema>, path, xpath, here);
      case 'record':
        return this.object(node, undefined, path, xpath, here, def.valueType as Schema);
      case 'array':
        return this.list([node], def.element as Schema, path, xpath, here);
      case 'union': {
        const shape = unionShape(s);
        if (shape) return this.object(node, shape, path, xpath, here);
        return this.leaf(node, s, path, here);
      }
      default:
        return this.leaf(node, s, path, here);
    }
  }

  leaf(node: unknown, s: Schema, path: FieldPath, here: Location): unknown {
    const text = leafText(node);
    if (text === undefined) {
      this.b.problem(here, 'must be a value, not elements', path);
      return undefined;
    }
    return this.b.put(path, readLeaf(text, s), here);
  }

  /** Children and attributes of an element, each matched to a field of the shape (or a record's key). */
  object(
    node: unknown,
    shape: Record<string, Schema> | undefined,
    path: FieldPath,
    xpath: string,
    here: Location,
    recordValue?: Schema,
  ): unknown {
    if (!node || typeof node !== 'object') {
      if (typeof node === 'string' && node.trim() === '') return this.b.ensure(path, {}, here);
      this.b.problem(here, `must be an element with fields, not the text ${shown(node)}`, path);
      return undefined;
    }
    this.b.ensure(path, {}, here);
    const el = node as XmlNode;
    if (typeof el['#text'] === 'string' && el['#text'].trim())
      this.b.problem(here, `holds the text ${shown(el['#text'])} among its fields`);
    const taken = new Set<string>();
    for (const rawKey of Object.keys(el)) {
      if (rawKey === '#text') continue;
      const name = rawKey.startsWith('@_') ? rawKey.slice(2) : rawKey;
      const target = recordValue ? { key: name, schema: recordValue, asItems: false } : fieldFor(name, shape!);
      const childPath = `${xpath}/${rawKey.startsWith('@_') ? `@${name}` : name}`;
      if (!target) {
        this.b.problem({ ...here, field: childPath }, `unknown field "${name}" (known: ${Object.keys(shape!).join(', ')})`);
        continue;
      }
      if (taken.has(target.key)) {
        this.b.problem({ ...here, field: childPath }, `gives ${target.key} twice`);
        continue;
      }
      taken.add(target.key);
      this.child(el[rawKey], target, [...path, target.key], childPath, here);
    }
    return undefined;
  }

  child(raw: unknown, target: { key: string; schema: Schema; asItems: boolean }, path: FieldPath, xpath: string, here: Location): void {
    const nodes = Array.isArray(raw) ? raw : [raw];
    const s = bare(target.schema);
    if (defOf(s).type === 'array') {
      const items = target.asItems ? nodes : unwrap(nodes);
      this.list(items, defOf(s).element as Schema, path, xpath, here);
      return;
    }
    if (nodes.length > 1) this.b.problem({ ...here, field: xpath }, `appears ${nodes.length} times; ${target.key} takes one value`, path);
    else this.value(nodes[0], target.schema, path, xpath, here);
  }

  /** A list: repeated elements, or one text of values separated by spaces or commas. */
  list(nodes: unknown[], element: Schema, path: FieldPath, xpath: string, here: Location): void {
    const primitive = !['object', 'record', 'array'].includes(defOf(bare(element)).type);
    const texts = primitive && nodes.length === 1 ? leafText(nodes[0]) : undefined;
    const items: unknown[] =
      texts !== undefined
        ? texts
            .split(/[\s,;|]+/)
            .map((t) => t.trim())
            .filter(Boolean)
        : nodes;
    this.b.ensure(path, [], here);
    items.forEach((item, i) => this.value(item, element, [...path, i], `${xpath}[${i + 1}]`, here));
  }
}

/** A leaf's text as its schema's type: numbers (and numeric literals such as 15 | 30 | 60), booleans, enum options, text. */
function readLeaf(text: string, s: Schema): Read<unknown> {
  const def = defOf(s);
  if (def.type === 'union') {
    const options = (def.options as Schema[]).map(bare);
    return options.every(isNumeric) ? readNumber(text) : readText(text);
  }
  if (def.type === 'literal') {
    const values = def.values as unknown[];
    return values.every((v) => typeof v === 'number') ? readNumber(text) : enumValue(text, values.map(String));
  }
  if (def.type === 'number') return readNumber(text);
  if (def.type === 'boolean') return readBoolean(text);
  if (def.type === 'enum') return enumValue(text, Object.values(def.entries as Record<string, string>));
  return readText(text);
}

/**
 * The fields of a union of objects (a demand charge: facility or time_of_use), all in one shape:
 * the XML says its discriminator as a field like any other and the schema then checks the whole.
 */
function unionShape(s: Schema): Record<string, Schema> | undefined {
  const options = (defOf(s).options as Schema[]).map(bare);
  if (!options.every((o) => defOf(o).type === 'object')) return undefined;
  const shape: Record<string, Schema> = {};
  for (const option of options) {
    for (const [key, field] of Object.entries(defOf(option).shape as Record<string, Schema>)) {
      const [was, now] = [shape[key] && defOf(shape[key]), defOf(field)];
      // The discriminator: one literal per option, read as any of them.
      if (was?.type === 'literal' && now.type === 'literal')
        shape[key] = z.literal([...(was.values as string[]), ...(now.values as string[])]);
      else shape[key] ??= field;
    }
  }
  return shape;
}

const isNumeric = (s: Schema) => {
  const def = defOf(s);
  return def.type === 'number' || (def.type === 'literal' && (def.values as unknown[]).every((v) => typeof v === 'number'));
};

function enumValue(text: string, options: string[]): Read<string> {
  const found = options.find((o) => normaliseName(o) === normaliseName(text));
  return found ? { ok: true, value: found } : { ok: false, message: `${shown(text)} is not one of ${options.join(', ')}` };
}

/** `<jobs><job/><job/></jobs>` → the jobs; a list of items stays as it is. */
function unwrap(nodes: unknown[]): unknown[] {
  if (nodes.length !== 1 || !nodes[0] || typeof nodes[0] !== 'object') return nodes;
  const keys = Object.keys(nodes[0]).filter((k) => k !== '#text');
  if (keys.length !== 1 || keys[0].startsWith('@_')) return nodes;
  const inner = (nodes[0] as XmlNode)[keys[0]];
  return Array.isArray(inner) ? inner : [inner];
}

/** The shape's field an element or attribute names: by name, or as a single item of a list field. */
function fieldFor(name: string, shape: Record<string, Schema>): { key: string; schema: Schema; asItems: boolean } | undefined {
  const n = normaliseName(name);
  const key = Object.keys(shape).find((k) => normaliseName(k) === n);
  if (key) return { key, schema: shape[key], asItems: false };
  const listKey = Object.keys(shape).find((k) => ITEM_NAMES[normaliseName(k)]?.includes(n) && defOf(bare(shape[k])).type === 'array');
  return listKey ? { key: listKey, schema: shape[listKey], asItems: true } : undefined;
}

const ROOT_RE = /^\s*(?:<\?[\s\S]*?\?>\s*|<!--[\s\S]*?-->\s*|<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>\s*)*<([A-Za-z_][\w.:-]*)/;

export function parseXml(text: string) {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    captureMetaData: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    processEntities: true,
    htmlEntities: false,
    maxNestedTags: 50,
    isArray: (_name: string, _jpath: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute,
  }).parse(text) as XmlNode;
}

export const xmlAdapter: IntakeAdapter = {
  format: 'xml',
  title: 'XML run request',
  extensions: ['xml'],
  sniff(s: Sniffed) {
    const text = s.text();
    if (!text.ok) return { ok: false, reason: text.reason };
    const root = ROOT_RE.exec(text.text.replace(/^\ufeff/, ''));
    if (!root) return { ok: false, reason: 'not XML (does not start with an element)' };
    if (!(normaliseName(root[1]) in ROOTS))
      return { ok: false, reason: `the root element <${root[1]}> is not <runRequest> or <productionSchedule>` };
    return { ok: true, score: 90 };
  },
  async convert(s: Sniffed, context: AdapterContext): Promise<Conversion> {
    const file = s.input.fileName;
    const text = s.text();
    const reader = new XmlReader(text.ok ? text.text.replace(/^\ufeff/, '') : '', file);
    const { b } = reader;
    const failed = (location: Location, message: string) => {
      b.problem(location, message, []);
      return b.result();
    };
    if (!text.ok) return failed({ file }, text.reason);
    const doctype = /<!DOCTYPE|<!ENTITY/i.exec(reader.text);
    if (doctype) return failed({ file, ...asLine(reader.text, doctype.index) }, 'declares a DTD or entities, which intake does not accept');
    const valid = XMLValidator.validate(reader.text);
    if (valid !== true) return failed({ file, line: valid.err.line, column: valid.err.col }, `not well-formed XML: ${valid.err.msg}`);
    let doc: XmlNode;
    try {
      doc = parseXml(reader.text);
    } catch (err) {
      return failed({ file }, `not readable XML: ${(err as Error).message}`);
    }
    const rootName = Object.keys(doc)[0];
    const base = rootName === undefined ? undefined : ROOTS[normaliseName(rootName)];
    if (!base) return failed({ file, line: 1 }, `the root element <${rootName ?? ''}> is not <runRequest> or <productionSchedule>`);
    for (const [key, value] of Object.entries(context)) b.set(['schedule', key], value);
    const rootNode = (doc[rootName] as unknown[])[0];
    const schema = base.length
      ? (defOf(RunRequestSchema).shape as Record<string, Schema>).schedule
      : (RunRequestSchema as unknown as Schema);
    reader.value(rootNode, schema, base, `/${rootName}`, { file });
    zoneWindows(b);
    return b.result();
  },
};

const asLine = (text: string, offset: number) => {
  const { line, column } = lineAndColumn(text, offset);
  return { line, column };
};
