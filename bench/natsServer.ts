// A nats-server with JetStream on 127.0.0.1 and a free port, started and stopped by a test or a benchmark.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
