import { z } from 'zod';

/** How the connector proves who it is: a static API key header, or OAuth2 client credentials. */
export const ErpAuthSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('api_key'), header: z.string().min(1).default('X-API-Key'), key: z.string().min(1) }).strict(),
  z
    .object({
      kind: z.literal('oauth2'),
      tokenUrl: z.url(),
      clientId: z.string().min(1),
      clientSecret: z.string().min(1),
      scope: z.string().min(1).optional(),
    })
    .strict(),
]);

/** A REST/OData ERP's orders endpoint and how to read it. */
export const ErpEndpointSchema = z
  .object({
    baseUrl: z.url(),
    /** Resolved against baseUrl. */
    ordersPath: z.string().min(1).default('orders'),
    auth: ErpAuthSchema,
    pageSize: z.number().int().min(1).max(10_000).default(100),
    timeoutMs: z.number().int().positive().default(30_000),
    /** Tries per HTTP request (timeouts, 5xx, 429, a page that is not JSON); the workflow retries the whole pull beyond that. */
    attempts: z.number().int().min(1).max(10).default(3),
    backoffMs: z.number().int().min(0).default(500),
    maxPages: z.number().int().positive().default(1000),
  })
  .strict();
export type ErpEndpoint = z.output<typeof ErpEndpointSchema>;
export type ErpEndpointInput = z.input<typeof ErpEndpointSchema>;

/** A failed pull; `retryable` says whether trying again later may help (a 401 or a 404 will not). */
export class ErpPullError extends Error {
  /** How long the server asked us to wait (Retry-After), if it did. */
  retryAfterMs?: number;

  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'ErpPullError';
  }
}

export interface HttpDeps {
  fetch: typeof fetch;
  sleep(ms: number): Promise<void>;
}

const defaultDeps: HttpDeps = { fetch: globalThis.fetch, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

const MAX_RETRY_AFTER_MS = 30_000;
const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

/** A page of orders in any of the shapes ERPs use: OData `value` + `@odata.nextLink`, `items`/`orders` + `next`, or a bare array. */
function readPage(body: unknown, where: string): { orders: Record<string, unknown>[]; next?: string } {
  const record = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  const list = Array.isArray(body) ? body : (record?.value ?? record?.items ?? record?.orders);
  if (!Array.isArray(list)) throw new ErpPullError(`${where}: no list of orders (expected value, items, orders or an array)`, true);
  const bad = list.findIndex((o) => o === null || typeof o !== 'object' || Array.isArray(o));
  if (bad >= 0) throw new ErpPullError(`${where}: order ${bad} is not an object`, false);
  const next = record?.['@odata.nextLink'] ?? record?.nextLink ?? record?.next;
  if (next !== undefined && next !== null && typeof next !== 'string')
    throw new ErpPullError(`${where}: the next-page link is not a string`, false);
  return { orders: list as Record<string, unknown>[], next: next ?? undefined };
}

/** One ERP's session: a bearer token kept until shortly before it expires. */
export class ErpClient {
  private token?: { value: string; expiresAt: number };

  constructor(
    readonly endpoint: ErpEndpoint,
    private readonly deps: HttpDeps = defaultDeps,
    private readonly now: () => number = Date.now,
  ) {}

  /** Every order, following next-page links; requests counts each HTTP call (token included). */
  async pullOrders(): Promise<{ orders: Record<string, unknown>[]; pages: number; requests: number }> {
    const first = new URL(
      this.endpoint.ordersPath,
      this.endpoint.baseUrl.endsWith('/') ? this.endpoint.baseUrl : `${this.endpoint.baseUrl}/`,
    );
    if (!first.searchParams.has('$top')) first.searchParams.set('$top', String(this.endpoint.pageSize));
    const orders: Record<string, unknown>[] = [];
    const seen = new Set<string>();
    let url: string | undefined = first.toString();
    const counter = { requests: 0 };
    for (let page = 1; url !== undefined; page++) {
      if (seen.has(url)) throw new ErpPullError(`page ${page} links back to an earlier page (${url})`, false);
      if (page > this.endpoint.maxPages) throw new ErpPullError(`more than ${this.endpoint.maxPages} pages`, false);
      seen.add(url);
      const body = await this.getJson(url, `page ${page}`, counter);
      const read = readPage(body, `page ${page} (${url})`);
      orders.push(...read.orders);
      url = read.next === undefined ? undefined : new URL(read.next, url).toString();
    }
    return { orders, pages: seen.size, requests: counter.requests };
  }

  /** GET with the credentials; retries what may pass (network, timeouts, 5xx, 429 after its Retry-After, a body that is not JSON). */
  private async getJson(url: string, what: string, counter: { requests: number }): Promise<unknown> {
    let last: ErpPullError | undefined;
    for (let attempt = 1; attempt <= this.endpoint.attempts; attempt++) {
      if (attempt > 1) await this.deps.sleep(last?.retryAfterMs ?? this.endpoint.backoffMs * 2 ** (attempt - 2));
      try {
        return await this.getOnce(url, what, counter);
      } catch (err) {
        if (!(err instanceof ErpPullError) || !err.retryable) throw err;
        last = err;
      }
    }
    throw new ErpPullError(`${last!.message} (after ${this.endpoint.attempts} tries)`, true);
  }

  private async getOnce(url: string, what: string, counter: { requests: number }): Promise<unknown> {
    const response = await this.send(url, { headers: { accept: 'application/json', ...(await this.credentials(counter)) } }, what, counter);
    if (response.status === 401 && this.endpoint.auth.kind === 'oauth2' && this.token) {
      // The token may have been revoked or expired early: fetch a new one, once.
      this.token = undefined;
      return this.getOnce(url, what, counter);
    }
    if (!response.ok) throw statusError(response, what);
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      throw new ErpPullError(`${what}: the answer is not JSON (${text.length} bytes: ${JSON.stringify(text.slice(0, 60))})`, true);
    }
  }

  private async send(url: string, init: RequestInit, what: string, counter: { requests: number }): Promise<Response> {
    counter.requests++;
    try {
      return await this.deps.fetch(url, { ...init, signal: AbortSignal.timeout(this.endpoint.timeoutMs) });
    } catch (err) {
      const timedOut = (err as Error)?.name === 'TimeoutError';
      throw new ErpPullError(
        timedOut ? `${what}: no answer within ${this.endpoint.timeoutMs} ms` : `${what}: ${(err as Error)?.message ?? err}`,
        true,
      );
    }
  }

  private async credentials(counter: { requests: number }): Promise<Record<string, string>> {
    const { auth } = this.endpoint;
    if (auth.kind === 'api_key') return { [auth.header]: auth.key };
    if (!this.token || this.token.expiresAt <= this.now()) this.token = await this.fetchToken(auth, counter);
    return { authorization: `Bearer ${this.token.value}` };
  }

  /** OAuth2 client credentials grant (RFC 6749 §4.4), the client's id and secret in the form body. */
  private async fetchToken(auth: Extract<ErpEndpoint['auth'], { kind: 'oauth2' }>, counter: { requests: number }) {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: auth.clientId, client_secret: auth.clientSecret });
    if (auth.scope) form.set('scope', auth.scope);
    const response = await this.send(
      auth.tokenUrl,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form },
      'the token request',
      counter,
    );
    if (!response.ok) throw statusError(response, 'the token request');
    const body = (await response.json().catch(() => undefined)) as { access_token?: unknown; expires_in?: unknown } | undefined;
    if (typeof body?.access_token !== 'string') throw new ErpPullError('the token request: no access_token in the answer', false);
    const seconds = typeof body.expires_in === 'number' ? body.expires_in : 3600;
    // Renew 30 s early so that a token does not expire between the check and the request.
    return { value: body.access_token, expiresAt: this.now() + Math.max(0, seconds - 30) * 1000 };
  }
}

function statusError(response: Response, what: string): ErpPullError {
  const retryable = RETRYABLE_STATUS.has(response.status);
  const error = new ErpPullError(`${what}: HTTP ${response.status} ${response.statusText}`.trim(), retryable);
  const header = response.headers.get('retry-after');
  const seconds = header === null || header.trim() === '' ? NaN : Number(header);
  if (retryable && Number.isFinite(seconds) && seconds >= 0) error.retryAfterMs = Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
  return error;
}
