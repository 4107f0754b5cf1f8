// The tables of docs/performance.md (and those of docs/estimators.md and docs/diagnostics.md), generated from
// the newest records in bench/results/ so that no figure there is edited by hand. A document marks
// each generated part with a pair of comments,
//
//   <!-- generated:throughput -->
//   ...replaced on every run...
//   <!-- /generated:throughput -->
//
// and everything outside the markers is hand-written and kept as it is. Each part is built from the
// newest record (by its `date`) holding the suite it shows, and says which record that was.
// `npm run bench -- doc` rewrites the documents; test/docs.test.ts checks they are up to date.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const defaultResultsDir = join(repoRoot, 'bench', 'results');
export const performanceDocPath = join(repoRoot, 'docs', 'performance.md');
export const estimatorsDocPath = join(repoRoot, 'docs', 'estimators.md');
export const diagnosticsDocPath = join(repoRoot, 'docs', 'diagnostics.md');
export const clusterDocPath = join(repoRoot, 'docs', 'cluster.md');
/** Every document with generated parts. */
export const generatedDocPaths = [performanceDocPath, estimatorsDocPath, diagnosticsDocPath, clusterDocPath];

// ---------------------------------------------------------------------------------------------
// Records and checked access to their fields

export interface BenchRecord {
  file: string;
  date: string;
  commit: string;
  machine: { cpu: string; cores: number | null; instructionSet: string | null; gpu: string | null; node: string | null } | null;
  /** How the run was narrowed (records since the options were recorded): --quick, --models. */
  options: { quick: boolean; models: string | null } | null;
  suites: Record<string, unknown>;
}

type Json = Record<string, unknown>;

class Fields {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly value: unknown,
  ) {}

  private fail(expected: string, value: unknown): never {
    const shown = value === undefined ? 'nothing' : JSON.stringify(value)?.slice(0, 60);
    throw new Error(`bench/results/${this.file}: ${this.path} must be ${expected}, got ${shown}`);
  }

  private object(): Json {
    if (typeof this.value !== 'object' || this.value === null || Array.isArray(this.value)) this.fail('an object', this.value);
    return this.value as Json;
  }

  has(key: string): boolean {
    return this.object()[key] !== undefined && this.object()[key] !== null;
  }

  at(key: string | number): Fields {
    const value = typeof key === 'number' ? this.array()[key] : this.object()[key];
    return new Fields(this.file, typeof key === 'number' ? `${this.path}[${key}]` : `${this.path}.${key}`, value);
  }

  array(): unknown[] {
    if (!Array.isArray(this.value)) this.fail('an array', this.value);
    return this.value as unknown[];
  }

  items(): Fields[] {
    return this.array().map((_, i) => this.at(i));
  }

  entries(): Array<[string, Fields]> {
    return Object.keys(this.object()).map((key) => [key, this.at(key)]);
  }

  number(key: string): number {
    const value = this.object()[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) this.at(key).fail('a finite number', value);
    return value as number;
  }

  optionalNumber(key: string): number | null {
    return this.has(key) ? this.number(key) : null;
  }

  string(key: string): string {
    const value = this.object()[key];
    if (typeof value !== 'string') this.at(key).fail('a string', value);
    return value as string;
  }

  optionalString(key: string): string | null {
    return this.has(key) ? this.string(key) : null;
  }

  boolean(key: string): boolean {
    const value = this.object()[key];
    if (typeof value !== 'boolean') this.at(key).fail('true or false', value);
    return value as boolean;
  }
}

const recordHeader = ['date', 'commit', 'machine', 'options'];

function parseRecord(file: string, text: string): BenchRecord {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`bench/results/${file}: not valid JSON (${(error as Error).message})`);
  }
  const record = new Fields(file, 'record', json);
  const date = record.string('date');
  const commit = record.string('commit');
  const machine = record.has('machine') ? machineOf(record.at('machine')) : null;
  const options = record.has('options') ? { quick: record.at('options').boolean('quick'), models: record.at('options').optionalString('models') } : null;
  const suites = Object.fromEntries(Object.entries(json as Json).filter(([key]) => !recordHeader.includes(key)));
  return { file, date, commit, machine, options, suites };
}

// Records of npm run bench carry the instruction set in machine.backends.cpu; those of the GPU
// check (native/gpucheck) in machine.cpuInstructionSet, with the GPU in machine.device.
function machineOf(machine: Fields): NonNullable<BenchRecord['machine']> {
  const backends = machine.has('backends') ? machine.at('backends') : null;
  const cpu = backends?.has('cpu') ? backends.at('cpu') : null;
  const cuda = backends?.has('cuda') ? backends.at('cuda') : null;
  return {
    cpu: machine.string('cpu'),
    cores: machine.optionalNumber('cores'),
    instructionSet: cpu?.optionalString('instructionSet') ?? machine.optionalString('cpuInstructionSet'),
    gpu: machine.optionalString('device') ?? cuda?.optionalString('device') ?? null,
    node: machine.optionalString('node'),
  };
}

/** Every record in `dir` (*.json), oldest first; throws on a file that is not a record. */
export function readRecords(dir = defaultResultsDir): BenchRecord[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => parseRecord(name, readFileSync(join(dir, name), 'utf8')))
    .sort((a, b) => (a.date === b.date ? a.file.localeCompare(b.file) : a.date.localeCompare(b.date)));
}

function newestWith(records: readonly BenchRecord[], suite: string): BenchRecord | undefined {
  return records.filter((r) => r.suites[suite] !== undefined).at(-1);
}

function suiteFields(record: BenchRecord, suite: string): Fields {
  return new Fields(record.file, suite, record.suites[suite]);
}

/** Which backend agentgrad's side ran on, when the suite records it. */
function backendNote(backends: string[]): string {
  const distinct = [...new Set(backends)];
  return distinct.length === 0 ? '' : `agentgrad ran on the ${distinct.join(' and ')} backend${distinct.length > 1 ? 's' : ''}. `;
}

/** The line under a table: which record it came from. */
export function sourceLine(record: BenchRecord, command: string, backends: string[] = []): string {
  const m = record.machine;
  const machine = m
    ? [m.cpu, m.cores === null ? null : `${m.cores} cores`, m.instructionSet === null ? null : `${m.instructionSet} kernels`, m.gpu, m.node === null ? null : `Node ${m.node}`]
        .filter((part) => part !== null)
        .join(', ')
    : 'machine not recorded';
  const narrowed = [record.options?.quick ? ' --quick' : '', record.options?.models ? ` --models ${record.options.models}` : ''].join('');
  return `<sub>${backendNote(backends)}Generated from \`bench/results/${record.file}\` (\`${command}${narrowed}\`, commit ${record.commit}, ${record.date.slice(0, 10)}; ${machine}).</sub>`;
}

// ---------------------------------------------------------------------------------------------
// Number formats

function rate(x: number): string {
  return x.toExponential(2).replace('e+', 'e');
}

function ratio(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function ratioRange(xs: number[]): string {
  if (xs.length === 0) return '—';
  const low = Math.min(...xs);
  const high = Math.max(...xs);
  return low === high ? `${ratio(low)}×` : `${ratio(low)}–${ratio(high)}×`;
}

function mib(bytes: number | null): string {
  return bytes === null ? '—' : (bytes / 2 ** 20).toFixed(1);
}

// 1000, 10,000, 1,000,000: thousands separated from five digits on.
function count(n: number): string {
  return n >= 10_000 ? String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : String(n);
}

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function details(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

const modelLabels: Record<string, string> = {
  randomWalk: 'random walk',
  volatility: 'volatility',
  sir: 'SIR',
  networkSir: 'network SIR',
};

function modelLabel(model: string): string {
  return modelLabels[model] ?? model;
}

function tangentLabel(K: number): string {
  return K === 0 ? 'no tangents' : K === 1 ? '1 tangent' : `${K} tangents`;
}

function size(replicates: number, agents: number, steps: number): string {
  return `${count(replicates)} × ${count(agents)} × ${count(steps)}`;
}

// ---------------------------------------------------------------------------------------------
// Throughput

interface ThroughputRow {
  model: string;
  tangents: number;
  mode: string;
  replicates: number;
  agents: number;
  steps: number;
  agentStepsPerSecond: number;
  nsPerAgentStep: number;
  bytesPerAgentStep: number;
  gigabytesPerSecond: number;
  backend: string;
}

function throughputRows(suite: Fields): ThroughputRow[] {
  return suite.items().map((row) => ({
    model: row.string('model'),
    tangents: row.number('tangents'),
    mode: row.string('mode'),
    replicates: row.number('replicates'),
    agents: row.number('agents'),
    steps: row.number('steps'),
    agentStepsPerSecond: row.number('agentStepsPerSecond'),
    nsPerAgentStep: row.number('nsPerAgentStep'),
    bytesPerAgentStep: row.number('bytesPerAgentStep'),
    gigabytesPerSecond: row.number('gigabytesPerSecond'),
    backend: row.string('backend'),
  }));
}

// The workloads the headline table shows, where the record has them: [model, K, replicates, agents].
const headlineWorkloads: Array<[string, number, number, number]> = [
  ['randomWalk', 0, 10, 1_000_000],
  ['randomWalk', 1, 1000, 1000],
  ['volatility', 0, 1000, 1000],
  ['volatility', 4, 1000, 1000],
  ['volatility', 4, 10, 1_000_000],
  ['sir', 0, 1000, 1000],
  ['sir', 4, 1000, 1000],
  ['networkSir', 0, 64, 1000],
  ['networkSir', 4, 64, 1000],
];

function throughputSection(record: BenchRecord): string {
  const rows = throughputRows(suiteFields(record, 'throughput'));
  const headline = headlineWorkloads
    .map(([model, K, replicates, agents]) => rows.find((r) => r.model === model && r.tangents === K && r.replicates === replicates && r.agents === agents))
    .filter((r): r is ThroughputRow => r !== undefined);
  const line = (r: ThroughputRow) => [`${modelLabel(r.model)}, ${tangentLabel(r.tangents)}, ${size(r.replicates, r.agents, r.steps)}`, r.mode, rate(r.agentStepsPerSecond), r.nsPerAgentStep.toFixed(2)];
  const all = table(
    ['model', 'K', 'mode', 'replicates × agents × steps', 'agent-steps/s', 'ns / agent-step', 'bytes / agent-step', 'GB/s'],
    rows.map((r) => [modelLabel(r.model), String(r.tangents), r.mode, size(r.replicates, r.agents, r.steps), rate(r.agentStepsPerSecond), r.nsPerAgentStep.toFixed(2), String(r.bytesPerAgentStep), r.gigabytesPerSecond.toFixed(1)]),
  );
  return [
    table(['workload (replicates × agents × steps)', 'mode', 'agent-steps/s', 'ns / agent-step'], headline.map(line)),
    '',
    details(`All ${rows.length} rows, with the effective bandwidth of the bytes each agent-step must move`, all),
    '',
    sourceLine(record, 'npm run bench -- throughput', rows.map((r) => r.backend)),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// End to end

function endToEndSection(record: BenchRecord): string {
  const rows = suiteFields(record, 'endToEnd')
    .items()
    .map((row) => [row.string('task'), row.number('msMedian').toFixed(1), String(row.number('runs'))]);
  return [table(['task (volatility, N = 1000, T = 100)', 'median ms', 'runs'], rows), '', sourceLine(record, 'npm run bench -- end-to-end')].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Peers and the generator bound

const peerNames = ['numpy', 'torch-forward', 'torch-reverse'] as const;
type PeerName = (typeof peerNames)[number];
const peerLabels: Record<PeerName, string> = { numpy: 'NumPy', 'torch-forward': 'PyTorch forward', 'torch-reverse': 'PyTorch reverse' };
/** The ratio agentgrad / peer each cell is meant to reach. */
const peerTargets: Record<PeerName, number> = { numpy: 10, 'torch-forward': 20, 'torch-reverse': 20 };

interface PeerCell {
  agentStepsPerSecond: number;
  ratio: number;
  warmUpOnly: boolean;
}

interface PeerRow {
  model: string;
  tangents: number;
  replicates: number;
  agents: number;
  steps: number;
  agentgrad: number;
  backend: string;
  peers: Partial<Record<PeerName, PeerCell>>;
  generator: number | null;
}

function peerCells(peers: Fields): Partial<Record<PeerName, PeerCell>> {
  const cells: Partial<Record<PeerName, PeerCell>> = {};
  for (const [name, cell] of peers.entries()) {
    if (!(peerNames as readonly string[]).includes(name)) continue;
    cells[name as PeerName] = { agentStepsPerSecond: cell.number('agentStepsPerSecond'), ratio: cell.number('ratio'), warmUpOnly: cell.boolean('warmUpOnly') };
  }
  return cells;
}

function peerRowsOf(suite: Fields): PeerRow[] {
  return suite
    .at('rows')
    .items()
    .map((row) => ({
      model: row.string('model'),
      tangents: row.number('tangents'),
      replicates: row.number('replicates'),
      agents: row.number('agents'),
      steps: row.number('steps'),
      agentgrad: row.at('agentgrad').number('agentStepsPerSecond'),
      backend: row.at('agentgrad').string('backend'),
      peers: peerCells(row.at('peers')),
      generator: row.has('generator') ? row.at('generator').number('agentStepsPerSecond') : null,
    }));
}

function peersSection(record: BenchRecord): string {
  const rows = peerRowsOf(suiteFields(record, 'peers'));
  const models = [...new Set(rows.map((r) => r.model))];
  const summary = table(
    ['model', ...peerNames.map((p) => `ag / ${peerLabels[p]}`)],
    models.map((model) => {
      const own = rows.filter((r) => r.model === model);
      const Ks = [...new Set(own.map((r) => r.tangents))].join(', ');
      return [`${modelLabel(model)}, K = ${Ks}`, ...peerNames.map((p) => ratioRange(own.flatMap((r) => (r.peers[p] ? [r.peers[p]!.ratio] : []))))];
    }),
  );
  const cells = rows.flatMap((r) => peerNames.flatMap((p) => (r.peers[p] ? [{ row: r, peer: p, cell: r.peers[p]! }] : [])));
  const short = cells.filter(({ peer, cell }) => cell.ratio < peerTargets[peer]);
  const shortList = short.map(({ row, peer, cell }) => `${modelLabel(row.model)} with ${tangentLabel(row.tangents)} against ${peerLabels[peer]} at ${size(row.replicates, row.agents, row.steps)} (${ratio(cell.ratio)}×)`);
  const below =
    `${short.length} of the ${cells.length} cells are below 10× NumPy or 20× PyTorch` + (short.length > 0 ? `: ${shortList.join('; ')}.` : '.');
  const cell = (r: PeerRow, p: PeerName) => {
    const c = r.peers[p];
    return c ? [rate(c.agentStepsPerSecond) + (c.warmUpOnly ? '¹' : ''), ratio(c.ratio)] : ['—', '—'];
  };
  const all = table(
    ['model', 'K', 'replicates × agents × steps', 'agentgrad', 'NumPy', 'ag / NumPy', 'PyTorch fwd', 'ag / fwd', 'PyTorch rev', 'ag / rev'],
    rows.map((r) => [modelLabel(r.model), String(r.tangents), size(r.replicates, r.agents, r.steps), rate(r.agentgrad), ...peerNames.flatMap((p) => cell(r, p))]),
  );
  return [
    summary,
    '',
    below,
    '',
    details(`All ${rows.length} rows (agent-steps/s; ¹ one run: its warm-up exceeded the time budget)`, all),
    '',
    sourceLine(record, 'npm run bench -- peers', rows.map((r) => r.backend)),
  ].join('\n');
}

function generatorBoundSection(record: BenchRecord): string {
  const rows = peerRowsOf(suiteFields(record, 'peers')).filter((r) => r.generator !== null);
  if (rows.length === 0) return `The record has no generator bound (a CUDA run, or no random-walk rows without tangents).\n\n${sourceLine(record, 'npm run bench -- peers')}`;
  const forward = (r: PeerRow) => r.peers['torch-forward'];
  const body = rows.map((r) => {
    const bound = r.generator!;
    const peer = forward(r);
    return [
      size(r.replicates, r.agents, r.steps),
      rate(bound),
      `${rate(r.agentgrad)} (${((100 * r.agentgrad) / bound).toFixed(0)}%)`,
      peer ? `${ratio(bound / peer.agentStepsPerSecond)}×` : '—',
      peer ? `${ratio(peer.ratio)}×` : '—',
    ];
  });
  return [
    table(['replicates × agents × steps', 'generator bound', 'agentgrad (share of bound)', 'bound / PyTorch forward', 'ag / PyTorch forward'], body),
    '',
    sourceLine(record, 'npm run bench -- peers'),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Memory

function memorySection(record: BenchRecord): string {
  const suite = suiteFields(record, 'memory');
  const rows = suite.at('rows').items();
  const body = rows.map((row) => {
    const ag = row.has('agentgrad') ? row.at('agentgrad') : null;
    const peak = ag?.number('peakRssBytes') ?? null;
    const outputs = ag?.number('outputBytes') ?? null;
    return [
      count(row.number('steps')),
      mib(peak),
      mib(outputs),
      peak === null || outputs === null ? '—' : mib(peak - outputs),
      mib(row.optionalNumber('numpyPeakRssBytes')),
      mib(row.optionalNumber('torchReversePeakRssBytes')),
    ];
  });
  const growth = suite.at('growth');
  const times = (key: string) => {
    const g = growth.optionalNumber(key);
    return g === null ? '—' : `${g.toFixed(2)}×`;
  };
  const first = rows[0]?.number('steps');
  const last = rows.at(-1)?.number('steps');
  return [
    `Peak RSS in MiB: volatility, ${suite.number('replicates')} replicates × ${count(suite.number('agents'))} agents, K = ${suite.number('tangents')}, float32, each T in a fresh process.`,
    '',
    table(['T', 'agentgrad', 'its outputs', 'agentgrad less outputs', 'NumPy (duals)', 'PyTorch reverse'], body),
    '',
    `Peak RSS at T = ${count(last ?? 0)} over T = ${count(first ?? 0)}: agentgrad ${times('agentgrad')} (less its outputs ${times('agentgradLessOutputs')}), ` +
      `NumPy ${times('numpy')}, PyTorch reverse ${times('torchReverse')}.`,
    '',
    sourceLine(record, 'npm run bench -- memory', rows.flatMap((row) => (row.has('agentgrad') ? [row.at('agentgrad').string('backend')] : []))),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Estimators

function estimatorsSection(record: BenchRecord): string {
  const rows = suiteFields(record, 'estimators').items();
  const body = rows.map((row) => {
    const tau = row.optionalNumber('tau');
    return [
      row.string('model'),
      row.string('estimator'),
      row.string('mode'),
      tau === null ? '—' : String(tau),
      String(row.number('truth')),
      `${row.number('mean').toFixed(3)} ± ${row.number('stderr').toFixed(3)}`,
      row.number('bias').toFixed(3),
      row.number('sd').toFixed(3),
      row.number('msPerGradient').toFixed(1),
    ];
  });
  const replicates = [...new Set(rows.map((row) => row.number('replicates')))].map(count).join(', ');
  return [
    table(['model', 'estimator', 'mode', 'τ', 'truth', 'mean ± s.e.', 'bias', 'sd (1 replicate)', 'ms / gradient'], body),
    '',
    `${replicates} replicates per gradient.`,
    '',
    sourceLine(record, 'npm run bench -- estimators'),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// CUDA static report

function cudaReportSection(record: BenchRecord): string {
  const report = suiteFields(record, 'cudaReport');
  const source = sourceLine(record, 'npm run bench -- cuda-report');
  const skipped = report.optionalString('skipped');
  if (skipped !== null) return `The newest report was skipped: ${skipped}.\n\n${source}`;
  const kernels = report.at('kernels').items().map((k) => ({
    model: k.string('model'),
    registers: k.number('registers'),
    spillBytes: k.number('spillStoreBytes') + k.number('spillLoadBytes'),
    spills: k.boolean('spills'),
  }));
  const models = [...new Set(kernels.map((k) => k.model))];
  const body = models.map((model) => {
    const own = kernels.filter((k) => k.model === model);
    const registers = own.map((k) => k.registers);
    const low = Math.min(...registers);
    const high = Math.max(...registers);
    return [model, String(own.length), low === high ? String(low) : `${low}–${high}`, String(own.reduce((s, k) => s + k.spillBytes, 0)), String(own.filter((k) => k.spills).length)];
  });
  const spilling = kernels.filter((k) => k.spills).length;
  return [
    `nvcc ${report.optionalString('nvccVersion') ?? '(version not recorded)'}, ${report.string('arch')}: ${kernels.length} kernels, ${spilling === 0 ? 'none spills' : `${spilling} spill`}.`,
    '',
    table(['model', 'kernels (scalar types)', 'registers per thread', 'spill bytes (stores + loads)', 'kernels that spill'], body),
    '',
    source,
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Models written in TypeScript

function defineSection(record: BenchRecord): string {
  const suite = suiteFields(record, 'define');
  const ms = (seconds: number) => `${(seconds * 1000).toFixed(1)} ms`;
  const body = suite.at('rows').items().map((row) => {
    const torch = row.optionalNumber('torch');
    const torchOverTwin = row.optionalNumber('torchOverTwin');
    return [
      row.string('model'),
      String(row.number('tangents')),
      `${row.number('replicates')} × ${count(row.number('agents'))} × ${row.number('steps')}`,
      ms(row.number('builtIn')),
      ms(row.number('twin')),
      torch === null ? '—' : ms(torch),
      `${row.number('twinOverBuiltIn').toFixed(2)}×`,
      torchOverTwin === null ? '—' : `${torchOverTwin.toFixed(1)}×`,
    ];
  });
  const first = suite.at('firstRun');
  return [
    table(['model', 'K', 'replicates × agents × steps', 'C++ model', 'defineModel twin', 'PyTorch eager forward', 'twin time / C++', 'PyTorch time / twin'], body),
    '',
    `Defining a new model and its first simulate call (8 replicates × 1,000 agents × 100 steps, all tangents), median of ` +
      `${first.number('processes')} fresh processes: defineModel ${first.number('defineMs').toFixed(1)} ms, first simulate ` +
      `${first.number('firstSimulateMs').toFixed(1)} ms, ${first.number('totalMs').toFixed(1)} ms in all.`,
    '',
    sourceLine(record, 'npm run bench -- define'),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Variational families and diagnose

function flowSection(record: BenchRecord): string {
  const rows = suiteFields(record, 'flow').items();
  const base = rows.find((row) => row.string('family') === 'diagonal-gaussian');
  const body = rows.map((row) => [
    row.string('family'),
    row.optionalString('shape') ?? '—',
    String(row.number('parameters')),
    row.number('msPerEpoch').toFixed(1),
    base ? `${(row.number('msPerEpoch') / base.number('msPerEpoch')).toFixed(2)}×` : '—',
    row.number('familyMsPerEpoch').toFixed(3),
  ]);
  return [
    table(['family', 'layers × bins × hidden', 'length of φ', 'ms per epoch', 'time / diagonal', "family's own arithmetic, ms per epoch"], body),
    '',
    sourceLine(record, 'npm run bench -- flow'),
  ].join('\n');
}

function diagnoseSection(record: BenchRecord): string {
  const body = suiteFields(record, 'diagnose').items().map((row) => {
    const pairs = (key: string, digits: (x: number) => string) => row.at(key).entries().map(([, value]) => digits(value.value as number)).join(', ');
    return [
      row.string('recipe'),
      String(row.number('simulations')),
      String(row.number('concurrency')),
      `${row.number('seconds').toFixed(1)} s`,
      row.number('fitsPerMinute').toFixed(1),
      pairs('pValue', (p) => p.toPrecision(2)),
      pairs('coverage90', (c) => c.toFixed(2)),
    ];
  });
  return [
    table(['recipe', 'simulations', 'fits at once', 'wall time', 'fits per minute', 'uniformity p (σε, η)', '90% coverage (σε, η)'], body),
    '',
    sourceLine(record, 'npm run bench -- diagnose'),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// The cluster

// blackbirds (Quera-Bofarull et al. 2023): GVI samples over MPI ranks, 8.7 s per epoch on one V100
// and 1.65 s on eight.
const blackbirdsSpeedup = 8.7 / 1.65;

function clusterSection(record: BenchRecord): string {
  const suite = suiteFields(record, 'cluster');
  const rows = suite.at('rows').items();
  const settings = [...new Set(rows.map((row) => row.string('setting')))];
  const body = settings.map((setting) => {
    const of = (where: string, workers: number) => rows.find((row) => row.string('setting') === setting && row.string('where') === where && row.number('workers') === workers)!;
    const first = of('one process', 1);
    const cells = [of('one process', 1), of('one process', 2), of('cluster', 1), of('cluster', 2)].map((row) => row.number('msPerEpoch'));
    return [
      `${setting} (${first.number('agents').toLocaleString('en-US')} agents × ${first.number('steps')} steps)`,
      ...cells.map((ms) => ms.toFixed(1)),
      `${(cells[2]! / cells[3]!).toFixed(2)}×`,
    ];
  });
  // On paper: S tasks an epoch over W workers take ceil(S / W) rounds of one task's time.
  const large = rows.filter((row) => row.string('setting') === settings.at(-1) && row.string('where') === 'cluster');
  const one = large.find((row) => row.number('workers') === 1)!;
  const samples = one.number('samples');
  const taskMs = one.number('msPerEpoch') / samples;
  const projected = (workers: number, s: number) => Math.ceil(s / workers) * taskMs;
  return [
    table(['setting', 'one process, 1 thread', 'one process, 2 threads', 'cluster, 1 worker', 'cluster, 2 workers', '2 workers / 1 worker'], body),
    '',
    `Milliseconds per epoch (median), 10 samples per epoch, one thread per worker, coordinator, workers and server all on one machine with ${record.machine?.cores ?? '?'} cores. ` +
      `Per-task overhead (publish, delivery, result, acknowledgement on loopback): ${suite.number('msPerTaskOverhead').toFixed(2)} ms, ` +
      `against ${suite.number('msPerTinySample').toFixed(3)} ms for the tiny sample it carries.`,
    '',
    `Projection to 8 workers, each on a machine of its own, from the ${settings.at(-1)} row (${taskMs.toFixed(0)} ms per task, its overhead included): ` +
      `an epoch of S samples takes ceil(S / 8) rounds of one task; with 10 samples, 2 rounds, ` +
      `${projected(8, samples).toFixed(0)} ms an epoch, ${(projected(1, samples) / projected(8, samples)).toFixed(2)}× one worker; with 16 samples, ` +
      `${(projected(1, 16) / projected(8, 16)).toFixed(2)}×. blackbirds on 8 V100s (its own model and setting, so only the ratios compare): ` +
      `8.7 → 1.65 s, ${blackbirdsSpeedup.toFixed(2)}×, without surviving the loss of a rank.`,
    '',
    sourceLine(record, 'npm run bench -- cluster'),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Sections and documents

interface Section {
  /** The record key of the suite the section is built from. */
  suite: string;
  render: (record: BenchRecord) => string;
}

export const sections: Record<string, Section> = {
  throughput: { suite: 'throughput', render: throughputSection },
  'end-to-end': { suite: 'endToEnd', render: endToEndSection },
  peers: { suite: 'peers', render: peersSection },
  'generator-bound': { suite: 'peers', render: generatorBoundSection },
  memory: { suite: 'memory', render: memorySection },
  estimators: { suite: 'estimators', render: estimatorsSection },
  'cuda-report': { suite: 'cudaReport', render: cudaReportSection },
  define: { suite: 'define', render: defineSection },
  flow: { suite: 'flow', render: flowSection },
  diagnose: { suite: 'diagnose', render: diagnoseSection },
  cluster: { suite: 'cluster', render: clusterSection },
};

const markerPattern = /<!-- generated:([\w-]+) -->\n(?:[\s\S]*?\n)?<!-- \/generated:\1 -->/g;

/** `doc` with the content between every pair of generated markers rebuilt from `records`. */
export function fillGeneratedSections(doc: string, records: readonly BenchRecord[]): string {
  const opened = [...doc.matchAll(/<!-- generated:([\w-]+) -->/g)].map((m) => m[1]!);
  let filled = 0;
  const result = doc.replace(markerPattern, (_, name: string) => {
    const section = sections[name];
    if (!section) throw new Error(`unknown generated section '${name}'; sections: ${Object.keys(sections).join(', ')}`);
    const record = newestWith(records, section.suite);
    if (!record) throw new Error(`no record in bench/results has the suite '${section.suite}' that section '${name}' needs`);
    filled++;
    return `<!-- generated:${name} -->\n${section.render(record)}\n<!-- /generated:${name} -->`;
  });
  if (filled !== opened.length) throw new Error(`a generated section is not closed: opened ${opened.join(', ')}; each needs its <!-- /generated:NAME --> line`);
  return result;
}

/** The document at `docPath` with its generated parts rebuilt from the records in `resultsDir`. */
export function generatedDoc(docPath: string, resultsDir = defaultResultsDir): string {
  return fillGeneratedSections(readFileSync(docPath, 'utf8'), readRecords(resultsDir));
}

/** docs/performance.md as the records in `resultsDir` make it. */
export function performanceDoc(resultsDir = defaultResultsDir): string {
  return generatedDoc(performanceDocPath, resultsDir);
}

/** Rewrites every document with generated parts; returns the paths that changed. */
export function writeGeneratedDocs(resultsDir = defaultResultsDir): string[] {
  const records = readRecords(resultsDir);
  const changed: string[] = [];
  for (const path of generatedDocPaths) {
    const before = readFileSync(path, 'utf8');
    const after = fillGeneratedSections(before, records);
    if (after !== before) {
      writeFileSync(path, after);
      changed.push(basename(path));
    }
  }
  return changed;
}
