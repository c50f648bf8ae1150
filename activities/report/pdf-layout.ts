import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';

/** The bundled font (DejaVu Sans, assets/fonts): the same glyphs on every machine, so the same bytes. */
const FONTS = {
  body: readFileSync(new URL('../../assets/fonts/DejaVuSans.ttf', import.meta.url)),
  bold: readFileSync(new URL('../../assets/fonts/DejaVuSans-Bold.ttf', import.meta.url)),
};

export const INK = '#222222';
export const MUTED = '#666666';
export const ACCENT = '#2f6fb5';
const RULE = '#d0d0d0';

export type Doc = PDFKit.PDFDocument;

/** An A4 document whose bytes depend only on its content: fixed dates, the bundled font, no random ids. */
export function newDocument(meta: { title: string; subject: string; date: Date }): Doc {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 48, bottom: 56, left: 44, right: 44 },
    bufferPages: true,
    info: {
      Title: meta.title,
      Subject: meta.subject,
      Author: 'HeatScheduler',
      Creator: 'HeatScheduler',
      CreationDate: meta.date,
      ModDate: meta.date,
    },
  });
  doc.registerFont('body', FONTS.body);
  doc.registerFont('bold', FONTS.bold);
  doc.font('body').fillColor(INK);
  return doc;
}

export const contentWidth = (doc: Doc) => doc.page.width - doc.page.margins.left - doc.page.margins.right;
const bottom = (doc: Doc) => doc.page.height - doc.page.margins.bottom;

/** Starts a new page unless `height` still fits on this one. */
export function ensureRoom(doc: Doc, height: number) {
  if (doc.y + height > bottom(doc)) doc.addPage();
}

export function heading(doc: Doc, text: string, size = 13) {
  ensureRoom(doc, size * 4);
  doc.moveDown(0.6).font('bold').fontSize(size).fillColor(INK).text(text, doc.page.margins.left, doc.y);
  doc.moveDown(0.3).font('body').fontSize(9.5);
}

export function paragraph(doc: Doc, text: string, options: { size?: number; colour?: string } = {}) {
  doc
    .font('body')
    .fontSize(options.size ?? 9.5)
    .fillColor(options.colour ?? INK)
    .text(text, doc.page.margins.left, doc.y, { width: contentWidth(doc), lineGap: 2 });
  doc.fillColor(INK);
}

/** A row of boxed key figures: label above, value large, a note below. */
export function keyFigures(doc: Doc, items: { label: string; value: string; note: string }[]) {
  const gap = 8;
  const width = (contentWidth(doc) - gap * (items.length - 1)) / items.length;
  const top = doc.y + 4;
  items.forEach((item, i) => {
    const x = doc.page.margins.left + i * (width + gap);
    doc.roundedRect(x, top, width, 62, 4).lineWidth(0.8).strokeColor(RULE).stroke();
    doc
      .font('body')
      .fontSize(8)
      .fillColor(MUTED)
      .text(item.label, x + 8, top + 7, { width: width - 16 });
    doc
      .font('bold')
      .fontSize(11.5)
      .fillColor(INK)
      .text(item.value, x + 8, top + 21, { width: width - 16, lineBreak: false });
    doc
      .font('body')
      .fontSize(7.5)
      .fillColor(MUTED)
      .text(item.note, x + 8, top + 41, { width: width - 16 });
  });
  doc.fillColor(INK).font('body');
  doc.x = doc.page.margins.left;
  doc.y = top + 70;
}

export interface Column {
  header: string;
  /** Share of the content width. */
  width: number;
  align?: 'left' | 'right';
}

/** A table that breaks across pages, repeating its header; `bold` rows (e.g. totals) are set in bold. */
export function table(doc: Doc, columns: Column[], rows: string[][], options: { bold?: (row: number) => boolean } = {}) {
  const left = doc.page.margins.left;
  const total = contentWidth(doc);
  const widths = columns.map((c) => c.width * total);
  const pad = 3;
  const cellHeight = (cells: string[], font: string) =>
    Math.max(
      ...cells.map((text, i) =>
        doc
          .font(font)
          .fontSize(8)
          .heightOfString(text, { width: widths[i] - 2 * pad }),
      ),
    ) +
    2 * pad;
  const drawRow = (cells: string[], font: string, fill?: string) => {
    const height = cellHeight(cells, font);
    if (fill) doc.rect(left, doc.y, total, height).fill(fill);
    let x = left;
    const y = doc.y;
    cells.forEach((text, i) => {
      doc
        .font(font)
        .fontSize(8)
        .fillColor(INK)
        .text(text, x + pad, y + pad, { width: widths[i] - 2 * pad, align: columns[i].align ?? 'left' });
      x += widths[i];
    });
    doc
      .moveTo(left, y + height)
      .lineTo(left + total, y + height)
      .lineWidth(0.4)
      .strokeColor(RULE)
      .stroke();
    doc.x = left;
    doc.y = y + height;
  };
  const header = columns.map((c) => c.header);
  ensureRoom(doc, cellHeight(header, 'bold') + 20);
  drawRow(header, 'bold', '#eef2f7');
  rows.forEach((cells, r) => {
    const font = options.bold?.(r) ? 'bold' : 'body';
    if (doc.y + cellHeight(cells, font) > bottom(doc)) {
      doc.addPage();
      drawRow(header, 'bold', '#eef2f7');
    }
    drawRow(cells, font);
  });
  doc.moveDown(0.5);
}

/** Draws an SVG chart as vectors at the current position, mapping its fonts to the bundled ones. */
export function chart(doc: Doc, svg: string, width: number, height: number) {
  ensureRoom(doc, height);
  SVGtoPDF(doc, svg, doc.page.margins.left, doc.y, {
    width,
    height,
    assumePt: true,
    fontCallback: (_family: string, bold: boolean) => (bold ? 'bold' : 'body'),
  });
  doc.y += height + 6;
  doc.x = doc.page.margins.left;
}

/** Footer on every page: what the document is and page n of m (written last, over the buffered pages). */
export function footers(doc: Doc, text: string) {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const marginBottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing below the margin must not open a new page
    const y = doc.page.height - 34;
    const { left } = doc.page.margins;
    const width = contentWidth(doc);
    doc.font('body').fontSize(7.5).fillColor(MUTED);
    doc.text(text, left, y, { width, align: 'left', lineBreak: false });
    doc.text(`Page ${i + 1} of ${range.count}`, left, y, { width, align: 'right', lineBreak: false });
    doc.page.margins.bottom = marginBottom;
  }
}

/** Collects the document's bytes from the start; resolves once `doc.end()` has been called. */
export function collectBytes(doc: Doc): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}
