import highsModule, { type Highs } from 'highs';
import type { SparseModel } from './sparse-model.ts';

// highs types its ESM default export as a CommonJS namespace; at run time it is the loader.
const highsLoader = highsModule as unknown as typeof highsModule.default;

export type HighsModel = ReturnType<Highs['createModel']>;

let loading: Promise<Highs> | undefined;

/** One WebAssembly instance per thread; dropped after a crash so the next solve starts clean. */
export async function loadHighs(): Promise<Highs> {
  const pending = (loading ??= highsLoader());
  try {
    return await pending;
  } catch (err) {
    loading = undefined;
    throw err;
  }
}

/** `RuntimeError: Aborted()`: the WebAssembly runtime gave up (out of memory); the instance must not be reused. */
export function isWasmAbort(err: unknown): boolean {
  const abort = (err instanceof Error && err.name === 'RuntimeError') || /Aborted\(/.test(String(err));
  if (abort) loading = undefined;
  return abort;
}

/**
 * Runs `work` on a HiGHS model of `model` (its LP relaxation when `relaxed`) and disposes of it
 * (WebAssembly memory is not garbage-collected).
 */
export function withModel<T>(highs: Highs, model: SparseModel<unknown>, work: (m: HighsModel) => T, { relaxed = false } = {}): T {
  const m = highs.createModel({
    numCols: model.numCols,
    numRows: model.numRows,
    colCost: model.colCost,
    colLower: model.colLower,
    colUpper: model.colUpper,
    rowLower: model.rowLower,
    rowUpper: model.rowUpper,
    ...(relaxed ? {} : { integrality: model.integrality }),
    matrix: {
      format: 'csc',
      numRows: model.numRows,
      numCols: model.numCols,
      starts: model.starts,
      indices: model.indices,
      values: model.values,
    },
  });
  try {
    return work(m);
  } finally {
    try {
      m.dispose();
    } catch {
      // an aborted runtime may refuse; the instance is dropped anyway
    }
  }
}
