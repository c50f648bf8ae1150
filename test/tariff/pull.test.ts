import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fetchTariffDocument,
  parseTariffSources,
  pullOutcome,
  readPulledTariff,
  TariffServiceUnavailable,
  TariffSourceSchema,
  type TariffSourceInput,
} from '../../activities/tariff/pull.ts';
import { DomainError } from '../../domain/errors.ts';
import { freePort } from '../../infra/ports.ts';
import { CALIFORNIA_UTILITY_HOLIDAYS } from './fixtures.ts';
import { startTariffService, type Behaviour } from './tariff-service.ts';

/** The error a promise rejects with (a test failure if it resolves). */
async function failureOf<E extends Error>(promise: Promise<unknown>): Promise<E> {
  const outcome = await promise.then(
    () => undefined,
    (e: unknown) => e as E,
  );
  if (!outcome) throw new Error('expected a failure');
  return outcome;
}

const example = JSON.parse(readFileSync(new URL('../../examples/plant-day.json', import.meta.url), 'utf8'));
const urdb = JSON.parse(readFileSync(new URL('../../examples/tariffs/sce-tou-8-d.urdb.json', import.meta.url), 'utf8'));

describe('pulling a tariff from a tariff service', () => {
  let service: Awaited<ReturnType<typeof startTariffService>>;
  beforeAll(async () => {
    service = await startTariffService([{ kind: 'status', status: 500 }]);
  });
  afterAll(() => service.close());

  const source = (extra: Partial<TariffSourceInput> = {}) =>
    TariffSourceSchema.parse({ tenant: 'acme', site: 'plant-1', url: `${service.url}/tariffs/plant-1`, ...extra });
  const pull = async (behaviour: Behaviour[], extra: Partial<TariffSourceInput> = {}, timeoutMs = 2_000) => {
    service.answer(behaviour);
    const s = source(extra);
    return readPulledTariff(s, await fetchTariffDocument(s, { apiKey: 'k-123', timeoutMs }));
  };

  it('reads a tariff in HeatScheduler form, sending the API key as a bearer token', async () => {
    const { tariff } = await pull([{ kind: 'json', body: example.tariff }]);
    expect(tariff.name).toBe('ToU-Industrial-2026');
    expect(service.requests).toEqual([{ url: '/tariffs/plant-1', authorization: 'Bearer k-123' }]);
  });

  it('reads a URDB answer with the site time zone and holidays, the key in the query as URDB wants it', async () => {
    const { tariff } = await pull([{ kind: 'json', body: urdb }], {
      format: 'urdb',
      timeZone: 'America/Los_Angeles',
      holidayCalendar: CALIFORNIA_UTILITY_HOLIDAYS,
      apiKeyParam: 'api_key',
    });
    expect(tariff).toMatchObject({ utilityProvider: 'Southern California Edison Co', timeZone: 'America/Los_Angeles' });
    expect(service.requests).toEqual([{ url: '/tariffs/plant-1?api_key=k-123', authorization: undefined }]);
  });

  it('calls a 500, a maintenance page, broken JSON and a timeout worth retrying, and says which', async () => {
    const failure = (behaviour: Behaviour) => failureOf(pull([behaviour], {}, 300));
    const messages: Error[] = [];
    for (const behaviour of [{ kind: 'status', status: 503 }, { kind: 'html' }, { kind: 'broken' }, { kind: 'hang' }] as const) {
      messages.push(await failure(behaviour));
    }
    for (const m of messages) expect(m).toBeInstanceOf(TariffServiceUnavailable);
    const where = `${service.url}/tariffs/plant-1`;
    expect(messages[0].message).toBe(`${where} (acme/plant-1) answered 503`);
    expect(messages[1].message).toMatch(/answered text\/html, not JSON: <!doctype html>/);
    expect(messages[2].message).toMatch(/answered broken JSON/);
    expect(messages[3].message).toBe(`${where} no answer within 300 ms`);
  });

  it('does not retry a refused key, a missing tariff or an invalid one, and names what is wrong', async () => {
    const refused = await failureOf<DomainError>(pull([{ kind: 'status', status: 401 }]));
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused.message).toMatch(/refused the API key \(401\)$/);
    const bad = structuredClone(example.tariff);
    bad.periods[0].energyRate = -1;
    const invalid = await failureOf<DomainError>(pull([{ kind: 'json', body: bad }]));
    expect(invalid).toBeInstanceOf(DomainError);
    expect(invalid.problems).toEqual([{ path: 'tariff.periods[0].energyRate', message: 'Too small: expected number to be >=0' }]);
  });

  it('reports an unreachable service as worth retrying, never the key', async () => {
    const closed = await freePort();
    const s = TariffSourceSchema.parse({ tenant: 'a', site: 'b', url: `http://127.0.0.1:${closed}/x`, apiKeyParam: 'api_key' });
    const err = await failureOf(fetchTariffDocument(s, { apiKey: 'secret-key', timeoutMs: 2_000 }));
    expect(err).toBeInstanceOf(TariffServiceUnavailable);
    expect(err.message).toBe(`http://127.0.0.1:${closed}/x cannot be reached (ECONNREFUSED)`);
  });
});

describe('the configured tariff sources', () => {
  const one = { tenant: 'acme', site: 'plant-1', url: 'https://tariffs.example/plant-1' };

  it('reads a sources file with the defaults: daily at 05:00 UTC, 30 s timeout, 5 attempts from a minute', () => {
    expect(parseTariffSources(JSON.stringify([{ ...one, apiKey: 'k' }]), 'sources.json')).toEqual([
      {
        ...one,
        apiKey: 'k',
        format: 'tariff',
        cron: '0 5 * * *',
        timeoutSeconds: 30,
        retry: { maximumAttempts: 5, initialIntervalSeconds: 60 },
      },
    ]);
  });

  it('names the file and every field at fault', () => {
    const bad = [one, { ...one, url: 'not a url', retry: { maximumAttempts: 0 } }, { ...one, format: 'urdb' }];
    const err = (() => {
      try {
        parseTariffSources(JSON.stringify(bad), 'sources.json');
      } catch (e) {
        return e as DomainError;
      }
      throw new Error('expected a failure');
    })();
    expect(err.message).toMatch(/^tariff sources sources.json are invalid: sources\[1\]\.url: Invalid URL; /);
    expect(err.problems.map((p) => p.path)).toEqual([
      'sources[1].url',
      'sources[1].retry.maximumAttempts',
      'sources[2].timeZone',
      'sources[1].site',
      'sources[2].site',
    ]);
    expect(() => parseTariffSources('{"cut', 'sources.json')).toThrow(/^tariff sources sources.json is not JSON/);
  });

  it('stores a pulled tariff only when its hash differs from the stored version of its name and date', () => {
    expect(pullOutcome('a', undefined)).toBe('stored');
    expect(pullOutcome('a', 'a')).toBe('unchanged');
    expect(pullOutcome('a', 'b')).toBe('replaced');
  });
});
