// Finds the Python interpreters that have the peers' libraries and runs one peer job in a child
// process (bench/peers/*.py). A peer whose library is missing is skipped with a note.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const peersDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'peers');

export type PeerName = 'numpy' | 'torch-forward' | 'torch-reverse';

export interface PeerJob {
  model: string;
  replicates: number;
  agents: number;
  steps: number;
  tangents: number;
  /** Timed runs after one warm-up; 0: one run only (memory). */
  repeats: number;
  seed?: number;
  /** Stop repeating once this many seconds are spent; a longer warm-up is the measurement. */
  budgetSeconds?: number;
  mode?: 'forward' | 'reverse';
  threads?: number;
}

export interface PeerResult {
  peer: string;
  medianSeconds: number;
  agentStepsPerSecond: number;
  nsPerAgentStep: number;
  seconds: number[];
  warmUpOnly: boolean;
  peakRssBytes: number;
  threads: number;
  method: string;
  version: string;
  summary: Record<string, unknown>;
}

export interface PythonFor {
  /** Interpreter path, or null with the reason in `note`. */
  python: string | null;
  version: string | null;
  note: string;
}

// Candidates in order: an explicit override, the PATH python3 (pyenv here), Debian's system python
// (where `apt-get install python3-torch` puts PyTorch).
function candidates(envVar: string): string[] {
  const list = [process.env[envVar], 'python3', '/usr/bin/python3', 'python'];
  return [...new Set(list.filter((c): c is string => typeof c === 'string' && c.length > 0))];
}

function probe(python: string, module: string): string | null {
  const r = spawnSync(python, ['-c', `import ${module}; print(${module}.__version__)`], { encoding: 'utf8', timeout: 60_000 });
  return r.status === 0 ? r.stdout.trim() : null;
}

const cache = new Map<string, PythonFor>();

/** The first interpreter that imports `module` (AGENTGRAD_NUMPY_PYTHON / AGENTGRAD_TORCH_PYTHON override). */
export function pythonWith(module: 'numpy' | 'torch'): PythonFor {
  const cached = cache.get(module);
  if (cached) return cached;
  const envVar = module === 'numpy' ? 'AGENTGRAD_NUMPY_PYTHON' : 'AGENTGRAD_TORCH_PYTHON';
  const tried = candidates(envVar);
  let found: PythonFor = {
    python: null,
    version: null,
    note: `${module} peer skipped: no Python among ${tried.join(', ')} imports ${module}` +
      (module === 'torch' ? ' (apt-get install python3-torch installs it for /usr/bin/python3)' : ''),
  };
  for (const python of tried) {
    const version = probe(python, module);
    if (version !== null) {
      found = { python, version, note: `${module} ${version} via ${python}` };
      break;
    }
  }
  cache.set(module, found);
  return found;
}

/**
 * The environment a peer runs in: its BLAS and OpenMP pools held to `threads` (NumPy's OpenBLAS
 * otherwise starts a thread per core for einsum, and its idle threads spin on a core for a while
 * after each call, which slowed the agentgrad runs after a NumPy turn by up to 1.7 times).
 */
export function peerEnvironment(threads: number): NodeJS.ProcessEnv {
  const n = String(threads);
  return { ...process.env, OPENBLAS_NUM_THREADS: n, OMP_NUM_THREADS: n, MKL_NUM_THREADS: n };
}

export function peerScript(peer: PeerName): string {
  return join(peersDir, peer === 'numpy' ? 'numpy_peer.py' : 'torch_peer.py');
}

/** The job as `peer` takes it: the PyTorch peers read their mode from it. */
export function peerJob(peer: PeerName, job: PeerJob): PeerJob {
  return peer === 'numpy' ? job : { ...job, mode: peer === 'torch-reverse' ? 'reverse' : 'forward' };
}

/** Runs one job in a process of its own; returns the peer's report or throws with its stderr. */
export function runPeer(python: string, peer: PeerName, job: PeerJob, timeoutSeconds = 900): PeerResult {
  const script = peerScript(peer);
  const r = spawnSync(python, [script, JSON.stringify(peerJob(peer, job))], {
    encoding: 'utf8',
    timeout: timeoutSeconds * 1000,
    maxBuffer: 16 * 2 ** 20,
    cwd: peersDir,
    env: peerEnvironment(peer === 'numpy' ? 1 : job.threads ?? 1),
  });
  if (r.status !== 0) {
    const why = r.error ? r.error.message : `exit ${r.status ?? r.signal}`;
    throw new Error(`${peer} peer failed (${why}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as PeerResult;
}
