import { z } from 'zod';

/** How a client proves who it is to a JSON endpoint: a static API key header, or OAuth2 client credentials. */
export const HttpAuthSchema = z.discriminatedUnion('kind', [
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

/** How patient a client is: per-request timeout, tries, first backoff. */
export const HttpPatienceSchema = z
  .object({
    timeoutMs: z.number().int().positive().default(30_000),
    /** Tries per HTTP request (timeouts, 5xx, 429, an answer that is not JSON); the workflow retries the whole pull beyond that. */
    attempts: z.number().int().min(1).max(10).default(3),
    backoffMs: z.number().int().min(0).default(500),
  })
  .strict();
export type HttpPatience = z.output<typeof HttpPatienceSchema>;
export type HttpAuth = z.output<typeof HttpAuthSchema>;

/** A failed pull; `retryable` says whether trying again later may help (a 401 or a 404 will not). */
export class PullError extends Error {
  /** How long the server asked us to wait (Retry-After), if it did. */
  retryAfterMs?: number;

  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'PullError';
  }
}

export interface HttpDeps {
  fetch: typeof fetch;
  sleep(ms: number): Promise<void>;
}

const defaultDeps: HttpDeps = { fetch: globalThis.fetch, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

const MAX_RETRY_AFTER_MS = 30_000;
const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * GETs JSON with credentials (none, an API key header, or an OAuth2 bearer token kept until
 * shortly before it expires and renewed on a 401), each request bounded by its timeout and
 * retried when trying again may pass.
 */
export class JsonHttpClient {
  private token?: { value: string; expiresAt: number };
  /** HTTP requests made (token requests included). */
  requests = 0;

  constructor(
    private readonly auth: HttpAuth | undefined,
    private readonly patience: HttpPatience,
    private readonly deps: HttpDeps = defaultDeps,
    private readonly now: () => number = Date.now,
  ) {}

  /** GET with the credentials; retries what may pass (network, timeouts, 5xx, 429 after its Retry-After, a body that is not JSON). */
  async getJson(url: string, what: string): Promise<unknown> {
    let last: PullError | undefined;
    for (let attempt = 1; attempt <= this.patience.attempts; attempt++) {
      if (attempt > 1) await this.deps.sleep(last?.retryAfterMs ?? this.patience.backoffMs * 2 ** (attempt - 2));
      try {
        return await this.getOnce(url, what);
      } catch (err) {
        if (!(err instanceof PullError) || !err.retryable) throw err;
        last = err;
      }
    }
    throw new PullError(`${last!.message} (after ${this.patience.attempts} tries)`, true);
  }

  private async getOnce(url: string, what: string): Promise<unknown> {
    const response = await this.send(url, { headers: { accept: 'application/json', ...(await this.credentials()) } }, what);
    if (response.status === 401 && this.auth?.kind === 'oauth2' && this.token) {
      // The token may have been revoked or expired early: fetch a new one, once.
      this.token = undefined;
      return this.getOnce(url, what);
    }
    if (!response.ok) throw statusError(response, what);
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      throw new PullError(`${what}: the answer is not JSON (${text.length} bytes: ${JSON.stringify(text.slice(0, 60))})`, true);
    }
  }

  private async send(url: string, init: RequestInit, what: string): Promise<Response> {
    this.requests++;
    try {
      return await this.deps.fetch(url, { ...init, signal: AbortSignal.timeout(this.patience.timeoutMs) });
    } catch (err) {
      const timedOut = (err as Error)?.name === 'TimeoutError';
      throw new PullError(
        timedOut ? `${what}: no answer within ${this.patience.timeoutMs} ms` : `${what}: ${(err as Error)?.message ?? err}`,
        true,
      );
    }
  }

  private async credentials(): Promise<Record<string, string>> {
    const { auth } = this;
    if (auth === undefined) return {};
    if (auth.kind === 'api_key') return { [auth.header]: auth.key };
    if (!this.token || this.token.expiresAt <= this.now()) this.token = await this.fetchToken(auth);
    return { authorization: `Bearer ${this.token.value}` };
  }

  /** OAuth2 client credentials grant (RFC 6749 §4.4), the client's id and secret in the form body. */
  private async fetchToken(auth: Extract<HttpAuth, { kind: 'oauth2' }>) {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: auth.clientId, client_secret: auth.clientSecret });
    if (auth.scope) form.set('scope', auth.scope);
    const response = await this.send(
      auth.tokenUrl,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form },
      'the token request',
    );
    if (!response.ok) throw statusError(response, 'the token request');
    const body = (await response.json().catch(() => undefined)) as { access_token?: unknown; expires_in?: unknown } | undefined;
    if (typeof body?.access_token !== 'string') throw new PullError('the token request: no access_token in the answer', false);
    const seconds = typeof body.expires_in === 'number' ? body.expires_in : 3600;
    // Renew 30 s early so that a token does not expire between the check and the request.
    return { value: body.access_token, expiresAt: this.now() + Math.max(0, seconds - 30) * 1000 };
  }
}

function statusError(response: Response, what: string): PullError {
  const retryable = RETRYABLE_STATUS.has(response.status);
  const error = new PullError(`${what}: HTTP ${response.status} ${response.statusText}`.trim(), retryable);
  const header = response.headers.get('retry-after');
  const seconds = header === null || header.trim() === '' ? NaN : Number(header);
  if (retryable && Number.isFinite(seconds) && seconds >= 0) error.retryAfterMs = Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
  return error;
}
