import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the next request to the orders endpoint gets instead of its page. */
export type Fault = '500' | '429' | 'hang' | 'not-json' | 'no-list';

/**
 * A local ERP: OData-style pages of orders (`$top`/`$skip`, `@odata.nextLink`), behind an API
 * key or OAuth2 client credentials, with faults queued per request. `hold()` makes every orders
 * request wait until `release()`.
 */
export class FakeErp {
  orders: Record<string, unknown>[] = [];
  readonly faults: Fault[] = [];
  /** Orders requests and token requests seen. */
  readonly seen = { orders: 0, tokens: 0, rejected: 0 };
  apiKey = 'key-123';
  client = { id: 'hs', secret: 's3cret' };
  /** Tokens the server accepts; revoking one makes the next request with it get 401. */
  readonly tokens = new Set<string>();
  selfLink = false;
  private held?: Promise<void>;
  private releaseHeld?: () => void;
  private server?: Server;
  base = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  hold(): void {
    this.held = new Promise((r) => (this.releaseHeld = r));
  }

  release(): void {
    this.releaseHeld?.();
    this.held = undefined;
  }

  async stop(): Promise<void> {
    this.release();
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base);
    if (url.pathname === '/oauth/token') return this.token(req, res);
    if (url.pathname !== '/api/orders') return json(res, 404, { error: 'not found' });
    this.seen.orders++;
    if (!this.authorised(req)) {
      this.seen.rejected++;
      return json(res, 401, { error: 'unauthorised' });
    }
    if (this.held) await this.held;
    const fault = this.faults.shift();
    if (fault === '500') return json(res, 500, { error: 'boom' });
    if (fault === '429') {
      res.writeHead(429, { 'retry-after': '1' }).end();
      return;
    }
    if (fault === 'hang') return; // never answers: the client's timeout must end it
    if (fault === 'not-json') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
      return;
    }
    if (fault === 'no-list') return json(res, 200, { message: 'hello' });
    const top = Number(url.searchParams.get('$top') ?? 100);
    const skip = Number(url.searchParams.get('$skip') ?? 0);
    const value = this.orders.slice(skip, skip + top);
    const more = skip + top < this.orders.length;
    const next = this.selfLink ? url.pathname + url.search : `/api/orders?$top=${top}&$skip=${skip + top}`;
    json(res, 200, { value, ...(more || this.selfLink ? { '@odata.nextLink': next } : {}) });
  }

  private authorised(req: IncomingMessage): boolean {
    if (req.headers['x-api-key'] === this.apiKey) return true;
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    return bearer !== undefined && this.tokens.has(bearer);
  }

  private async token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.seen.tokens++;
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const form = new URLSearchParams(body);
    if (
      form.get('grant_type') !== 'client_credentials' ||
      form.get('client_id') !== this.client.id ||
      form.get('client_secret') !== this.client.secret
    ) {
      return json(res, 401, { error: 'invalid_client' });
    }
    const token = `t-${this.seen.tokens}`;
    this.tokens.add(token);
    json(res, 200, { access_token: token, token_type: 'Bearer', expires_in: 3600 });
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** An open order in canonical field names, for the plant of the tests. */
export const order = (id: string, heatingKwh = 300) => ({
  id,
  product: `Product ${id}`,
  quantity: 100,
  unit: 'kg',
  heatingKwh,
  durationMinutes: 60,
  earliestStart: '2026-11-24T06:00',
  deadline: '2026-11-24T20:00',
});
