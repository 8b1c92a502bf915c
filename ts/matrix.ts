/** Dense row-major matrices exchanged with rnnlab. */

import { ArgumentError } from './errors.js';
import { integer, vector } from './validate.js';

/** A dense matrix: entry (i, j) is `data[i * cols + j]`. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/**
 * Wraps row-major data as a {@link Matrix} (no copy). Throws {@link ArgumentError} unless `rows`
 * and `cols` are positive integers and `data` is a finite Float64Array of length rows·cols.
 */
export function matrix(rows: number, cols: number, data: Float64Array): Matrix {
  integer('rows', rows, { min: 1 });
  integer('cols', cols, { min: 1 });
  vector('data', data, rows * cols);
  return { rows, cols, data };
}

/** Checks that `value` is a finite {@link Matrix}, optionally square, and returns it. */
export function checkMatrix(name: string, value: unknown, shape: { square?: boolean; rows?: number; cols?: number } = {}): Matrix {
  if (typeof value !== 'object' || value === null) throw new ArgumentError(name, 'must be a Matrix { rows, cols, data }');
  const m = value as Partial<Matrix>;
  const rows = integer(`${name}.rows`, m.rows, { min: 1 });
  const cols = integer(`${name}.cols`, m.cols, { min: 1 });
  vector(`${name}.data`, m.data, rows * cols);
  if (shape.square && rows !== cols) throw new ArgumentError(name, `must be square, got ${rows}×${cols}`);
  if (shape.rows !== undefined && rows !== shape.rows) throw new ArgumentError(name, `must have ${shape.rows} rows, got ${rows}`);
  if (shape.cols !== undefined && cols !== shape.cols) throw new ArgumentError(name, `must have ${shape.cols} columns, got ${cols}`);
  return m as Matrix;
}
