import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** The text of each page, as pdf.js extracts it (what a reader's search and copy see). */
export async function pdfPages(pdf: Buffer): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''));
  }
  await doc.destroy();
  return pages;
}

/** pdftoppm (Debian's poppler-utils), when installed: renders a page to PNG. */
export function pdftoppm(): string | undefined {
  try {
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    return 'pdftoppm';
  } catch {
    return undefined;
  }
}

export function renderPagePng(pdf: Buffer, page: number): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'report-png-'));
  try {
    writeFileSync(join(dir, 'r.pdf'), pdf);
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '50',
      '-f',
      String(page),
      '-l',
      String(page),
      '-singlefile',
      join(dir, 'r.pdf'),
      join(dir, 'p'),
    ]);
    return readFileSync(join(dir, 'p.png'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
