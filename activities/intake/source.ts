import { sha256Hex } from '../../domain/hashing.ts';
import { invalidInput, type Location } from './location.ts';

/** Largest file intake reads (the seed's import limit). */
export const MAX_INPUT_BYTES = 50 * 1024 * 1024;

/** A submitted file exactly as received. */
export interface RawInput {
  bytes: Uint8Array;
  /** Only for messages and for the extension hint. */
  fileName?: string;
}

export const fileLocation = (input: RawInput): Location => (input.fileName ? { file: input.fileName } : {});

export function inputSha256(input: RawInput): string {
  return sha256Hex(input.bytes);
}

export function checkSize(input: RawInput): void {
  if (input.bytes.length > MAX_INPUT_BYTES) {
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    throw invalidInput(`${input.fileName ?? 'the file'} is ${mb(input.bytes.length)} MB; the limit is ${mb(MAX_INPUT_BYTES)} MB`);
  }
  if (input.bytes.length === 0) throw invalidInput(`${input.fileName ?? 'the file'} is empty`);
}

export const startsWith = (bytes: Uint8Array, prefix: number[]) => prefix.every((b, i) => bytes[i] === b);

/** What a text format needs: the characters, or why the bytes are not text. */
export type TextDecoding = { ok: true; text: string; encoding: string } | { ok: false; reason: string };

/**
 * Decodes UTF-8 (with or without a BOM) or UTF-16 with a BOM. Names the first byte that is not
 * UTF-8 by line and column, and refuses NUL bytes (binary data, or UTF-16 without its BOM).
 */
export function decodeText(bytes: Uint8Array): TextDecoding {
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
    const le = bytes[0] === 0xff;
    if (bytes.length % 2 !== 0) return { ok: false, reason: 'UTF-16 text with an odd number of bytes (truncated?)' };
    try {
      const text = new TextDecoder(le ? 'utf-16le' : 'utf-16be', { fatal: true, ignoreBOM: false }).decode(bytes);
      return withoutNul(text, le ? 'UTF-16LE' : 'UTF-16BE');
    } catch {
      return { ok: false, reason: `not valid ${le ? 'UTF-16LE' : 'UTF-16BE'} text` };
    }
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad !== undefined) {
    const head = new TextDecoder('utf-8').decode(bytes.subarray(0, bad));
    const line = head.split('\n').length;
    const column = head.length - head.lastIndexOf('\n');
    return {
      ok: false,
      reason: `not UTF-8 text: byte 0x${bytes[bad].toString(16).padStart(2, '0')} at line ${line}, column ${column} (save the file as UTF-8)`,
    };
  }
  return withoutNul(new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes), 'UTF-8');
}

function withoutNul(text: string, encoding: string): TextDecoding {
  const nul = text.indexOf('\u0000');
  if (nul >= 0) return { ok: false, reason: `binary data, not text (a NUL character at character ${nul + 1})` };
  return { ok: true, text, encoding };
}

/** Offset of the first byte that breaks UTF-8 (overlongs, surrogates and truncated sequences included), if any. */
export function firstInvalidUtf8(b: Uint8Array): number | undefined {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) [need, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [need, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const next = b[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (next & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return undefined;
}
