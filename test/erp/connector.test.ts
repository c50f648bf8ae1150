import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErpClient, ErpEndpointSchema, PullError, type ErpEndpointInput } from '../../activities/erp/connector.ts';
import { FakeErp, order } from './fake-erp.ts';

describe('the ERP connector against a local ERP', () => {
  let erp: FakeErp;
  const waits: number[] = [];
  const deps = {
    fetch: globalThis.fetch,
    sleep: async (ms: number) => {
      waits.push(ms);
    },
  };
  const clientFor = (over: Partial<ErpEndpointInput> = {}) =>
    new ErpClient(
      ErpEndpointSchema.parse({
        baseUrl: `${erp.base}/api`,
        auth: { kind: 'api_key', key: erp.apiKey },
        pageSize: 2,
        timeoutMs: 2_000,
        backoffMs: 100,
        ...over,
      }),
      deps,
    );
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => {
        throw new Error('the pull succeeded');
      },
      (err: unknown) => err as PullError,
    );

  beforeEach(async () => {
    erp = await new FakeErp().start();
    erp.orders = ['A', 'B', 'C', 'D', 'E'].map((id) => order(id));
    waits.length = 0;
  });
  afterEach(() => erp.stop());

  it('follows the pages with an API key: 5 orders in pages of 2 are 3 pages', async () => {
    const pulled = await clientFor().pullOrders();
    expect(pulled.orders.map((o) => o.id)).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(pulled).toMatchObject({ pages: 3, requests: 3 });
  });

  it('refuses for good on a wrong key (401 is not retried)', async () => {
    const err = await failure(clientFor({ auth: { kind: 'api_key', key: 'wrong' } }).pullOrders());
    expect(err).toBeInstanceOf(PullError);
    expect(err.retryable).toBe(false);
    expect(err.message).toBe('page 1: HTTP 401 Unauthorized');
    expect(erp.seen.orders).toBe(1);
  });

  it('gets an OAuth2 token once for several pulls, and a new one when the ERP revokes it', async () => {
    const client = clientFor({ auth: { kind: 'oauth2', tokenUrl: `${erp.base}/oauth/token`, clientId: 'hs', clientSecret: 's3cret' } });
    await client.pullOrders();
    await client.pullOrders();
    expect(erp.seen.tokens).toBe(1);
    erp.tokens.clear();
    const pulled = await client.pullOrders();
    expect(pulled.orders).toHaveLength(5);
    expect(erp.seen).toMatchObject({ tokens: 2, rejected: 1 });
    const bad = clientFor({ auth: { kind: 'oauth2', tokenUrl: `${erp.base}/oauth/token`, clientId: 'hs', clientSecret: 'nope' } });
    expect((await failure(bad.pullOrders())).message).toBe('the token request: HTTP 401 Unauthorized');
  });

  it('retries a 500 and a page that is not JSON, backing off, and reads on', async () => {
    erp.faults.push('500', 'not-json');
    const pulled = await clientFor().pullOrders();
    expect(pulled.orders).toHaveLength(5);
    expect(pulled.requests).toBe(5);
    expect(waits).toEqual([100, 200]);
  });

  it('waits as long as a 429 says (Retry-After)', async () => {
    erp.faults.push('429');
    await clientFor().pullOrders();
    expect(waits).toEqual([1000]);
  });

  it('gives up after its tries with what went wrong, retryable for the workflow', async () => {
    erp.faults.push('500', '500', '500');
    const err = await failure(clientFor().pullOrders());
    expect(err.retryable).toBe(true);
    expect(err.message).toBe('page 1: HTTP 500 Internal Server Error (after 3 tries)');
  });

  it('ends a request the ERP never answers at its timeout, and tries again', async () => {
    erp.faults.push('hang');
    const pulled = await clientFor({ timeoutMs: 300 }).pullOrders();
    expect(pulled.orders).toHaveLength(5);
    erp.faults.push('hang', 'hang');
    const err = await failure(clientFor({ timeoutMs: 300, attempts: 2 }).pullOrders());
    expect(err.message).toBe('page 1: no answer within 300 ms (after 2 tries)');
  });

  it('names the bad page: no list of orders, or a next link back to itself', async () => {
    // A page without a list fails the pull at once (the workflow's retry pulls again from page 1).
    erp.faults.push('no-list');
    const noList = await failure(clientFor({ pageSize: 10 }).pullOrders());
    expect(noList.message).toMatch(
      /^page 1 \(http:.*\/api\/orders\?%24top=10\): no list of orders \(expected value, items, orders or an array\)$/,
    );
    expect(noList.retryable).toBe(true);
    erp.selfLink = true;
    const loop = await failure(clientFor().pullOrders());
    expect(loop.message).toMatch(/^page 2 links back to an earlier page/);
    expect(loop.retryable).toBe(false);
  });
});
