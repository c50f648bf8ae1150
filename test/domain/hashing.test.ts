import { describe, expect, it } from 'vitest';
import { canonicalJson, chainHash, sha256Hex, verifyChain, type StoredStep } from '../../domain/hashing.ts';

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: undefined, x: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[2,{"x":null,"z":1}]},"b":1}',
    );
  });

  it('formats numbers the same way whatever arithmetic produced them', () => {
    expect(canonicalJson({ v: 0.1 + 0.2 })).toBe(canonicalJson({ v: 0.3 }));
    expect(canonicalJson({ v: -0 })).toBe('{"v":0}');
    expect(canonicalJson({ v: 1e-12 })).toBe('{"v":0}');
  });

  it('refuses values it cannot represent faithfully', () => {
    expect(() => canonicalJson({ v: NaN })).toThrow(/\$\.v is not a finite number/);
    expect(() => canonicalJson({ when: new Date(0) })).toThrow(/not plain data/);
  });

  it('gives a known SHA-256 for a known chain link (same on every machine)', () => {
    // sha256 of {"output":{"a":1},"parents":[],"step":"intake"}
    expect(chainHash([], 'intake', { a: 1 })).toBe(sha256Hex('{"output":{"a":1},"parents":[],"step":"intake"}'));
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('chain verification', () => {
  function chain(): StoredStep[] {
    const steps: StoredStep[] = [];
    const add = (step: string, parents: string[], output: unknown) => {
      const outputJson = canonicalJson(output);
      const hash = chainHash(parents, step, output);
      steps.push({ step, parents, outputJson, hash });
      return hash;
    };
    const intake = add('intake', [], { jobs: 2 });
    const tariff = add('tariff', [intake], { rate: 0.1 });
    const equipment = add('equipment', [intake], { heaters: 1 });
    add('optimize', [tariff, equipment], { cost: 12.5 });
    return steps;
  }

  it('accepts an untouched chain and reports its head', () => {
    const steps = chain();
    expect(verifyChain(steps)).toEqual({ ok: true, head: steps[3].hash });
  });

  it('catches an edited output', () => {
    const steps = chain();
    steps[1].outputJson = canonicalJson({ rate: 0.05 });
    expect(verifyChain(steps)).toMatchObject({ ok: false, step: 'tariff' });
  });

  it('catches an edited output whose hash was recomputed too, at the next link', () => {
    const steps = chain();
    steps[1].outputJson = canonicalJson({ rate: 0.05 });
    steps[1].hash = chainHash(steps[1].parents, 'tariff', { rate: 0.05 });
    expect(verifyChain(steps)).toMatchObject({ ok: false, step: 'optimize' });
  });
});
