/** Characters Postgres text cannot hold (NUL) and UTF-16 halves without their pair. */
// eslint-disable-next-line no-control-regex -- NUL is what this removes
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text any column can store and any reader can show: NUL and lone surrogates replaced (U+FFFD),
 * and at most `max` characters, the cut said at the end.
 */
export function boundedText(text: string, max: number): string {
  const clean = text.replace(UNSTORABLE, '\uFFFD');
  if (clean.length <= max) return clean;
  const note = (cut: number) => `… (${cut} more characters)`;
  const keep = max - note(clean.length).length;
  // Never end on the first half of a pair.
  const end = /[\uD800-\uDBFF]/.test(clean[keep - 1]) ? keep - 1 : keep;
  return clean.slice(0, end) + note(clean.length - end);
}

/** Bounds of a failure as the run row and the progress query keep it. */
export const FAILURE_CODE_MAX = 64;
export const FAILURE_MESSAGE_MAX = 4000;
