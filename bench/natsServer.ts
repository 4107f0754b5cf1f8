// A nats-server with JetStream on 127.0.0.1 and a free port, and `agentgrad worker` processes,
// started and stopped by the cluster tests and benchmark.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface NatsServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function natsServerPath(): string {
  for (const candidate of ['nats-server', '/usr/sbin/nats-server', '/usr/bin/nats-server']) {
    if (spawnSync(candidate, ['--version']).status === 0) return candidate;
  }
  throw new Error('nats-server was not found: install it (Debian: apt-get install nats-server); .ci/run does');
}

/**
 * Starts a server; `token` makes it require that token, `config` is the text of a configuration
 * file (its variables read from `env`), `args` more flags. Resolves once it accepts connections.
 */
export async function startNats(options: { token?: string; config?: string; env?: NodeJS.ProcessEnv; args?: string[] } = {}): Promise<NatsServer> {
  const port = await freePort();
  const store = mkdtempSync(join(tmpdir(), 'agentgrad-nats-'));
  const configFile = join(store, 'server.conf');
  if (options.config !== undefined) writeFileSync(configFile, options.config);
  const args = [
    ...(options.config !== undefined ? ['-c', configFile] : []),
    '-a', '127.0.0.1', '-p', String(port), '-js', '-sd', join(store, 'jetstream'),
    ...(options.token ? ['--auth', options.token] : []),
    ...(options.args ?? []),
  ];
  const child: ChildProcess = spawn(natsServerPath(), args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...options.env } });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nats-server did not start within 10 s:\n${log}`)), 10_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('Server is ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`nats-server exited with code ${code}:\n${log}`)));
  });
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => {
          rmSync(store, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

const workerCli = join(dirname(fileURLToPath(import.meta.url)), '..', 'lib', 'cli', 'main.js');

export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
}

/**
 * `agentgrad worker --threads 1 --backend cpu` (and `args`) in its own process; resolves once its
 * output shows `ready`, or rejects with the output when it exits first.
 */
export async function startWorker(url: string, args: string[] = [], env: NodeJS.ProcessEnv = {}, ready = 'taking tasks'): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [workerCli, 'worker', '--cluster', url, '--threads', '1', '--backend', 'cpu', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${output}`)), 20_000);
    const poll = setInterval(() => {
      if (!output.includes(ready)) return;
      clearInterval(poll);
      clearTimeout(timer);
      resolve();
    }, 20);
    child.once('exit', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`worker exited with code ${code}:\n${output}`));
    });
  });
  return { child, output: () => output };
}

export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
