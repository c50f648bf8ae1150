import { randomUUID } from 'node:crypto';
import { ServiceError } from '@temporalio/client';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { ErrorCode, type FieldProblem } from '../domain/errors.ts';
import { fieldProblems } from '../domain/validation.ts';

/**
 * The API's one error shape: `{ code, message, details }`, details naming where (`body.schedule.jobs[0].id`,
 * `params.id`, `query.limit`, `headers.content-type`). Codes: the domain's E001…E008 and these.
 */
export const ApiCode = {
  INVALID_REQUEST: ErrorCode.INVALID_SCHEDULE,
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  RATE_LIMITED: 'RATE_LIMITED',
  HEADERS_TOO_LARGE: 'HEADERS_TOO_LARGE',
  UNAVAILABLE: 'UNAVAILABLE',
  INTERNAL: 'INTERNAL',
} as const;

export interface ErrorBody {
  code: string;
  message: string;
  details: FieldProblem[];
}

const MAX_DETAILS = 100;
const MAX_TEXT = 300;

/** Cuts what may echo client input (a path with a huge key, a parser message) to a readable length. */
export function bounded(text: string, max = MAX_TEXT): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldProblem[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const invalid = (details: FieldProblem[], message = 'invalid request') =>
  new ApiError(400, ApiCode.INVALID_REQUEST, message, details);
export const forbidden = (message: string, details: FieldProblem[] = []) => new ApiError(403, ApiCode.FORBIDDEN, message, details);
export const notFound = (message: string, path: string) => new ApiError(404, ApiCode.NOT_FOUND, message, [{ path, message }]);

/** zod issues as details under a location prefix (`body`, `query`, `params`). */
export function zodDetails(error: z.ZodError, prefix: string): FieldProblem[] {
  return fieldProblems(error, prefix);
}

export function errorBody(code: string, message: string, details: FieldProblem[]): ErrorBody {
  const shown = details.slice(0, MAX_DETAILS).map((d) => ({ path: bounded(d.path, 200), message: bounded(d.message) }));
  if (details.length > MAX_DETAILS) shown.push({ path: '(more)', message: `${details.length - MAX_DETAILS} more problems not shown` });
  return { code, message: bounded(message), details: shown };
}

export function sendError(res: Response, err: ApiError): void {
  res
    .set(err.headers)
    .status(err.status)
    .json(errorBody(err.code, err.message, err.details));
}

/** Errors thrown by body-parser and express itself, as API errors; anything else is unexpected. */
function fromFrameworkError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  const e = err as { type?: string; status?: number; limit?: number; length?: number; expose?: boolean };
  switch (e?.type) {
    case 'entity.too.large':
      return new ApiError(413, ApiCode.PAYLOAD_TOO_LARGE, `the body is larger than the limit of ${e.limit} bytes`, [
        { path: 'body', message: `${e.length ?? 'more than'} bytes; at most ${e.limit}` },
      ]);
    case 'encoding.unsupported':
      return new ApiError(415, ApiCode.UNSUPPORTED_MEDIA_TYPE, 'unsupported Content-Encoding', [
        { path: 'headers.content-encoding', message: 'must be identity, gzip, deflate or br' },
      ]);
    case 'charset.unsupported':
      return new ApiError(415, ApiCode.UNSUPPORTED_MEDIA_TYPE, 'unsupported charset', [
        { path: 'headers.content-type', message: 'charset must be utf-8' },
      ]);
    case 'request.aborted':
    case 'request.size.invalid':
      return invalid([{ path: 'body', message: 'the body ended before its Content-Length' }], 'incomplete body');
  }
  if (err instanceof URIError) return invalid([{ path: 'url', message: 'malformed percent-encoding' }], 'malformed URL');
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && e.expose) {
    return new ApiError(e.status, ApiCode.INVALID_REQUEST, 'invalid request', [
      { path: 'request', message: bounded(String((err as Error).message)) },
    ]);
  }
  return undefined;
}

/** The last handler: always JSON, never a stack, SQL or file path (those go to the log under an id). */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) {
      req.socket.destroy();
      return;
    }
    const known = fromFrameworkError(err);
    if (known) {
      sendError(res, known);
      return;
    }
    if (isUnavailable(err)) {
      logger.warn({ err, method: req.method, path: req.path }, 'a backing service is unavailable');
      sendError(
        res,
        new ApiError(503, ApiCode.UNAVAILABLE, 'the database or Temporal is unavailable; retry shortly', [], { 'Retry-After': '5' }),
      );
      return;
    }
    const errorId = randomUUID();
    logger.error({ err, errorId, method: req.method, path: req.path }, 'unexpected error in the API');
    sendError(res, new ApiError(500, ApiCode.INTERNAL, `internal error (reference ${errorId})`, []));
  };
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
]);

/** Postgres or Temporal down (somewhere in the cause chain), as opposed to a bug. */
function isUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof ServiceError) return true;
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    if (
      typeof message === 'string' &&
      /Connection terminated|timeout exceeded when trying to connect|Cannot use a pool after/.test(message)
    )
      return true;
  }
  return false;
}

export const unknownRoute: RequestHandler = (req, res) => {
  sendError(res, notFound(`no route ${req.method} ${bounded(req.path, 200)}`, 'url'));
};
