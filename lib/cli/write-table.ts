// Writes simulation results as CSV (one row per replicate and time) or JSON, by file extension.
import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';

import { stringify } from 'csv-stringify/sync';

import type { Simulation } from '../simulate.js';

export function simulationRows(sim: Simulation): { header: string[]; rows: number[][] } {
  const header = ['replicate', 't', ...sim.outputNames];
  for (const output of sim.outputNames) for (const p of sim.tangentNames) header.push(`d${output}/d${p}`);
  const rows: number[][] = [];
  for (let r = 0; r < sim.shape.replicates; r++) {
    for (let t = 0; t < sim.shape.times; t++) {
      const row = [r, t];
      for (let o = 0; o < sim.shape.outputs; o++) row.push(sim.value(r, t, o));
      for (let o = 0; o < sim.shape.outputs; o++) for (const p of sim.tangentNames) row.push(sim.tangent(r, t, p, o));
      rows.push(row);
    }
  }
  return { header, rows };
}

export function simulationJson(sim: Simulation, meta: Record<string, unknown>): unknown {
  const replicates = [];
  for (let r = 0; r < sim.shape.replicates; r++) {
    const series: Record<string, number[]> = {};
    sim.outputNames.forEach((output, o) => {
      series[output] = Array.from({ length: sim.shape.times }, (_, t) => sim.value(r, t, o));
      for (const p of sim.tangentNames) {
        series[`d${output}/d${p}`] = Array.from({ length: sim.shape.times }, (_, t) => sim.tangent(r, t, p, o));
      }
    });
    replicates.push(series);
  }
  return { ...meta, shape: sim.shape, backend: sim.backend, dtype: sim.dtype, replicates };
}

export type TableFormat = 'csv' | 'json';

export function formatOf(path: string): TableFormat | undefined {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.json') return 'json';
  return undefined;
}

export async function writeSimulation(path: string, sim: Simulation, meta: Record<string, unknown>): Promise<void> {
  if (formatOf(path) === 'json') {
    await writeFile(path, JSON.stringify(simulationJson(sim, meta), null, 1) + '\n');
    return;
  }
  const { header, rows } = simulationRows(sim);
  await writeFile(path, stringify([header, ...rows]));
}
