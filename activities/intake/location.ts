import { DomainError, ErrorCode, type FieldProblem } from '../../domain/errors.ts';

/** Where in a submitted file a value came from, as precisely as the format allows. */
export interface Location {
  file?: string;
  /** Workbook sheet (XLSX). */
  sheet?: string;
  /** 1-based row of a table (CSV or sheet). */
  row?: number;
  /** 1-based line of a text file (JSON, XML). */
  line?: number;
  /** 1-based column; written as a letter for sheets. */
  column?: number;
  /** The source's own name for the field (a CSV header, an XML element path, a JSON path). */
  field?: string;
}

export interface SourceProblem {
  location: Location;
  message: string;
}

/** Excel-style column letters: 1 → A, 27 → AA. */
export function columnLetter(column: number): string {
  let out = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
  return out;
}

/** `plant.csv row 5, column 3 (heating_kwh)`, `plant.xlsx sheet "Jobs", cell C5 (heating_kwh)`, or a field path alone. */
export function formatLocation(loc: Location): string {
  const parts: string[] = [];
  if (loc.sheet !== undefined) {
    parts.push(
      loc.row !== undefined && loc.column !== undefined
        ? `sheet "${loc.sheet}", cell ${columnLetter(loc.column)}${loc.row}`
        : loc.row !== undefined
          ? `sheet "${loc.sheet}", row ${loc.row}`
          : `sheet "${loc.sheet}"`,
    );
  } else if (loc.row !== undefined || loc.line !== undefined) {
    const [what, n] = loc.row !== undefined ? ['row', loc.row] : ['line', loc.line];
    parts.push(loc.column !== undefined ? `${what} ${n}, column ${loc.column}` : `${what} ${n}`);
  }
  let text = parts.join('');
  if (loc.field !== undefined) text = text ? `${text} (${loc.field})` : loc.field;
  if (loc.file !== undefined) text = text ? `${loc.file} ${text}` : loc.file;
  return text || '(file)';
}

/** The 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** Collects problems as a conversion goes, so that every one is reported at once. */
export class Problems {
  readonly list: SourceProblem[] = [];

  add(location: Location, message: string): void {
    this.list.push({ location, message });
  }

  get count(): number {
    return this.list.length;
  }
}

export function toFieldProblems(problems: SourceProblem[]): FieldProblem[] {
  return problems.map((p) => ({ path: formatLocation(p.location), message: p.message }));
}

/** The E001 error for a file that cannot be read or does not validate. */
export function invalidInput(summary: string, problems: SourceProblem[] = []): DomainError {
  return new DomainError(ErrorCode.INVALID_SCHEDULE, summary, toFieldProblems(problems));
}
