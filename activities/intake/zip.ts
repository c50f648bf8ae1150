/**
 * Reads a ZIP file's central directory (names and declared sizes) without inflating anything, so
 * that a truncated workbook or a zip bomb is refused before exceljs loads it.
 */

export interface ZipEntry {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
}

export type ZipListing = { ok: true; entries: ZipEntry[] } | { ok: false; reason: string };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const MAX_ENTRIES = 10_000;

export const isZip = (b: Uint8Array) =>
  b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5) && (b[3] === 4 || b[3] === 6);

export function listZip(bytes: Uint8Array): ZipListing {
  if (!isZip(bytes)) return { ok: false, reason: 'not a ZIP container (an .xlsx file is one)' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record sits in the last 22 + 65,535 bytes.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return { ok: false, reason: 'the ZIP container has no end record (the file is truncated)' };
  const count = view.getUint16(eocd + 10, true);
  const dirSize = view.getUint32(eocd + 12, true);
  const dirOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || dirOffset === 0xffffffff) return { ok: false, reason: 'a ZIP64 container (too large for a schedule)' };
  if (count > MAX_ENTRIES) return { ok: false, reason: `the ZIP container has ${count} entries` };
  if (dirOffset + dirSize > eocd) return { ok: false, reason: 'the ZIP directory points past the end of the file (truncated or damaged)' };
  const entries: ZipEntry[] = [];
  let p = dirOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > eocd || view.getUint32(p, true) !== CENTRAL) return { ok: false, reason: `ZIP directory entry ${k + 1} is damaged` };
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    if (p + 46 + nameLength > eocd) return { ok: false, reason: `ZIP directory entry ${k + 1} is damaged` };
    entries.push({
      name: new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLength)),
      compressedSize: view.getUint32(p + 20, true),
      uncompressedSize: view.getUint32(p + 24, true),
    });
    const localOffset = view.getUint32(p + 42, true);
    if (localOffset + 30 > dirOffset) return { ok: false, reason: `ZIP entry ${k + 1} points past its data (truncated or damaged)` };
    p += 46 + nameLength + extraLength + commentLength;
  }
  return { ok: true, entries };
}
