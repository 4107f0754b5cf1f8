// Scale-out on NATS JetStream, against a real nats-server on 127.0.0.1 started by each test: a
// cluster fit equals the same fit in one process bitwise, whatever happens to workers and the
// coordinator; bad messages, other versions and secrets are handled as docs/cluster.md says.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import test from 'ava';

import { decodeMessage, encodeMessage } from '../lib/cluster/codec.js';
import { checkClusterOptions, redact } from '../lib/cluster/options.js';
import { asResult, checkTask, PROTOCOL, streams, subjects, taskDigest, WORKER_CONSUMER, type Result } from '../lib/cluster/protocol.js';
import { ensureQueues } from '../lib/cluster/queues.js';
import { sampleStatistics } from '../lib/gvi/objective.js';
import { sampleSetupOf, type FitRun } from '../lib/cluster/runs.js';
import { diagnose, fit, losses, models, runWorker, type FitResult } from '../lib/index.js';
import { agentgradVersion } from '../lib/version.js';
import { clusterFitCase } from './clusterCase.js';
import { repoRoot } from './helpers.js';
import { startNats, startWorker, stopProcess, type NatsServer } from '../bench/natsServer.js';

const cli = join(repoRoot, 'dist', 'lib', 'cli', 'main.js');  // for the commands run to their end

/**
 * Freezes the worker, and kills it once the server shows both workers holding a task (so the frozen
 * one holds one); otherwise lets it run a moment and tries again.
 */
async function killWhileHoldingATask(worker: ChildProcess, consumerInfo: () => Promise<{ num_ack_pending: number }>): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 15));
    worker.kill('SIGSTOP');
    if ((await consumerInfo()).num_ack_pending === 2) {
      worker.kill('SIGKILL');
      await new Promise((resolve) => worker.once('exit', resolve));
      return;
    }
    worker.kill('SIGCONT');
  }
  throw new Error('the workers never held two tasks at once');
}

function sameFit(a: Pick<FitResult, 'posterior' | 'history'>, b: Pick<FitResult, 'posterior' | 'history'>): boolean {
  return JSON.stringify(a.posterior.toJSON()) === JSON.stringify(b.posterior.toJSON()) &&
    a.history.map((h) => h.loss).join() === b.history.map((h) => h.loss).join();
}

async function withServer(run: (server: NatsServer) => Promise<void>, options: Parameters<typeof startNats>[0] = {}): Promise<void> {
  const server = await startNats(options);
  try {
    await run(server);
  } finally {
    await server.stop();
  }
}

let localResult: Promise<FitResult> | undefined;
/** The reference: the cluster case fitted in this process (computed once). */
function localFit(): Promise<FitResult> {
  localResult ??= clusterFitCase().then(({ model, observed, options }) => fit(model, observed, options));
  return localResult;
}

test.serial('a fit through two workers equals the same fit in one process, bitwise', async (t) => {
  await withServer(async (server) => {
    const workers = [await startWorker(server.url), await startWorker(server.url)];
    try {
      const { model, observed, options } = await clusterFitCase();
      const notices: string[] = [];
      const remote = await fit(model, observed, { ...options, cluster: { url: server.url, onNotice: (m) => notices.push(m) } });
      const local = await localFit();
      t.true(sameFit(remote, local));
      t.deepEqual(notices, []);
      // Both workers took tasks.
      await Promise.all(workers.map((w) => stopProcess(w.child)));
      const completed = workers.map((w) => Number(/(\d+) tasks completed/.exec(w.output())?.[1]));
      t.is(completed[0]! + completed[1]!, 10 * 10, workers.map((w) => w.output()).join('\n'));
      t.true(completed.every((n) => n > 0), `tasks per worker: ${completed.join(', ')}`);
    } finally {
      await Promise.all(workers.map((w) => stopProcess(w.child)));
    }
  });
});

test.serial('a worker killed with SIGKILL mid-epoch: its task is redelivered and the posterior is bitwise the same', async (t) => {
  await withServer(async (server) => {
    const victim = await startWorker(server.url, ['--ack-wait', '1000']);
    const survivor = await startWorker(server.url, ['--ack-wait', '1000']);
    try {
      const { model, observed, options } = await clusterFitCase();
      const nc = await connect({ servers: server.url });
      const jsm = await jetstreamManager(nc);
      let killed: Promise<void> | undefined;
      const remote = await fit(model, observed, {
        ...options,
        cluster: { url: server.url, ackWait: 1000 },
        onEpoch: (record) => {
          if (record.epoch === 2) killed = killWhileHoldingATask(victim.child, () => jsm.consumers.info(streams.tasks, WORKER_CONSUMER));
        },
      });
      await killed;
      t.is(victim.child.signalCode, 'SIGKILL');
      t.true(sameFit(remote, await localFit()));
      // 100 tasks; every delivery past the 100th is a redelivery of the task the victim held.
      const info = await jsm.consumers.info(streams.tasks, WORKER_CONSUMER);
      await nc.close();
      t.true(info.delivered.consumer_seq > 100, `deliveries ${info.delivered.consumer_seq}`);
    } finally {
      await stopProcess(victim.child);
      await stopProcess(survivor.child);
    }
  });
});

test.serial('a worker that dies on a task\'s last delivery: the fit fails naming the sample instead of waiting forever', async (t) => {
  await withServer(async (server) => {
    // One delivery per task: the task the victim holds when it dies is not delivered again.
    const flags = ['--ack-wait', '1000', '--max-deliveries', '1'];
    const victim = await startWorker(server.url, flags);
    const survivor = await startWorker(server.url, flags);
    const nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    try {
      const { model, observed, options } = await clusterFitCase();
      let killed: Promise<void> | undefined;
      const failure = await t.throwsAsync(fit(model, observed, {
        ...options,
        cluster: { url: server.url, ackWait: 1000, maxDeliveries: 1 },
        onEpoch: (record) => {
          if (record.epoch === 0) killed = killWhileHoldingATask(victim.child, () => jsm.consumers.info(streams.tasks, WORKER_CONSUMER));
        },
      }));
      await killed;
      t.regex(failure!.message, /^cluster: sample \d of epoch 1 was delivered 1 time without a result: the workers that took it died or missed their heartbeats each time \(ack wait 1000 ms\)/);
    } finally {
      await nc.close();
      await stopProcess(victim.child);
      await stopProcess(survivor.child);
    }
  });
});

test.serial('agentgrad fit --cluster writes the posterior agentgrad fit writes without it', async (t) => {
  await withServer(async (server) => {
    const worker = await startWorker(server.url);
    const dir = mkdtempSync(join(tmpdir(), 'agentgrad-cli-cluster-'));
    try {
      const run = (out: string, extra: string[]) =>
        new Promise<number | null>((resolve) => {
          const child = spawn(process.execPath, [cli, 'fit', '--agents', '300', '--steps', '40', '--epochs', '6', '--backend', 'cpu', '--out', join(dir, out), ...extra], { stdio: 'ignore' });
          child.once('exit', resolve);
        });
      t.is(await run('local', []), 0);
      t.is(await run('cluster', ['--cluster', server.url]), 0);
      const posterior = (out: string) => (JSON.parse(readFileSync(join(dir, out, 'posterior.json'), 'utf8')) as { posterior: unknown }).posterior;
      t.deepEqual(posterior('cluster'), posterior('local'));
    } finally {
      await stopProcess(worker.child);
      rmSync(dir, { recursive: true, force: true });
    }
    t.regex(worker.output(), /60 tasks completed/);
  });
});

test.serial('TLS: workers and coordinators that trust the server\'s CA work; one that does not is refused', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'agentgrad-tls-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=agentgrad test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'san.ext');
  const caFile = join(dir, 'ca.pem');
  try {
    await withServer(async (server) => {
      const url = `tls://127.0.0.1:${server.port}`;
      const worker = await startWorker(url, ['--tls-ca', caFile]);
      try {
        const { model, observed, options } = await clusterFitCase(2000);
        const remote = await fit(model, observed, { ...options, epochs: 2, cluster: { url, tls: { caFile } } });
        t.true(sameFit(remote, await fit(model, observed, { ...options, epochs: 2 })));
        await t.throwsAsync(fit(model, observed, { ...options, epochs: 2, cluster: { url } }), { message: /cannot connect to the cluster at tls:\/\/127\.0\.0\.1:\d+: .*(certificate|self.signed)/i });
      } finally {
        await stopProcess(worker.child);
      }
    }, { args: ['--tls', '--tlscert', join(dir, 'server.pem'), '--tlskey', join(dir, 'server.key')] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.serial('a coordinator killed with SIGKILL and restarted resumes from its checkpoint and the stream, to the same posterior', async (t) => {
  await withServer(async (server) => {
    const workers = [await startWorker(server.url, ['--ack-wait', '1000']), await startWorker(server.url, ['--ack-wait', '1000'])];
    const dir = mkdtempSync(join(tmpdir(), 'agentgrad-coordinator-'));
    const checkpoint = join(dir, 'checkpoint.json');
    const out = join(dir, 'result.json');
    const coordinator = () => spawn(process.execPath, [join(repoRoot, 'test', 'fixtures', 'cluster-fit.mjs'), server.url, checkpoint, out], { stdio: 'inherit' });
    try {
      const first = coordinator();
      // Killed once the checkpoint of epoch 4 is written: epoch 5's tasks are then out on the cluster.
      await new Promise<void>((resolve, reject) => {
        const poll = setInterval(() => {
          if (existsSync(checkpoint) && (JSON.parse(readFileSync(checkpoint, 'utf8')) as { state: { epoch: number } }).state.epoch >= 4) {
            clearInterval(poll);
            first.kill('SIGKILL');
            resolve();
          }
        }, 5);
        first.once('exit', () => {
          clearInterval(poll);
          if (!existsSync(out)) resolve();
          else reject(new Error('the coordinator finished before it could be killed'));
        });
      });
      await new Promise((resolve) => (first.exitCode !== null || first.signalCode !== null ? resolve(undefined) : first.once('exit', resolve)));
      t.is(first.signalCode, 'SIGKILL');
      t.false(existsSync(out));
      const second = coordinator();
      const code = await new Promise((resolve) => second.once('exit', resolve));
      t.is(code, 0);
      const result = JSON.parse(readFileSync(out, 'utf8')) as { resumed: boolean; posterior: unknown; losses: number[] };
      t.true(result.resumed);
      const local = await localFit();
      t.is(JSON.stringify(result.posterior), JSON.stringify(local.posterior.toJSON()));
      t.deepEqual(result.losses, local.history.map((h) => h.loss));
    } finally {
      await Promise.all(workers.map((w) => stopProcess(w.child)));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test.serial('duplicated results are dropped, the first wins: a worker that answers every task twice, the second time wrongly, changes nothing', async (t) => {
  await withServer(async (server) => {
    // A worker of the test's own: computes each task as agentgrad's worker does, then publishes the
    // result twice under different message ids (so JetStream's own de-duplication cannot drop it).
    const nc = await connect({ servers: server.url });
    const js = jetstream(nc);
    const { model, observed, options } = await clusterFitCase(2000);
    const jsm = await jetstreamManager(nc);
    await ensureQueues(jsm, { ackWaitMs: 30_000, maxDeliveries: 5 });
    const consumer = await js.consumers.get(streams.tasks, WORKER_CONSUMER);
    let answered = 0;
    const stop = new AbortController();
    const doubling = (async () => {
      while (!stop.signal.aborted) {
        const message = await consumer.next({ expires: 1000 });
        if (message === null) continue;
        const task = checkTask(decodeMessage(message.data));
        const stored = await jsm.streams.getMessage(streams.runs, { last_by_subj: subjects.run(task.run) });
        const setup = sampleSetupOf(decodeMessage(stored!.data) as FitRun, { threads: 1, backend: 'cpu' });
        const [value] = await sampleStatistics(setup, [task.u!], task.index, task.epoch);
        const result: Result = { ok: true, run: task.run, epoch: task.epoch, index: task.index, task: taskDigest(task), worker: 'doubler', value };
        // The second copy carries another loss and gradient: a coordinator that took it would reach another posterior.
        const forged: Result = { ...result, value: value ? value.map((x) => x + 1) : null };
        await js.publish(subjects.result(task.run, task), encodeMessage(result), { msgID: `${taskDigest(task)}.1` });
        await js.publish(subjects.result(task.run, task), encodeMessage(forged), { msgID: `${taskDigest(task)}.2` });
        message.ack();
        answered++;
      }
    })();
    try {
      const remote = await fit(model, observed, { ...options, epochs: 4, cluster: { url: server.url } });
      const local = await fit(model, observed, { ...options, epochs: 4 });
      t.true(sameFit(remote, local));
      t.is(answered, 40);
      const results = await jsm.streams.info(streams.results);
      t.is(results.state.messages, 80);
    } finally {
      stop.abort();
      await doubling.catch(() => undefined);
      await nc.close();
    }
  });
});

test.serial('the same fit again finds its results in the stream and computes nothing; after a purge of the results it computes them again', async (t) => {
  await withServer(async (server) => {
    const controller = new AbortController();
    const worker = runWorker({ cluster: { url: server.url }, threads: 1, backend: 'cpu', signal: controller.signal, log: () => undefined });
    const { model, observed, options } = await clusterFitCase(2000);
    const cluster = { url: server.url };
    const first = await fit(model, observed, { ...options, epochs: 2, cluster });
    const again = await fit(model, observed, { ...options, epochs: 2, cluster });
    const nc = await connect({ servers: server.url });
    await (await jetstreamManager(nc)).streams.purge(streams.results);
    // Its tasks are now duplicates the server drops (inside the 10-minute window): republished once lost.
    const afterPurge = await fit(model, observed, { ...options, epochs: 2, cluster });
    await nc.close();
    controller.abort();
    const summary = await worker;
    t.true(sameFit(again, first));
    t.true(sameFit(afterPurge, first));
    t.is(summary.completed, 2 * 20);
  });
});

test.serial('malformed messages are rejected and never executed; the worker goes on', async (t) => {
  await withServer(async (server) => {
    const lines: string[] = [];
    const controller = new AbortController();
    const worker = runWorker({ cluster: { url: server.url }, threads: 1, backend: 'cpu', signal: controller.signal, log: (line) => lines.push(line) });
    while (!lines.some((l) => l.includes('taking tasks'))) await new Promise((resolve) => setTimeout(resolve, 20));
    const nc = await connect({ servers: server.url });
    const js = jetstream(nc);
    const run = 'a'.repeat(32);
    await js.publish(subjects.tasks(run), new TextEncoder().encode('{not json'));
    await js.publish(subjects.tasks(run), encodeMessage({ protocol: PROTOCOL, version: agentgradVersion, run, program: null, epoch: 0, index: 0, u: [1, 2] }));
    await js.publish(subjects.tasks(run), new Uint8Array([0xff, 0xfe, 0x00]));
    const { model, observed, options } = await clusterFitCase(2000);
    const remote = await fit(model, observed, { ...options, epochs: 2, cluster: { url: server.url } });
    t.true(sameFit(remote, await fit(model, observed, { ...options, epochs: 2 })));
    controller.abort();
    const summary = await worker;
    await nc.close();
    t.is(summary.rejected, 3);
    t.is(summary.completed, 20);
    const rejections = lines.filter((l) => l.includes('not a valid task'));
    t.is(rejections.length, 3);
    t.regex(rejections[0]!, /not JSON.*it was not executed/);
    t.regex(rejections[1]!, /task\.u must be null or a Float64Array/);
    t.regex(rejections[2]!, /not UTF-8/);
  });
});

test.serial('a task from another agentgrad version or with another model program is refused, and the run fails naming the sample', async (t) => {
  await withServer(async (server) => {
    const lines: string[] = [];
    const controller = new AbortController();
    const worker = runWorker({ cluster: { url: server.url, maxDeliveries: 2 }, threads: 1, backend: 'cpu', signal: controller.signal, log: (line) => lines.push(line) });
    while (!lines.some((l) => l.includes('taking tasks'))) await new Promise((resolve) => setTimeout(resolve, 20));
    const nc = await connect({ servers: server.url });
    const js = jetstream(nc);
    // A real run to refer to: a short fit leaves its description in the runs stream.
    const { model, observed, options } = await clusterFitCase(2000);
    await fit(model, observed, { ...options, epochs: 1, cluster: { url: server.url } });
    const stored = await (await jetstreamManager(nc)).streams.getMessage(streams.runs, { seq: 1 });
    const run = stored!.subject.split('.').at(-1)!;
    const u = Float64Array.of(0.1, -0.2);
    const base = { protocol: PROTOCOL, version: agentgradVersion, run, program: null, epoch: 7, index: 3, u };
    const results = await js.consumers.get(streams.results, { filter_subjects: subjects.results(run), deliver_policy: DeliverPolicy.All });
    await js.publish(subjects.tasks(run), encodeMessage({ ...base, version: '0.0.0-other' }));
    await js.publish(subjects.tasks(run), encodeMessage({ ...base, index: 4, program: 'b'.repeat(64) }));
    const failures: Result[] = [];
    const messages = await results.consume();
    for await (const message of messages) {
      const result = asResult(decodeMessage(message.data));
      if (result && !result.ok) failures.push(result);
      if (failures.length === 2) break;
    }
    controller.abort();
    await worker;
    await nc.close();
    failures.sort((a, b) => a.index - b.index);
    t.like(failures[0], { ok: false, epoch: 7, index: 3, deliveries: 2 });
    t.regex((failures[0] as { error: string }).error, new RegExp(`refused by worker .*the coordinator runs agentgrad 0\\.0\\.0-other, this worker ${agentgradVersion.replace(/\./g, '\\.')}`));
    t.like(failures[1], { ok: false, epoch: 7, index: 4, deliveries: 2 });
    t.regex((failures[1] as { error: string }).error, /model program \(b{64}\) differs from the run's \(a built-in model\)/);
    t.true(lines.some((l) => /^refused sample 3 of epoch 7 of run/.test(l)));
  });
});

test.serial('a task that fails on every delivery fails the fit with an error naming the sample', async (t) => {
  await withServer(async (server) => {
    const controller = new AbortController();
    const lines: string[] = [];
    const worker = runWorker({ cluster: { url: server.url, maxDeliveries: 2 }, threads: 1, backend: 'cpu', signal: controller.signal, log: (line) => lines.push(line) });
    const { model, options } = await clusterFitCase(2000);
    // Observed rows that do not match the simulation: the loss throws on the worker, every time.
    const wrong = Array.from({ length: 7 }, (_, i) => [i]);
    const notices: string[] = [];
    await t.throwsAsync(fit(model, wrong, { ...options, loss: losses.mse(wrong), cluster: { url: server.url, maxDeliveries: 2, onNotice: (m) => notices.push(m) } }), {
      message: /cluster: sample \d of epoch 0 failed on all 2 deliveries; the last: failed on worker .*mse: observed has 7 rows but the simulation has 51 time points/,
    });
    controller.abort();
    await worker;
    t.true(lines.some((l) => /failed \(delivery 1 of 2\)/.test(l)));
    t.true(notices.some((n) => /^worker .*: sample \d of epoch 0 of run \w+ failed on worker .*\(delivery 1 of 2; it goes back to the queue\)/.test(n)), notices.join('\n'));
  });
});

test.serial('no secret in any log line or error: token authentication, a wrong token, a token in the URL', async (t) => {
  const token = 'S3cr3t-t0ken-Zq9';
  const wrong = 'WrOng-t0ken-Xy7';
  await withServer(async (server) => {
    const worker = await startWorker(server.url, [], { AGENTGRAD_NATS_TOKEN: token });
    const outputs: string[] = [];
    try {
      const { model, observed, options } = await clusterFitCase(2000);
      const notices: string[] = [];
      const remote = await fit(model, observed, { ...options, epochs: 2, cluster: { url: server.url, token, onNotice: (m) => notices.push(m) } });
      t.true(sameFit(remote, await fit(model, observed, { ...options, epochs: 2 })));
      const refused = await t.throwsAsync(fit(model, observed, { ...options, epochs: 2, cluster: { url: server.url, token: wrong } }));
      t.regex(refused!.message, /cannot connect to the cluster at nats:\/\/127\.0\.0\.1:\d+: .*(authorization|Authorization)/);
      outputs.push(refused!.message, ...notices);
      // A worker with the wrong token written into the URL exits with an error that leaves it out.
      const inUrl = spawn(process.execPath, [cli, 'worker', '--cluster', `nats://${wrong}@127.0.0.1:${server.port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      inUrl.stdout!.on('data', (c: Buffer) => (text += c.toString()));
      inUrl.stderr!.on('data', (c: Buffer) => (text += c.toString()));
      const code = await new Promise((resolve) => inUrl.once('exit', resolve));
      t.is(code, 1);
      t.regex(text, /cannot connect to the cluster at nats:\/\/127\.0\.0\.1/);
      outputs.push(text);
    } finally {
      await stopProcess(worker.child);
    }
    outputs.push(worker.output());
    t.regex(worker.output(), /taking tasks[\s\S]*20 tasks completed/);
    for (const text of outputs) {
      t.false(text.includes(token), text);
      t.false(text.includes(wrong), text);
    }
  }, { token });
});

test.serial('the permissions of docs/cluster.md: a fit runs through them, a worker may not publish tasks nor a coordinator results', async (t) => {
  const doc = readFileSync(join(repoRoot, 'docs', 'cluster.md'), 'utf8');
  const block = /<!-- server configuration: test\/cluster\.test\.ts runs this block -->\n```text\n([\s\S]*?)```/.exec(doc);
  t.truthy(block, 'the configuration block of docs/cluster.md');
  // The test's own store directory is given on the command line instead.
  const config = block![1]!.replace(/^jetstream \{[^}]*\}\n/m, '');
  const passwords = { COORDINATOR_PASSWORD: 'coordinator-pw-1', WORKER_PASSWORD: 'worker-pw-2' };
  await withServer(async (server) => {
    // Started first, the worker may not create the queue: it waits for the coordinator to.
    const worker = await startWorker(server.url, ['--user', 'worker'], { AGENTGRAD_NATS_PASSWORD: passwords.WORKER_PASSWORD }, 'waiting for a coordinator');
    try {
      const { model, observed, options } = await clusterFitCase(2000);
      const cluster = { url: server.url, user: 'coordinator', password: passwords.COORDINATOR_PASSWORD };
      const remote = await fit(model, observed, { ...options, epochs: 2, cluster });
      t.true(sameFit(remote, await fit(model, observed, { ...options, epochs: 2 })));
      const refusals: string[] = [];
      for (const [user, subject] of [['worker', 'agentgrad.tasks.x'], ['coordinator', 'agentgrad.results.x.0.0']] as const) {
        const nc = await connect({ servers: server.url, user, pass: user === 'worker' ? passwords.WORKER_PASSWORD : passwords.COORDINATOR_PASSWORD });
        const error = await t.throwsAsync(jetstream(nc).publish(subject, new Uint8Array([1])));
        refusals.push(`${user}: ${error!.message}`);
        await nc.close();
      }
      t.regex(refusals[0]!, /worker: .*[Pp]ermission/);
      t.regex(refusals[1]!, /coordinator: .*[Pp]ermission/);
    } finally {
      await stopProcess(worker.child);
    }
    t.regex(worker.output(), /waiting for a coordinator[\s\S]*taking tasks[\s\S]*20 tasks completed/);
  }, { config, env: passwords });
});

test.serial('no worker: after 20 s the coordinator says so; an abort then withdraws the run\'s tasks', async (t) => {
  await withServer(async (server) => {
    const { model, observed, options } = await clusterFitCase(2000);
    const controller = new AbortController();
    const notices: string[] = [];
    const started = Date.now();
    const result = await fit(model, observed, {
      ...options,
      signal: controller.signal,
      cluster: { url: server.url, onNotice: (m) => (notices.push(m), controller.abort()) },
    });
    const seconds = (Date.now() - started) / 1000;
    t.true(result.aborted);
    t.is(result.epochs, 0);
    t.true(seconds >= 20 && seconds < 40, `${seconds} s`);
    t.deepEqual(notices, [`no worker has taken a task for 20 s; 10 wait in the queue: start workers with 'agentgrad worker --cluster ${server.url}'`]);
    const nc = await connect({ servers: server.url });
    t.is((await (await jetstreamManager(nc)).streams.info(streams.tasks)).state.messages, 0);
    await nc.close();
  });
});

test.serial('diagnose on the cluster: its fits are tasks, with the same ranks as in one process', async (t) => {
  await withServer(async (server) => {
    const workers = [await startWorker(server.url), await startWorker(server.url)];
    try {
      const model = models.volatility({ agents: 200, steps: 30 });
      const options = { parameters: ['sigmaEps', 'eta'], simulations: 6, draws: 99, seed: 2, fit: { epochs: 30, backend: 'cpu' as const } };
      const done: number[] = [];
      const remote = await diagnose(model, { ...options, cluster: { url: server.url }, onProgress: (p) => done.push(p.done) });
      const local = await diagnose(model, { ...options, concurrency: 1 });
      const strip = (r: typeof local) => r.fits.map(({ seconds: _seconds, ...rest }) => rest);
      t.deepEqual(strip(remote), strip(local));
      t.deepEqual(remote.sbc, local.sbc);
      t.deepEqual(done, [1, 2, 3, 4, 5, 6]);
    } finally {
      await Promise.all(workers.map((w) => stopProcess(w.child)));
    }
  });
});

test('cluster options: bad values are TypeErrors or RangeErrors naming the option, and never echo a secret', (t) => {
  t.throws(() => checkClusterOptions('nats://x:4222'), { instanceOf: TypeError, message: /^cluster must be an object/ });
  t.throws(() => checkClusterOptions({ url: 'http://x' }), { instanceOf: TypeError, message: /cluster\.url must be a NATS server URL like 'nats:\/\/host:4222'/ });
  t.throws(() => checkClusterOptions({ url: 'nats://x:1', ackwait: 5 }), { message: /cluster\.ackwait is not a cluster option/ });
  t.throws(() => checkClusterOptions({ url: 'nats://x:1', ackWait: 10 }), { instanceOf: RangeError, message: /cluster\.ackWait must be an integer in \[100, 3600000\]/ });
  t.throws(() => checkClusterOptions({ url: 'nats://x:1', maxDeliveries: 0 }), { instanceOf: RangeError, message: /maxDeliveries/ });
  t.throws(() => checkClusterOptions({ url: 'nats://x:1', user: 'u' }), { message: /user and password together/ });
  t.throws(() => checkClusterOptions({ url: 'nats://x:1', token: 't', credsFile: 'f' }), { message: /give one of/ });
  t.throws(() => checkClusterOptions({ url: 'nats://x:1', tls: { certFile: 'c' } }), { message: /certFile and keyFile together/ });
  const secret = 'hunter2-secret';
  const error = t.throws(() => checkClusterOptions({ url: `http://user:${secret}@host` }));
  t.false(error!.message.includes(secret));
  t.is(redact(`connect nats://me:${secret}@h:1 failed for ${secret}`, { url: `nats://me:${secret}@h:1` }), 'connect nats://h:1 failed for ***');
});

test('a custom loss cannot go to the cluster: TypeError before any connection', async (t) => {
  const custom = { name: 'mine', evaluate: () => ({ value: 0, gradient: new Float64Array(6) }) };
  await t.throwsAsync(fit(models.volatility({ agents: 10, steps: 5 }), [1, 2, 3, 4, 5], { loss: custom, cluster: { url: 'nats://127.0.0.1:1' } }), {
    instanceOf: TypeError,
    message: /cluster fits need a loss the workers can build again.*the custom loss 'mine' runs only in this process/,
  });
});

test('messages carry every number bitwise (-0, NaN, subnormals) and malformed tasks are named field by field', (t) => {
  const values = Float64Array.of(-0, NaN, 5e-324, 0.1 + 0.2, -Infinity);
  const back = decodeMessage(encodeMessage({ values })) as { values: Float64Array };
  t.deepEqual(Buffer.from(back.values.buffer), Buffer.from(values.buffer));
  t.throws(() => decodeMessage(new TextEncoder().encode('{"x":{"$typed":"Float64Array","base64":"AAA"}}')), { message: /Float64Array of 2 bytes/ });
  const good = { protocol: 1, version: '1', run: 'c'.repeat(32), program: null, epoch: 0, index: 0, u: Float64Array.of(1) };
  t.notThrows(() => checkTask(good));
  t.throws(() => checkTask({ ...good, run: 'x' }), { message: 'task.run must be a hexadecimal run name' });
  t.throws(() => checkTask({ ...good, u: Float64Array.of(NaN) }), { message: /task\.u must be null or a Float64Array of finite numbers/ });
  t.throws(() => checkTask({ ...good, epoch: -1 }), { message: /task\.u must be given exactly for fit samples/ });
  t.throws(() => checkTask({ ...good, index: 1.5 }), { message: /task\.index must be an integer >= 0/ });
  t.throws(() => checkTask([]), { message: 'a task must be a JSON object' });
});
