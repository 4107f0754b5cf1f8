// The published package: `npm pack` with the prebuilt binary installs into an empty project on a
// machine without compilers and runs simulate() with the same numbers as this checkout.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import test from 'ava';

import { models, simulate } from '../lib/index.js';
import { repoRoot } from './helpers.js';

const platform = `${process.platform}-${process.arch}`;

function hasPrebuild(root: string): boolean {
  const dir = join(root, 'prebuilds', platform);
  return existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.node'));
}

// Under ava's 20-minute inactivity timeout, so that this test, not ava, stops a slow build.
const prebuildTimeoutMs = 18 * 60_000;

// `npm run prebuild` in its own process group, so that a timeout kills node-gyp, make and the
// compilers with it: killing npm alone leaves the build running after the test has failed.
function prebuild(stage: string): Promise<void> {
  // One CUDA architecture is enough to exercise the packaging; the release prebuild has them all.
  const env = { ...process.env, AGENTGRAD_CUDA_ARCHS: process.env['AGENTGRAD_CUDA_ARCHS'] ?? '90' };
  const child = spawn('npm', ['run', 'prebuild'], { cwd: stage, env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), prebuildTimeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`npm run prebuild ${signal ? `was killed (${signal}) after ${prebuildTimeoutMs / 60_000} min` : `exited with ${code}`}:\n${stderr}`));
    });
  });
}

// The addon this checkout built (npm install's source build), under the name prebuildify gives a
// N-API prebuild, so that packing it needs no second build of every kernel.
function stageBuiltAddon(stage: string): boolean {
  const built = join(repoRoot, 'build', 'Release', 'agentgrad.node');
  if (!existsSync(built)) return false;
  mkdirSync(join(stage, 'prebuilds', platform), { recursive: true });
  cpSync(built, join(stage, 'prebuilds', platform, 'node.napi.node'));
  return true;
}

// A copy of the checkout (tracked and unignored files) to pack from, so that building a missing
// prebuild never touches build/ under the other test files' feet. The copy takes the checkout's
// prebuild (CI runs `npm run prebuild` first), else the addon it built; only a checkout with
// neither builds one.
async function stagePackage(work: string): Promise<string> {
  const stage = join(work, 'stage');
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: repoRoot, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f !== '' && existsSync(join(repoRoot, f)));
  for (const file of files) {
    mkdirSync(dirname(join(stage, file)), { recursive: true });
    cpSync(join(repoRoot, file), join(stage, file));
  }
  symlinkSync(join(repoRoot, 'node_modules'), join(stage, 'node_modules'));
  if (hasPrebuild(repoRoot)) cpSync(join(repoRoot, 'prebuilds'), join(stage, 'prebuilds'), { recursive: true });
  else if (!stageBuiltAddon(stage)) await prebuild(stage);
  return stage;
}

// Compilers that fail loudly, so that any attempt to build from source breaks the install.
function fakeToolchain(dir: string): string {
  const bin = join(dir, 'no-compilers');
  execFileSync('mkdir', ['-p', bin]);
  for (const tool of ['cc', 'gcc', 'c++', 'g++', 'clang', 'clang++', 'make', 'nvcc']) {
    const path = join(bin, tool);
    writeFileSync(path, `#!/bin/sh\necho "${tool} must not run while installing a prebuilt agentgrad" >&2\nexit 1\n`);
    chmodSync(path, 0o755);
  }
  return bin;
}

test('npm pack → install into an empty project without compilers → simulate', async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'agentgrad-pack-'));
  try {
    const stage = await stagePackage(work);
    t.true(hasPrebuild(stage));
    const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: stage, encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop()!;
    const app = join(work, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    const env = { ...process.env, PATH: `${fakeToolchain(work)}:${process.env['PATH']}`, CC: 'false', CXX: 'false' };
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, tarball)], { cwd: app, env, stdio: 'pipe' });

    t.false(existsSync(join(app, 'node_modules', 'agentgrad', 'build')), 'nothing was built from source');
    const script = `import { models, simulate } from 'agentgrad';
      const sim = await simulate(models.volatility({ agents: 50, steps: 10 }), { muLN: 1, sigmaLN: 0.5, sigmaEps: 1, eta: 0.7 },
        { replicates: 3, seed: 11, tangents: ['eta'] });
      console.log(JSON.stringify({ values: Array.from(sim.values), tangents: Array.from(sim.tangents) }));`;
    const output = execFileSync('node', ['--input-type=module', '-e', script], { cwd: app, env, encoding: 'utf8' });
    const installed = JSON.parse(output) as { values: number[]; tangents: number[] };

    const local = await simulate(models.volatility({ agents: 50, steps: 10 }), { muLN: 1, sigmaLN: 0.5, sigmaEps: 1, eta: 0.7 },
      { replicates: 3, seed: 11, tangents: ['eta'] });
    t.deepEqual(installed.values, Array.from(local.values));
    t.deepEqual(installed.tangents, Array.from(local.tangents!));

    const info = execFileSync(join(app, 'node_modules', '.bin', 'agentgrad'), ['info'], { cwd: app, env, encoding: 'utf8' });
    t.regex(info, /agentgrad backends: cpu/);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
