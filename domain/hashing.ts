import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted, `undefined` members dropped, numbers rounded to 9 decimals
 * and printed in JavaScript's shortest round-trip form (which is the same on every machine),
 * -0 written as 0. Non-finite numbers and non-plain values are refused rather than guessed.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value, '$'));
}

function canonicalize(value: unknown, path: string): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`canonicalJson: ${path} is not a finite number`);
    const rounded = Math.round(value * 1e9) / 1e9;
    return Object.is(rounded, -0) ? 0 : rounded;
  }
  if (Array.isArray(value)) return value.map((v, i) => canonicalize(v === undefined ? null : v, `${path}[${i}]`));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = canonicalize(v, `${path}.${key}`);
    }
    return out;
  }
  throw new Error(`canonicalJson: ${path} is a ${typeof value} (${Object.prototype.toString.call(value)}), not plain data`);
}

export function sha256Hex(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * One link of the provenance chain: SHA-256 over the canonical JSON of the parent hashes, the
 * step name and the step output. Steps that ran in parallel (tariff, equipment) share a parent;
 * the step after them names both.
 */
export function chainHash(parents: string[], step: string, output: unknown): string {
  return sha256Hex(canonicalJson({ parents, step, output }));
}

export interface StoredStep {
  step: string;
  parents: string[];
  /** The step output exactly as stored (canonical JSON text). */
  outputJson: string;
  hash: string;
}

export type ChainVerdict = { ok: true; head: string } | { ok: false; step: string; reason: string };

/** Recomputes every link in order; any edit to an output, a parent or a hash breaks it. */
export function verifyChain(steps: StoredStep[]): ChainVerdict {
  const known = new Set<string>();
  let head = '';
  for (const s of steps) {
    for (const parent of s.parents) {
      if (!known.has(parent)) return { ok: false, step: s.step, reason: `parent ${parent.slice(0, 12)}… is not an earlier step` };
    }
    let output: unknown;
    try {
      output = JSON.parse(s.outputJson);
    } catch {
      return { ok: false, step: s.step, reason: 'stored output is not JSON' };
    }
    if (canonicalJson(output) !== s.outputJson) return { ok: false, step: s.step, reason: 'stored output is not in canonical form' };
    const expected = chainHash(s.parents, s.step, output);
    if (expected !== s.hash)
      return { ok: false, step: s.step, reason: `hash mismatch: stored ${s.hash.slice(0, 12)}…, recomputed ${expected.slice(0, 12)}…` };
    known.add(s.hash);
    head = s.hash;
  }
  return { ok: true, head };
}
