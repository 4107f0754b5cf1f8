// Observed data files for `agentgrad fit`: CSV (with or without a header) or JSON.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';

import { parse } from 'csv-parse/sync';

import { UsageError } from './args.js';

function numeric(cell: string): boolean {
  return cell.trim() !== '' && Number.isFinite(Number(cell));
}

/**
 * Rows of outputs. CSV: the columns named after the model's outputs when the header has them,
 * else every column; a header row is recognised by a non-numeric cell. JSON: an array of numbers,
 * an array of rows, or the output of `agentgrad simulate` (its first replicate).
 */
export async function readObserved(path: string, outputs: readonly string[]): Promise<number[][]> {
  const text = await readFile(path, 'utf8').catch((error: Error) => {
    throw new UsageError(`cannot read --data '${path}': ${error.message}`);
  });
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return fromJson(text, path, outputs);
  if (ext === '.csv' || ext === '.txt') return fromCsv(text, path, outputs);
  throw new UsageError(`--data must be a .csv or .json file, got '${path}'`);
}

function fromCsv(text: string, path: string, outputs: readonly string[]): number[][] {
  const records = parse(text, { skip_empty_lines: true, trim: true }) as string[][];
  if (records.length === 0) throw new UsageError(`--data '${path}' holds no rows`);
  const header = records[0]!.some((cell) => !numeric(cell)) ? records.shift()! : undefined;
  let columns = records[0] ? records[0].map((_, i) => i) : [];
  if (header) {
    const named = outputs.map((o) => header.indexOf(o));
    if (named.every((i) => i >= 0)) columns = named;
  }
  return records.map((row, r) =>
    columns.map((c) => {
      const cell = row[c] ?? '';
      if (!numeric(cell)) throw new UsageError(`--data '${path}' row ${r + 1 + (header ? 1 : 0)}, column ${c + 1}: '${cell}' is not a number`);
      return Number(cell);
    }),
  );
}

function fromJson(text: string, path: string, outputs: readonly string[]): number[][] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--data '${path}' is not valid JSON: ${(error as Error).message}`);
  }
  const simulated = (data as { replicates?: Array<Record<string, number[]>> }).replicates?.[0];
  if (simulated && outputs.every((o) => Array.isArray(simulated[o]))) {
    const series = outputs.map((o) => simulated[o]!);
    return series[0]!.map((_, t) => series.map((s) => s[t]!));
  }
  if (Array.isArray(data)) return data.map((row) => (Array.isArray(row) ? row.map(Number) : [Number(row)]));
  throw new UsageError(`--data '${path}' must hold an array of numbers, an array of rows, or agentgrad simulate output`);
}
