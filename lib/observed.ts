// Observed data: a series of rows (time points or sample points), each with one value per output.
import { invalidType, outOfRange } from './errors.js';

export type ObservedInput = ArrayLike<number> | ReadonlyArray<ArrayLike<number>>;

export interface Observed {
  /** Row-major [rows][outputs]. */
  readonly data: Float64Array;
  readonly rows: number;
  readonly outputs: number;
}

function isRowList(input: ObservedInput): input is ReadonlyArray<ArrayLike<number>> {
  return Array.isArray(input) && input.length > 0 && typeof input[0] === 'object' && input[0] !== null;
}

/** Accepts a flat series (one output) or a list of rows, and checks every value is finite. */
export function toObserved(input: ObservedInput, name = 'observed'): Observed {
  if (input === null || typeof input !== 'object' || typeof (input as ArrayLike<number>).length !== 'number') {
    throw invalidType(name, 'an array of numbers or an array of rows', input);
  }
  const rows = input.length;
  if (rows < 2) throw outOfRange(`${name}.length`, 'at least 2 rows', rows);
  const rowList = isRowList(input);
  const outputs = rowList ? input[0]!.length : 1;
  if (outputs < 1) throw outOfRange(`${name}[0].length`, 'at least 1 output', outputs);
  const data = new Float64Array(rows * outputs);
  for (let i = 0; i < rows; i++) {
    const row: ArrayLike<unknown> = rowList ? (input[i] as ArrayLike<number>) : [(input as ArrayLike<number>)[i]];
    if (row.length !== outputs) throw outOfRange(`${name}[${i}].length`, `${outputs} like row 0`, row.length);
    for (let o = 0; o < outputs; o++) {
      const x = row[o];
      const where = rowList ? `${name}[${i}][${o}]` : `${name}[${i}]`;
      if (typeof x !== 'number') throw invalidType(where, 'a finite number', x);
      if (!Number.isFinite(x)) throw outOfRange(where, 'a finite number', x);
      data[i * outputs + o] = x;
    }
  }
  return { data, rows, outputs };
}

/**
 * First simulated time point compared with observed row 0: observed data may hold every time
 * point of the simulation (steps + 1 rows, from t = 0) or only t = 1..T (steps rows).
 */
export function firstComparedTime(observed: Observed, times: number, lossName: string): number {
  if (observed.rows === times) return 0;
  if (observed.rows === times - 1) return 1;
  throw new RangeError(
    `${lossName}: observed has ${observed.rows} rows but the simulation has ${times} time points; ` +
      `pass ${times - 1} rows (t = 1..T) or ${times} (t = 0..T)`,
  );
}

export function checkOutputs(observed: Observed, outputs: number, lossName: string): void {
  if (observed.outputs !== outputs) {
    throw new RangeError(`${lossName}: observed rows have ${observed.outputs} values but the model has ${outputs} outputs`);
  }
}

/** The rows t = 1..T of one simulated replicate (row-major [times][outputs]), as observed data. */
export function simulatedRows(values: ArrayLike<number>, times: number, outputs: number): number[][] {
  const rows: number[][] = [];
  for (let t = 1; t < times; t++) rows.push(Array.from({ length: outputs }, (_, o) => values[t * outputs + o]!));
  return rows;
}
