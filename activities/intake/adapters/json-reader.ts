import type { Location } from '../location.ts';
import { RequestBuilder } from './builder.ts';

/** What the JSON-shaped adapters share: the builder, locations by JSON path, unknown keys. */
export class JsonDocReader {
  readonly b: RequestBuilder;

  constructor(
    readonly doc: Record<string, unknown>,
    readonly file: string | undefined,
  ) {
    this.b = new RequestBuilder(file ? { file } : {});
  }

  at(field: string): Location {
    return { file: this.file, field };
  }

  /** Each key of `obj` not in `known` is a problem at `prefix.key`. */
  unknownKeys(obj: Record<string, unknown>, known: string[], prefix: string, what = 'key', at = (field: string) => this.at(field)): void {
    for (const key of Object.keys(obj)) {
      if (!known.includes(key)) this.b.problem(at(prefix ? `${prefix}.${key}` : key), `unknown ${what} (known: ${known.join(', ')})`);
    }
  }
}
