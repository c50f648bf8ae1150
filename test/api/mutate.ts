import prand from 'pure-rand';

/** One request the fuzz test sends. */
export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** What was done to it, for the failure message. */
  mutation: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const STRINGS = [
  '',
  ' ',
  'x'.repeat(10_000),
  '😀🔥',
  '\u202eRTL',
  'e\u0301\u0301\u0301',
  'NUL\u0000inside',
  '\ud800',
  '\udfff lone low',
  '<script>alert(1)</script>',
  "'; drop table optimization_runs; --",
  '../../etc/passwd',
  '2026-02-30',
  '2026-11-24T25:00',
  'America/Nowhere',
  '%00',
];
// As JSON text, so that values JSON.stringify cannot produce (1e400, -0, 2^53+1) reach the server.
const NUMBERS = [
  '0',
  '-0',
  '1e308',
  '-1e308',
  '1e400',
  '-1e400',
  '9007199254740993',
  '1e-400',
  '0.1',
  '-1',
  '3600.0000001',
  '123456789012345678901234567890',
];

/** A seeded stream of mutated requests around a valid body: structure, types, sizes, unicode, NUL, huge numbers. */
export function mutatedRequests(seed: number, base: unknown, count: number, runIds: string[]): FuzzRequest[] {
  const rng = prand.xoroshiro128plus(seed);
  const int = (lo: number, hi: number) => prand.unsafeUniformIntDistribution(lo, hi, rng);
  const pick = <T>(list: readonly T[]): T => list[int(0, list.length - 1)];
  const out: FuzzRequest[] = [];
  for (let i = 0; i < count; i++) {
    const kind = int(0, 9);
    if (kind <= 5) out.push(mutatedBody(base as Json, int, pick));
    else if (kind <= 7) out.push(mutatedText(base as Json, int, pick));
    else out.push(mutatedRoute(runIds, int, pick));
  }
  return out;
}

const post = (body: string | Buffer, mutation: string, headers: Record<string, string> = {}): FuzzRequest => ({
  method: 'POST',
  path: '/api/runs',
  headers: { 'content-type': 'application/json', ...headers },
  body,
  mutation,
});

/** Paths to every value in a JSON tree. */
function paths(value: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

const PLACEHOLDER = '\u0001placeholder\u0001';

function mutatedBody(base: Json, int: (lo: number, hi: number) => number, pick: <T>(l: readonly T[]) => T): FuzzRequest {
  const doc = structuredClone(base);
  const all = paths(doc).filter((p) => p.length > 0);
  const target = pick(all);
  const parent = target.slice(0, -1).reduce<Json>((node, key) => (node as Record<string | number, Json>)[key], doc) as Record<
    string | number,
    Json
  >;
  const key = target[target.length - 1];
  const at = target.join('.');
  const op = int(0, 7);
  let raw: string | undefined;
  if (op === 0) {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else if (op === 1) parent[key] = pick<Json>([null, true, 42, 'text', [], {}, [1, 'a', null], { unexpected: 1 }]);
  else if (op === 2) parent[key] = pick(STRINGS);
  else if (op === 3) {
    parent[key] = PLACEHOLDER;
    raw = JSON.stringify(doc).replace(JSON.stringify(PLACEHOLDER), pick(NUMBERS));
  } else if (op === 4 && Array.isArray(parent[key])) {
    const list = parent[key] as Json[];
    parent[key] = Array.from({ length: pick([0, 1, 5001]) }, (_, i) => structuredClone(list[i % Math.max(1, list.length)] ?? null));
  } else if (op === 5) (parent as Record<string, Json>)[pick(['extra', '__proto__', 'constructor', '', 'x'.repeat(5000)])] = 1;
  else if (op === 6) parent[key] = JSON.parse(JSON.stringify(parent[key] ?? null)) === null ? 0 : String(parent[key]);
  // op 7 (and 4 on a non-array): the body stays valid.
  return post(raw ?? JSON.stringify(doc), `body op ${op} at ${at}`);
}

function mutatedText(base: Json, int: (lo: number, hi: number) => number, pick: <T>(l: readonly T[]) => T): FuzzRequest {
  const text = JSON.stringify(base);
  const op = int(0, 6);
  const cut = int(0, text.length);
  switch (op) {
    case 0:
      return post(text.slice(0, cut), `truncated at ${cut}`);
    case 1:
      return post(
        Buffer.concat([Buffer.from(text.slice(0, cut)), Buffer.from([0xff, 0xfe, 0x00, 0xc3]), Buffer.from(text.slice(cut))]),
        `invalid UTF-8 at ${cut}`,
      );
    case 2:
      return post(`${'['.repeat(int(1, 5000))}${text}`, 'unbalanced nesting');
    case 3:
      return post(text, 'content type', {
        'content-type': pick(['text/plain', 'application/xml', 'application/json; charset=utf-16', 'multipart/form-data', '', 'x/y']),
      });
    case 4:
      return post(text, 'idempotency key', { 'idempotency-key': pick(['', ' ', 'k'.repeat(201), 'ok-key', 'é', 'a\tb']) });
    case 5:
      return post(pick(['null', '[]', '""', '0', 'true', '{}', '{"schedule":null}', '\ufeff{}']), 'scalar body');
    default:
      return post(
        text.replace(/[{}[\]:,]/, () => pick(['', '{', ']', ':', ',,'])),
        'swapped punctuation',
      );
  }
}

function mutatedRoute(runIds: string[], int: (lo: number, hi: number) => number, pick: <T>(l: readonly T[]) => T): FuzzRequest {
  const id = pick([
    pick(runIds),
    'abc',
    '',
    '00000000-0000-0000-0000-000000000000',
    `${pick(runIds)}x`,
    '%00',
    '..%2f..%2fetc',
    'Ω'.repeat(50),
    '1e400',
  ]);
  const query = pick([
    '',
    '?limit=0',
    '?limit=1e400',
    '?limit=abc',
    '?status=done',
    '?cursor=abc',
    '?cursor=' + 'A'.repeat(400),
    '?limit=5&limit=6',
    '?siteId=%00',
  ]);
  const path = pick([
    `/api/runs${query}`,
    `/api/runs/${id}`,
    `/api/runs/${id}/provenance`,
    `/api/runs/${id}/report.json`,
    `/api/runs/${id}/report.txt`,
    '/api/nothing',
    `/api/runs/${id}/x`,
  ]);
  const method = pick(['GET', 'GET', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD']);
  return {
    method,
    path,
    headers: int(0, 4) === 0 ? { 'x-tenant-id': 'x'.repeat(10_000) } : {},
    mutation: `${method} ${path.slice(0, 80)}`,
  };
}
