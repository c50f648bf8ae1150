import type { FieldProblem } from './errors.ts';

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string cannot be stored as text: Postgres refuses NUL, and a lone surrogate has no UTF-8 form. */
export function unsafeTextReason(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains a NUL character (\\u0000)';
  if (LONE_SURROGATE.test(text)) return 'contains a lone UTF-16 surrogate (not valid Unicode)';
  return undefined;
}

/**
 * Every string (value or key) in parsed JSON that cannot be stored, with its path, and structures
 * nested deeper than `maxDepth`. Iterative, so hostile nesting cannot overflow the stack.
 */
export function unsafeTextProblems(
  value: unknown,
  opts: { prefix?: string; maxDepth?: number; maxProblems?: number } = {},
): FieldProblem[] {
  const { prefix = '', maxDepth = 64, maxProblems = 50 } = opts;
  const problems: FieldProblem[] = [];
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: prefix, depth: 0 }];
  while (stack.length && problems.length < maxProblems) {
    const item = stack.pop()!;
    if (typeof item.value === 'string') {
      const reason = unsafeTextReason(item.value);
      if (reason) problems.push({ path: item.path || '(root)', message: reason });
      continue;
    }
    if (item.value === null || typeof item.value !== 'object') continue;
    if (item.depth >= maxDepth) {
      problems.push({ path: item.path || '(root)', message: `nested deeper than ${maxDepth} levels` });
      continue;
    }
    const entries: [string, unknown][] = Array.isArray(item.value)
      ? item.value.map((v, i) => [`[${i}]`, v])
      : Object.entries(item.value).map(([k, v]) => {
          const reason = unsafeTextReason(k);
          const key = reason ? JSON.stringify(k) : k;
          if (reason) problems.push({ path: joinKey(item.path, key), message: `key ${reason}` });
          return [key, v];
        });
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, v] = entries[i];
      stack.push({ value: v, path: key.startsWith('[') ? `${item.path}${key}` : joinKey(item.path, key), depth: item.depth + 1 });
    }
  }
  return problems.slice(0, maxProblems);
}

const joinKey = (path: string, key: string) => (path ? `${path}.${key}` : key);
