// Peak resident memory versus steps T at fixed size (volatility, 8 replicates × 1000 agents,
// 4 tangents): agentgrad forward mode, each T in a fresh Node process, against the PyTorch
// reverse-mode peer (whose tape grows with T) and the NumPy hand-written-dual peer. agentgrad's
// outputs ([replicates][T + 1][outputs] values and K tangents each) grow with T by design, so
// their bytes are listed separately: the state memory is what must stay flat. Every figure is a
// process's own high-water mark (peakRss.ts), not getrusage's, which Linux floors at the parent's.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { PeakRss } from './peakRss.js';
import { pythonWith, runPeer } from './python.js';

export interface MemoryRow {
  steps: number;
  agentgrad: { baselineBytes: number; peakRssBytes: number; peakRssSource: PeakRss['source']; outputBytes: number; backend: string } | null;
  numpyPeakRssBytes: number | null;
  torchReversePeakRssBytes: number | null;
  notes: string[];
}

export interface MemorySuite {
  replicates: number;
  agents: number;
  tangents: number;
  rows: MemoryRow[];
  /** Peak RSS at the largest T over peak RSS at the smallest, per implementation. */
  growth: Record<string, number | null>;
  notes: string[];
}

const childScript = join(dirname(fileURLToPath(import.meta.url)), 'memoryChild.js');

export async function memoryRows(options: { quick: boolean; backend: 'cpu' | 'cuda' | 'auto'; log?: (line: string) => void }): Promise<MemorySuite> {
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const replicates = 8;
  const agents = 1000;
  const tangents = 4;
  const stepsList = [100, 1000, 10000];
  const numpy = pythonWith('numpy');
  const torch = pythonWith('torch');
  const notes: string[] = [];
  if (!numpy.python) notes.push(numpy.note);
  if (!torch.python) notes.push(torch.note);
  const rows: MemoryRow[] = [];
  for (const steps of stepsList) {
    log(`memory: T=${steps}`);
    const row: MemoryRow = { steps, agentgrad: null, numpyPeakRssBytes: null, torchReversePeakRssBytes: null, notes: [] };
    try {
      const out = execFileSync(process.execPath, [childScript, JSON.stringify({ replicates, agents, steps, tangents, backend: options.backend })], {
        encoding: 'utf8',
        timeout: 600_000,
      });
      row.agentgrad = JSON.parse(out.trim().split('\n').pop()!) as MemoryRow['agentgrad'];
    } catch (error) {
      row.notes.push(`agentgrad child failed: ${(error as Error).message.split('\n')[0]}`);
    }
    const job = { model: 'volatility', replicates, agents, steps, tangents, repeats: 0, seed: 1 };
    if (numpy.python) {
      try {
        row.numpyPeakRssBytes = runPeer(numpy.python, 'numpy', job).peakRssBytes;
      } catch (error) {
        row.notes.push((error as Error).message);
      }
    }
    if (torch.python) {
      try {
        row.torchReversePeakRssBytes = runPeer(torch.python, 'torch-reverse', job).peakRssBytes;
      } catch (error) {
        row.notes.push((error as Error).message);
      }
    }
    rows.push(row);
  }
  const first = rows[0]!;
  const last = rows[rows.length - 1]!;
  const growthOf = (a: number | null | undefined, b: number | null | undefined): number | null => (a && b ? b / a : null);
  const growth = {
    agentgrad: growthOf(first.agentgrad?.peakRssBytes, last.agentgrad?.peakRssBytes),
    agentgradLessOutputs: growthOf(
      first.agentgrad ? first.agentgrad.peakRssBytes - first.agentgrad.outputBytes : null,
      last.agentgrad ? last.agentgrad.peakRssBytes - last.agentgrad.outputBytes : null,
    ),
    numpy: growthOf(first.numpyPeakRssBytes, last.numpyPeakRssBytes),
    torchReverse: growthOf(first.torchReversePeakRssBytes, last.torchReversePeakRssBytes),
  };
  return { replicates, agents, tangents, rows, growth, notes };
}

function mib(bytes: number | null | undefined): string {
  return bytes === null || bytes === undefined ? '—' : (bytes / 2 ** 20).toFixed(1);
}

function times(x: number | null): string {
  return x === null ? '—' : `${x.toFixed(2)}×`;
}

export function memoryMarkdown(suite: MemorySuite): string {
  const lines = [
    `Peak RSS in MiB, volatility, ${suite.replicates} replicates × ${suite.agents} agents, K = ${suite.tangents}, float32, one run per process.`,
    '',
    '| T | agentgrad peak RSS | agentgrad outputs | agentgrad peak − outputs | agentgrad before simulate | numpy (duals) peak RSS | torch reverse peak RSS |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of suite.rows) {
    const a = r.agentgrad;
    lines.push(`| ${r.steps} | ${mib(a?.peakRssBytes)} | ${mib(a?.outputBytes)} | ${a ? mib(a.peakRssBytes - a.outputBytes) : '—'} | ${mib(a?.baselineBytes)} | ${mib(r.numpyPeakRssBytes)} | ${mib(r.torchReversePeakRssBytes)} |`);
  }
  const g = suite.growth;
  const T0 = suite.rows[0]!.steps;
  const T1 = suite.rows[suite.rows.length - 1]!.steps;
  lines.push(
    '',
    `RSS(T = ${T1}) / RSS(T = ${T0}): agentgrad ${times(g['agentgrad'] ?? null)} (less outputs ${times(g['agentgradLessOutputs'] ?? null)}), numpy ${times(g['numpy'] ?? null)}, torch reverse ${times(g['torchReverse'] ?? null)}.`,
  );
  for (const n of suite.notes) lines.push(`- ${n}`);
  if (suite.rows.some((r) => r.agentgrad?.peakRssSource === 'maxRSS')) {
    lines.push("- agentgrad's peaks are getrusage's maxRSS (no /proc/self/status here), which may include the parent's pages");
  }
  for (const r of suite.rows) for (const n of r.notes) lines.push(`- T = ${r.steps}: ${n}`);
  return lines.join('\n');
}
