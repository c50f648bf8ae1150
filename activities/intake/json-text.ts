import { lineAndColumn } from './location.ts';

export type JsonParse = { ok: true; value: unknown } | { ok: false; reason: string; line: number; column: number };

const MAX_DEPTH = 1000;

/** JSON.parse, and when it fails, the line and column of the first error (V8 does not always say). */
export function parseJsonText(text: string): JsonParse {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    const value: unknown = JSON.parse(body);
    if (depthOver(value, MAX_DEPTH)) return { ok: false, reason: `nested deeper than ${MAX_DEPTH} levels`, line: 1, column: 1 };
    return { ok: true, value };
  } catch (err) {
    const offset = firstJsonError(body);
    const { line, column } = lineAndColumn(body, offset);
    const reason = (err as Error).message.replace(/, ".*" is not valid JSON$/s, '').replace(/ in JSON at position \d+.*$/s, '');
    return { ok: false, reason, line, column };
  }
}

function depthOver(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (d > limit) return true;
    if (v && typeof v === 'object')
      for (const child of Object.values(v)) if (child && typeof child === 'object') stack.push([child, d + 1]);
  }
  return false;
}

/** Offset of the first character at which `text` stops being JSON. */
function firstJsonError(text: string): number {
  return new JsonScanner(text).firstError();
}

/** A small iterative JSON scanner: finds where the text breaks, never how deep it nests. */
class JsonScanner {
  i = 0;
  /** Containers still open: '{' or '['. */
  readonly open: string[] = [];

  constructor(readonly text: string) {}

  ws(): void {
    while (this.i < this.text.length && ' \t\n\r'.includes(this.text[this.i])) this.i++;
  }

  literal(): boolean {
    const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(this.text.slice(this.i, this.i + 400));
    if (m) this.i += m[0].length;
    return !!m;
  }

  string(): boolean {
    const { text } = this;
    if (text[this.i] !== '"') return false;
    this.i++;
    while (this.i < text.length) {
      const c = text.charCodeAt(this.i);
      if (c === 34) {
        this.i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c !== 92) {
        this.i++;
        continue;
      }
      const esc = text[this.i + 1];
      if (esc === 'u' ? !/^[0-9a-fA-F]{4}$/.test(text.slice(this.i + 2, this.i + 6)) : !'"\\/bfnrt'.includes(esc ?? 'x')) return false;
      this.i += esc === 'u' ? 6 : 2;
    }
    return false;
  }

  /** `"key":` of an object member. */
  key(): boolean {
    if (!this.string()) return false;
    this.ws();
    if (this.text[this.i] !== ':') return false;
    this.i++;
    this.ws();
    return true;
  }

  closer(): string {
    return this.open.at(-1) === '{' ? '}' : ']';
  }

  /** After a value: closes containers and moves to the next member; false where the text breaks. */
  afterValue(): boolean | 'end' {
    for (;;) {
      this.ws();
      if (this.open.length === 0) return 'end';
      if (this.text[this.i] === this.closer()) {
        this.i++;
        this.open.pop();
        continue;
      }
      if (this.text[this.i] !== ',') return false;
      this.i++;
      this.ws();
      return this.open.at(-1) !== '{' || this.key();
    }
  }

  firstError(): number {
    this.ws();
    for (;;) {
      const c = this.text[this.i];
      if (c === '{' || c === '[') {
        this.open.push(c);
        this.i++;
        this.ws();
        if (this.text[this.i] !== this.closer()) {
          if (c === '{' && !this.key()) return this.i;
          continue;
        }
        this.i++;
        this.open.pop();
      } else if (!(this.string() || this.literal())) return this.i;
      const next = this.afterValue();
      if (next === false) return this.i;
      if (next === 'end') return Math.min(this.i, this.text.length);
    }
  }
}
