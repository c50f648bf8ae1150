import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutatedRequests, type FuzzRequest } from './mutate.ts';
import { smallRequest, startApi, token, type TestApi } from './support.ts';

const example = JSON.parse(readFileSync(new URL('../../examples/plant-day.json', import.meta.url), 'utf8'));
const COUNT = 3000;

interface Verdict {
  request: FuzzRequest;
  status: number;
  problem?: string;
}

/** What is wrong with an answer: a 5xx, HTML, or an error that is not the JSON shape naming where. */
function problemWith(request: FuzzRequest, status: number, type: string, text: string): string | undefined {
  if (status >= 500) return `status ${status}: ${text.slice(0, 200)}`;
  if (/<html|<!doctype|<pre>|at \w+ \(|\/work\/|node_modules|select .* from/i.test(text))
    return `leaks HTML, a stack, a path or SQL: ${text.slice(0, 200)}`;
  if (status < 400 || request.method === 'HEAD' || (request.method === 'OPTIONS' && status === 204)) return undefined;
  if (!type.startsWith('application/json')) return `error as ${type}`;
  const body = JSON.parse(text) as { code?: unknown; message?: unknown; details?: { path?: unknown; message?: unknown }[] };
  if (typeof body.code !== 'string' || typeof body.message !== 'string' || !Array.isArray(body.details))
    return `not the error shape: ${text.slice(0, 200)}`;
  if (body.details.length === 0 || body.details.some((d) => typeof d.path !== 'string' || d.path === '' || typeof d.message !== 'string')) {
    return `does not say where: ${text.slice(0, 200)}`;
  }
  return undefined;
}

describe('fuzzing the API with a few thousand mutated requests', () => {
  let api: TestApi;
  let auth: string;
  let runIds: string[];

  beforeAll(async () => {
    api = await startApi();
    auth = `Bearer ${await token('fuzz-tenant', ['planner'])}`;
    const valid = await fetch(`${api.base}/api/runs`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify(smallRequest('fuzz-tenant', example)),
    });
    runIds = [((await valid.json()) as { runId: string }).runId];
  });
  afterAll(async () => {
    await api?.close();
  });

  it('gives 0 5xx and 0 HTML; every 4xx is the JSON error shape and names where; the server stays up', async () => {
    const requests = mutatedRequests(20261124, smallRequest('fuzz-tenant', example), COUNT, runIds);
    const verdicts: Verdict[] = [];
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const request = requests[next++];
        const response = await fetch(`${api.base}${request.path}`, {
          method: request.method,
          headers: { authorization: auth, ...request.headers },
          body: request.body,
        });
        const text = await response.text();
        const type = response.headers.get('content-type') ?? '';
        verdicts.push({ request, status: response.status, problem: problemWith(request, response.status, type, text) });
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    const byStatus = verdicts.reduce<Record<number, number>>((acc, v) => ({ ...acc, [v.status]: (acc[v.status] ?? 0) + 1 }), {});
    console.info(`fuzz: ${verdicts.length} requests, by status ${JSON.stringify(byStatus)}`);
    const bad = verdicts.filter((v) => v.problem).map((v) => `${v.request.mutation}: ${v.problem}`);
    expect(bad.slice(0, 10)).toEqual([]);
    expect(verdicts).toHaveLength(COUNT);
    // Both outcomes occur: the mutations are not all refused at the door, nor all accepted.
    expect(byStatus[202]).toBeGreaterThan(0);
    expect(byStatus[400]).toBeGreaterThan(COUNT / 4);
    expect((await fetch(`${api.base}/healthz`)).status).toBe(200);
    const list = await fetch(`${api.base}/api/runs?limit=1`, { headers: { authorization: auth } });
    expect(list.status).toBe(200);
  });
});
