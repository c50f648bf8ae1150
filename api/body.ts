import express, { type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import { unsafeTextProblems } from '../domain/unsafe-text.ts';
import { ApiCode, ApiError, bounded, invalid, zodDetails } from './errors.ts';

export interface JsonBody {
  /** The body exactly as received (what a run stores). */
  raw: string;
  value: unknown;
}

/** A run posted as a file of another input format: its bytes and the format its media type names. */
export interface FileBody {
  bytes: Buffer;
  format: 'csv' | 'xml' | 'xlsx';
}

const JSON_TYPES = ['application/json', 'application/*+json'];
/** Media types a run may be posted in besides JSON, and the intake format each names. */
const FILE_TYPES: Record<string, FileBody['format']> = {
  'text/csv': 'csv',
  'application/xml': 'xml',
  'text/xml': 'xml',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
};
const RUN_TYPES = [...JSON_TYPES, ...Object.keys(FILE_TYPES)].join(', ');

const unsupportedType = (got: string | undefined, accepted: string) =>
  new ApiError(415, ApiCode.UNSUPPORTED_MEDIA_TYPE, `the body must be one of ${accepted}`, [
    {
      path: 'headers.content-type',
      message: got ? `${bounded(got, 100)} is not accepted; use one of ${accepted}` : `missing; use one of ${accepted}`,
    },
  ]);

/** The intake format of a file body's media type (undefined for JSON and anything else). */
const fileFormatOf = (req: Request): FileBody['format'] | undefined => {
  const type = req.is(Object.keys(FILE_TYPES));
  return type ? FILE_TYPES[type] : undefined;
};

/**
 * Reads a run body: JSON or a file of another input format by its media type (a form or a
 * `text/plain` post from another site is refused before anything is read), text only in UTF-8,
 * at most `limit` bytes (413 past it), never empty; JSON must parse and hold no string a database
 * cannot store (NUL, lone surrogates), each problem with its path. A file body is left whole for intake.
 */
export function runBody(limit: number): RequestHandler[] {
  return bodyReader(limit, fileFormatOf, RUN_TYPES);
}

/** Reads a JSON-only body (every route but run submission), with the same checks as `runBody`. */
export function jsonBody(limit: number): RequestHandler[] {
  return bodyReader(limit, () => undefined, JSON_TYPES.join(', '));
}

function bodyReader(limit: number, fileFormatOf: (req: Request) => FileBody['format'] | undefined, accepted: string): RequestHandler[] {
  const checkType: RequestHandler = (req, _res, next) => {
    const isJson = Boolean(req.is(JSON_TYPES));
    if (!isJson && !fileFormatOf(req)) throw unsupportedType(req.headers['content-type'], accepted);
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1];
    if (charset && !/^utf-?8$/i.test(charset)) {
      throw new ApiError(415, ApiCode.UNSUPPORTED_MEDIA_TYPE, 'the body must be UTF-8', [
        { path: 'headers.content-type', message: 'charset must be utf-8' },
      ]);
    }
    next();
  };
  const checkLength: RequestHandler = (req, res, next) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      // Answer now and drop the connection rather than read (and discard) the whole upload first.
      res.set('Connection', 'close');
      throw new ApiError(413, ApiCode.PAYLOAD_TOO_LARGE, `the body is larger than the limit of ${limit} bytes`, [
        { path: 'body', message: `${declared} bytes; at most ${limit}` },
      ]);
    }
    next();
  };
  const readText = express.text({ type: () => true, limit, defaultCharset: 'utf-8' });
  const readBytes = express.raw({ type: () => true, limit });
  const read: RequestHandler = (req, res, next) => (fileFormatOf(req) ? readBytes : readText)(req, res, next);
  const parse: RequestHandler = (req, res, next) => {
    const format = fileFormatOf(req);
    if (format) {
      const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (bytes.length === 0) throw invalid([{ path: 'body', message: `is empty; send a ${format.toUpperCase()} file` }], 'empty body');
      res.locals.fileBody = { bytes, format } satisfies FileBody;
      next();
      return;
    }
    const raw = typeof req.body === 'string' ? req.body : '';
    if (raw.trim() === '') throw invalid([{ path: 'body', message: 'is empty; send a JSON document' }], 'empty body');
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      throw invalid([{ path: 'body', message: `is not valid JSON: ${bounded((err as Error).message, 200)}` }], 'malformed JSON');
    }
    const problems = unsafeTextProblems(value, { prefix: 'body' });
    if (problems.length) throw invalid(problems, 'the body holds text that cannot be stored');
    res.locals.jsonBody = { raw, value } satisfies JsonBody;
    next();
  };
  return [checkType, checkLength, read, parse];
}

/** The file body `runBody` read, or undefined when the body was JSON. */
export function fileBodyOf(res: Response): FileBody | undefined {
  return res.locals.fileBody as FileBody | undefined;
}

export function jsonBodyOf(res: Response): JsonBody {
  return res.locals.jsonBody as JsonBody;
}

/** Parses a request part with a schema, or a 400 naming every field (`prefix.path`). */
export function parsePart<S extends z.ZodType>(schema: S, value: unknown, prefix: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid(zodDetails(parsed.error, prefix));
  return parsed.data;
}

/** Query strings pass the same text check as bodies (a `%00` must not reach a query). */
export const safeQuery: RequestHandler = (req, _res, next) => {
  const problems = unsafeTextProblems(req.query, { prefix: 'query', maxDepth: 4 });
  if (problems.length) throw invalid(problems, 'the query holds text that cannot be used');
  next();
};
