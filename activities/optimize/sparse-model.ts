/** A MILP in HiGHS's form: column and row bounds, integrality, and the matrix in compressed sparse columns. */
export interface SparseModel<Label> {
  numCols: number;
  numRows: number;
  colCost: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  integrality: Int32Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  /** Compressed sparse columns: the entries of column c are `starts[c]` to `starts[c + 1] - 1` of `indices` (rows) and `values`. */
  starts: Int32Array;
  indices: Int32Array;
  values: Float64Array;
  /** What each row says. */
  rowLabels: Label[];
}

/**
 * Builds a sparse model row by row and column by column: `addColumn` and `addRow` return the new
 * index, `add` puts a coefficient in the matrix. Entries keep the order they were added in, so
 * that the same calls give HiGHS the very same model.
 */
export class SparseModelBuilder<Label> {
  private readonly rowLower: number[] = [];
  private readonly rowUpper: number[] = [];
  private readonly rowLabels: Label[] = [];
  private readonly colCost: number[] = [];
  private readonly colLower: number[] = [];
  private readonly colUpper: number[] = [];
  private readonly integer: number[] = [];
  /** Entries of each column: row, value, row, value, … */
  private readonly entries: number[][] = [];

  addColumn(cost: number, lower: number, upper: number, integer = false): number {
    this.colCost.push(cost);
    this.colLower.push(lower);
    this.colUpper.push(upper);
    this.integer.push(integer ? 1 : 0);
    this.entries.push([]);
    return this.entries.length - 1;
  }

  /** A row `lower ≤ Σ coefficients · columns ≤ upper` (either side may be infinite). */
  addRow(lower: number, upper: number, label: Label): number {
    this.rowLower.push(lower);
    this.rowUpper.push(upper);
    this.rowLabels.push(label);
    return this.rowLower.length - 1;
  }

  add(col: number, row: number, value: number): void {
    this.entries[col].push(row, value);
  }

  build(): SparseModel<Label> {
    const numCols = this.entries.length;
    const starts = new Int32Array(numCols + 1);
    for (let col = 0; col < numCols; col++) starts[col + 1] = starts[col] + this.entries[col].length / 2;
    const indices = new Int32Array(starts[numCols]);
    const values = new Float64Array(starts[numCols]);
    this.entries.forEach((e, col) => {
      for (let k = 0; k < e.length; k += 2) {
        indices[starts[col] + k / 2] = e[k];
        values[starts[col] + k / 2] = e[k + 1];
      }
    });
    return {
      numCols,
      numRows: this.rowLower.length,
      colCost: Float64Array.from(this.colCost),
      colLower: Float64Array.from(this.colLower),
      colUpper: Float64Array.from(this.colUpper),
      integrality: Int32Array.from(this.integer),
      rowLower: Float64Array.from(this.rowLower),
      rowUpper: Float64Array.from(this.rowUpper),
      starts,
      indices,
      values,
      rowLabels: this.rowLabels,
    };
  }
}

/**
 * The model without its columns from `firstDropped` on (the earlier ones keep their indices) and
 * without the rows only those columns used (rows then empty, whose bounds admit zero).
 */
export function withoutTrailingColumns<Label>(model: SparseModel<Label>, firstDropped: number): SparseModel<Label> {
  const end = model.starts[firstDropped];
  const used = new Uint8Array(model.numRows);
  for (let k = 0; k < end; k++) used[model.indices[k]] = 1;
  const newRow = new Int32Array(model.numRows).fill(-1);
  const kept: number[] = [];
  for (let row = 0; row < model.numRows; row++) {
    const admitsZero = model.rowLower[row] <= 0 && model.rowUpper[row] >= 0;
    if (used[row] || !admitsZero) newRow[row] = kept.push(row) - 1;
  }
  return {
    numCols: firstDropped,
    numRows: kept.length,
    colCost: model.colCost.slice(0, firstDropped),
    colLower: model.colLower.slice(0, firstDropped),
    colUpper: model.colUpper.slice(0, firstDropped),
    integrality: model.integrality.slice(0, firstDropped),
    rowLower: Float64Array.from(kept, (row) => model.rowLower[row]),
    rowUpper: Float64Array.from(kept, (row) => model.rowUpper[row]),
    starts: model.starts.slice(0, firstDropped + 1),
    indices: Int32Array.from(model.indices.subarray(0, end), (row) => newRow[row]),
    values: model.values.slice(0, end),
    rowLabels: kept.map((row) => model.rowLabels[row]),
  };
}
