// kill -9 during `agentgrad fit`: the checkpoint on disk stays valid, and resuming reproduces the
// uninterrupted run exactly, losing at most the epochs since the last checkpoint.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import test from 'ava';

import { repoRoot } from './helpers.js';

const cli = join(repoRoot, 'dist', 'lib', 'cli', 'main.js');
const args = ['fit', '--agents', '300', '--steps', '60', '--epochs', '400', '--checkpoint-every', '5', '--seed', '4'];

function checkpointEpoch(path: string): number {
  try {
    return JSON.parse(readFileSync(path, 'utf8')).state.epoch as number;
  } catch {
    return -1;
  }
}

test('a fit killed with SIGKILL resumes from its last checkpoint to the same posterior', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'agentgrad-crash-'));
  try {
    const straight = spawnSync(process.execPath, [cli, ...args, '--out', join(dir, 'straight')], { encoding: 'utf8' });
    t.is(straight.status, 0, straight.stderr);

    const out = join(dir, 'killed');
    const checkpoint = join(out, 'checkpoint.json');
    const child = spawn(process.execPath, [cli, ...args, '--out', out], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    while (checkpointEpoch(checkpoint) < 100) await sleep(5);
    child.kill('SIGKILL');
    await exited;
    const epochAtKill = checkpointEpoch(checkpoint);
    t.true(epochAtKill >= 100 && epochAtKill < 400, `checkpoint epoch ${epochAtKill} is valid after the kill`);
    t.false(existsSync(join(out, 'posterior.json')), 'the killed run did not finish');

    const resumed = spawnSync(process.execPath, [cli, ...args, '--out', out, '--resume'], { encoding: 'utf8' });
    t.is(resumed.status, 0, resumed.stderr);
    const a = JSON.parse(readFileSync(join(dir, 'straight', 'posterior.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(out, 'posterior.json'), 'utf8'));
    t.deepEqual(b.posterior.unconstrained, a.posterior.unconstrained);
    const history = readFileSync(join(out, 'history.csv'), 'utf8').trim().split('\n');
    t.is(history.length, 401);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
