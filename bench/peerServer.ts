// A peer kept running between jobs (`bench/peers/*.py --serve`, common.serve): the peer suite asks
// it for one warm-up per job, then for timed runs in turns with agentgrad's, so that both sides of a
// ratio are measured over the same stretch of time on this shared machine.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

import { peerEnvironment, peerJob, peerScript, peersDir, type PeerJob, type PeerName } from './python.js';

export interface PeerWarmUp {
  seconds: number;
  summary: Record<string, unknown>;
  version: string;
  threads: number;
  method: string;
}

type Answer = Record<string, unknown>;

export class PeerServer {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending: Array<{ resolve: (answer: Answer) => void; reject: (error: Error) => void }> = [];
  private stderrTail = '';
  private exited: Error | null = null;

  /** `threads`: the peer's BLAS and OpenMP threads (peerEnvironment). */
  constructor(python: string, readonly peer: PeerName, threads: number) {
    this.child = spawn(python, [peerScript(peer), '--serve'], {
      cwd: peersDir,
      env: peerEnvironment(threads),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-2000);
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => this.answer(line));
    // A write to a peer that has exited fails with EPIPE; the exit handler below reports it.
    this.child.stdin.on('error', () => undefined);
    const fail = (why: string): void => {
      const stderr = this.stderrTail.trim().split('\n').slice(-3).join(' | ');
      this.exited = new Error(`${peer} peer ${why}${stderr ? `: ${stderr}` : ''}`);
      for (const p of this.pending.splice(0)) p.reject(this.exited);
    };
    this.child.on('error', (error) => fail(`failed to start (${error.message})`));
    this.child.on('exit', (code, signal) => fail(`exited (${code ?? signal})`));
  }

  /** Makes `job` the current one and runs it once. */
  async warmUp(job: PeerJob): Promise<PeerWarmUp> {
    return (await this.request({ op: 'warm-up', job: peerJob(this.peer, job) })) as unknown as PeerWarmUp;
  }

  /** Times runs of the current job: at least one, and until they add up to `minSeconds`. */
  async time(minSeconds: number): Promise<number[]> {
    return (await this.request({ op: 'time', minSeconds }))['seconds'] as number[];
  }

  close(): void {
    this.child.stdin.end();
  }

  private request(request: Answer): Promise<Answer> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.child.stdin.write(JSON.stringify(request) + '\n');
    });
  }

  private answer(line: string): void {
    const waiting = this.pending.shift();
    if (!waiting) return;
    const answer = JSON.parse(line) as Answer;
    if (typeof answer['error'] === 'string') waiting.reject(new Error(`${this.peer} peer: ${answer['error']}`));
    else waiting.resolve(answer);
  }
}
