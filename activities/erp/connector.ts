import { z } from 'zod';
import { HttpAuthSchema, HttpPatienceSchema, JsonHttpClient, PullError, type HttpDeps } from '../http-json.ts';

export { PullError } from '../http-json.ts';

/** A REST/OData ERP's orders endpoint and how to read it. */
export const ErpEndpointSchema = z
  .object({
    baseUrl: z.url(),
    /** Resolved against baseUrl. */
    ordersPath: z.string().min(1).default('orders'),
    auth: HttpAuthSchema,
    pageSize: z.number().int().min(1).max(10_000).default(100),
    maxPages: z.number().int().positive().default(1000),
  })
  .extend(HttpPatienceSchema.shape)
  .strict();
export type ErpEndpoint = z.output<typeof ErpEndpointSchema>;
export type ErpEndpointInput = z.input<typeof ErpEndpointSchema>;

/** A page of orders in any of the shapes ERPs use: OData `value` + `@odata.nextLink`, `items`/`orders` + `next`, or a bare array. */
function readPage(body: unknown, where: string): { orders: Record<string, unknown>[]; next?: string } {
  const record = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  const list = Array.isArray(body) ? body : (record?.value ?? record?.items ?? record?.orders);
  if (!Array.isArray(list)) throw new PullError(`${where}: no list of orders (expected value, items, orders or an array)`, true);
  const bad = list.findIndex((o) => o === null || typeof o !== 'object' || Array.isArray(o));
  if (bad >= 0) throw new PullError(`${where}: order ${bad} is not an object`, false);
  const next = record?.['@odata.nextLink'] ?? record?.nextLink ?? record?.next;
  if (next !== undefined && next !== null && typeof next !== 'string')
    throw new PullError(`${where}: the next-page link is not a string`, false);
  return { orders: list as Record<string, unknown>[], next: next ?? undefined };
}

/** One ERP's session (its token is kept between pulls). */
export class ErpClient {
  private readonly http: JsonHttpClient;

  constructor(
    readonly endpoint: ErpEndpoint,
    deps?: HttpDeps,
    now?: () => number,
  ) {
    this.http = new JsonHttpClient(endpoint.auth, endpoint, deps, now);
  }

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
    const before = this.http.requests;
    for (let page = 1; url !== undefined; page++) {
      if (seen.has(url)) throw new PullError(`page ${page} links back to an earlier page (${url})`, false);
      if (page > this.endpoint.maxPages) throw new PullError(`more than ${this.endpoint.maxPages} pages`, false);
      seen.add(url);
      const body = await this.http.getJson(url, `page ${page}`);
      const read = readPage(body, `page ${page} (${url})`);
      orders.push(...read.orders);
      url = read.next === undefined ? undefined : new URL(read.next, url).toString();
    }
    return { orders, pages: seen.size, requests: this.http.requests - before };
  }
}
