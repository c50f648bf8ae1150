import { createServer, STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Client, Connection } from '@temporalio/client';
import cors from 'cors';
import express, { type Express, type RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Db } from '../db/client.ts';
import { logger as defaultLogger } from '../infra/logger.ts';
import { authenticate, principalOf, type AuthConfig } from './auth.ts';
import { safeQuery } from './body.ts';
import { apiOptionsFromEnv, type ApiOptions } from './config.ts';
import { ApiCode, ApiError, errorBody, errorHandler, sendError, unknownRoute } from './errors.ts';
import { createMetrics, metricsRouter } from './metrics.ts';
import { alertLinkRouter } from './routes/alert-link.ts';
import { alertsRouter, subscribersRouter } from './routes/alerts.ts';
import { healthRouter } from './routes/health.ts';
import { runActionsRouter } from './routes/run-actions.ts';
import { runEventsRouter } from './routes/run-events.ts';
import { auditRouter } from './routes/audit.ts';
import { pullsRouter } from './routes/pulls.ts';
import { schedulesOptimizeRouter } from './routes/schedules-optimize.ts';
import { registryRouter } from './routes/registry.ts';
import { runsRouter } from './routes/runs.ts';
import { versionsRouter } from './routes/versions.ts';
import { publicRouter } from './web.ts';

export interface ApiDeps {
  db: Db;
  pool: pg.Pool;
  client: Client;
  connection: Connection;
}

function limiter(perMinute: number, what: string, key?: (res: express.Response) => string): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    ...(key && { keyGenerator: (_req, res) => key(res) }),
    handler: (_req, res, _next, opts) => {
      const retryAfter = res.getHeader('Retry-After') ?? '60';
      sendError(
        res,
        new ApiError(opts.statusCode, ApiCode.RATE_LIMITED, `more than ${perMinute} ${what} a minute`, [
          { path: 'request', message: `rate limit reached; retry after ${retryAfter} s` },
        ]),
      );
    },
  });
}

/**
 * The HTTP API: helmet headers, CORS only for the configured origins, rate limits, authentication
 * on everything under /api, one JSON error shape everywhere (never express's HTML page).
 */
export function createApi(deps: ApiDeps, options: ApiOptions = apiOptionsFromEnv(), log: Logger = defaultLogger): Express {
  const app = express();
  app.set('query parser', 'simple');
  app.use(helmet());
  if (options.corsOrigins.length) {
    app.use(
      cors({
        origin: options.corsOrigins,
        allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
        exposedHeaders: ['Location', 'Retry-After', 'Idempotent-Replayed', 'RateLimit', 'RateLimit-Policy'],
        maxAge: 600,
      }),
    );
  }
  const metrics = createMetrics(deps.db);
  app.use(metrics.httpMetrics);
  app.use(healthRouter(deps));
  app.use(metricsRouter(metrics.registry, { open: options.auth.mode === 'open', token: options.metricsToken }));
  app.use(limiter(options.rateLimit.perMinute, 'requests'));
  app.use(publicRouter(options));
  // Before the login check: the link's signature is the credential (permissions.ts, PUBLIC_ROUTES).
  app.use('/api/alerts', alertLinkRouter(deps, options.alertLinkSecret));
  app.use('/api', authenticate(options.auth), safeQuery);
  const submitLimiter = limiter(options.rateLimit.submitsPerMinute, 'submissions', (res) => {
    const p = principalOf(res);
    return `${p.tenant ?? '*'}\u0000${p.subject}`;
  });
  app.use('/api/runs', runsRouter(deps, options, submitLimiter));
  app.use('/api/runs', runActionsRouter(deps, options, submitLimiter), runEventsRouter(deps));
  app.use('/api/schedules/optimize', schedulesOptimizeRouter(deps, options, submitLimiter));
  app.use('/api/alerts', alertsRouter(deps));
  app.use('/api/subscribers', subscribersRouter(deps, options));
  app.use('/api/sites', registryRouter(deps, options), versionsRouter(deps, options));
  app.use('/api/audit', auditRouter(deps));
  app.use('/api/pulls', pullsRouter(deps, options));
  app.use(unknownRoute);
  app.use(errorHandler(log));
  return app;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1)$/i;

/** Malformed requests and oversized headers never reach express: answer them in JSON too. */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || err.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const body = JSON.stringify(
    tooLarge
      ? errorBody(ApiCode.HEADERS_TOO_LARGE, 'request headers too large', [{ path: 'headers', message: 'at most 16 KB of headers' }])
      : errorBody(ApiCode.INVALID_REQUEST, 'malformed HTTP request', [{ path: 'request', message: 'not parseable as HTTP/1.1' }]),
  );
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Without authentication the API may listen on a loopback address only. */
export function assertBindable(host: string, auth: AuthConfig): void {
  if (auth.mode === 'open' && !LOOPBACK.test(host)) {
    throw new Error(
      `refusing to serve the API on ${host} without authentication: set AUTH_JWT_SECRET or AUTH_JWKS_URL, or bind a loopback address (API_HOST=127.0.0.1)`,
    );
  }
}

/** Serves the API; without authentication only on a loopback address (the local demo), and says why not otherwise. */
export async function listenApi(app: Express, opts: { host: string; port: number; auth: AuthConfig }): Promise<Server> {
  assertBindable(opts.host, opts.auth);
  const server = createServer({ maxHeaderSize: 16 * 1024 }, app);
  server.on('clientError', answerClientError);
  server.headersTimeout = 20_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  return server;
}
