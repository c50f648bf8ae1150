import { type z } from 'zod';
import { DomainError, type ErrorCode, type FieldProblem } from './errors.ts';

/** Turns zod issues into `path: message` pairs a planner can act on. */
export function fieldProblems(error: z.ZodError, prefix = ''): FieldProblem[] {
  return error.issues.map((issue) => ({
    path: formatPath(prefix, issue.path),
    message: issue.message,
  }));
}

function formatPath(prefix: string, path: PropertyKey[]): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(root)';
}

/** Parses with a schema or throws a DomainError listing every problem. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, code: ErrorCode, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new DomainError(code, `invalid ${what}`, fieldProblems(result.error));
  return result.data;
}
