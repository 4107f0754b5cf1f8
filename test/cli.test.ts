import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import test from 'ava';

import { repoRoot } from './helpers.js';

const cli = join(repoRoot, 'dist', 'lib', 'cli', 'main.js');

function run(args: string[], cwd: string) {
  return spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 10 * 60_000 });
}

test('`agentgrad fit` with no arguments exits 0 and writes posterior.json, history.csv and report.html', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'agentgrad-cli-'));
  try {
    const result = run(['fit'], dir);
    t.is(result.status, 0, result.stderr);
    t.regex(result.stdout, /done: 300 epochs/);
    t.regex(result.stderr, /fit: epoch 300\/300, loss/);
    const out = join(dir, 'agentgrad-fit');
    const posterior = JSON.parse(readFileSync(join(out, 'posterior.json'), 'utf8'));
    t.is(posterior.model, 'volatility');
    t.deepEqual(Object.keys(posterior.posterior.mean), ['muLN', 'sigmaLN', 'sigmaEps', 'eta']);
    t.true(Object.values(posterior.posterior.mean as Record<string, number>).every((v) => Number.isFinite(v) && v > 0));
    const history = readFileSync(join(out, 'history.csv'), 'utf8').trim().split('\n');
    t.is(history.length, 301);
    t.is(history[0], 'epoch,loss,expectedLoss,kl,gradientNorm,droppedSamples,seconds');
    const report = readFileSync(join(out, 'report.html'), 'utf8');
    t.true(report.startsWith('<!DOCTYPE html>'));
    t.true((report.match(/<svg/g) ?? []).length >= 6, 'loss curve, four marginals and the predictive band');
    t.regex(report, /sigmaEps/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('`agentgrad simulate` writes one CSV row per replicate and time, and `info` lists the models', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'agentgrad-cli-'));
  try {
    const result = run(['simulate', '--model', 'randomWalk', '--replicates', '3', '--steps', '4', '--tangents', 'all', '--mode', 'smoothed', '--out', 'walk.csv'], dir);
    t.is(result.status, 0, result.stderr);
    const rows = readFileSync(join(dir, 'walk.csv'), 'utf8').trim().split('\n');
    t.is(rows[0], 'replicate,t,x,dx/dp');
    t.is(rows.length, 1 + 3 * 5);
    t.is(rows[1], '0,0,0,0');
    const info = run(['info'], dir);
    t.is(info.status, 0);
    t.regex(info.stdout, /volatility: parameters muLN \(positive, reference 1\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('`agentgrad bench` lists every model with and without tangents; brockHommes keeps its 4 trader types', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'agentgrad-cli-'));
  try {
    const result = run(['bench', '--replicates', '2', '--agents', '50', '--steps', '5', '--backend', 'cpu'], dir);
    t.is(result.status, 0, result.stderr);
    const rows = result.stdout.trim().split('\n').slice(2).map((line) => line.split('|').map((cell) => cell.trim()));
    const info = run(['info'], dir);
    const modelCount = (info.stdout.match(/^ +\w+: parameters/gm) ?? []).length;
    t.true(modelCount >= 9, info.stdout);
    t.is(rows.length, 2 * modelCount);
    for (const [, name, agents, , rate, , backend] of rows) {
      t.is(Number(agents), name === 'brockHommes' ? 4 : 50, `${name}`);
      t.true(Number(rate) > 0, `${name}: ${rate}`);
      t.is(backend, 'cpu');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad command lines exit with status 2 and say what is wrong', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'agentgrad-cli-'));
  try {
    const unknown = run(['frobnicate'], dir);
    t.is(unknown.status, 2);
    t.regex(unknown.stderr, /unknown command 'frobnicate'/);
    const badParam = run(['simulate', '--param', 'eta=-1'], dir);
    t.is(badParam.status, 2);
    t.regex(badParam.stderr, /theta\.eta must be a finite number > 0/);
    const badEpochs = run(['fit', '--epochs', 'many'], dir);
    t.is(badEpochs.status, 2);
    t.regex(badEpochs.stderr, /--epochs must be a number/);
    const badOut = run(['simulate', '--out', 'x.parquet'], dir);
    t.is(badOut.status, 2);
    t.regex(badOut.stderr, /--out must end in \.csv or \.json/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('`agentgrad diagnose` writes its report and record, and a second run resumes from the record', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'agentgrad-cli-'));
  try {
    const args = ['diagnose', '--simulations', '6', '--epochs', '20', '--draws', '99', '--out', 'check'];
    const first = run(args, dir);
    t.is(first.status, 0, first.stderr);
    t.regex(first.stdout, /done: 6 fits in [\d.]+ s, wrote check\/report.html, diagnose.json, fits.csv/);
    t.regex(first.stdout, /sigmaEps\s+uniformity p/);
    t.regex(first.stderr, /diagnose: fit 6\/6/);
    const out = join(dir, 'check');
    const result = JSON.parse(readFileSync(join(out, 'diagnose.json'), 'utf8'));
    t.deepEqual(Object.keys(result.sbc), ['sigmaEps', 'eta']);
    t.is(result.sbc.eta.ranks.length, 6);
    t.true(result.sbc.eta.ranks.every((r: number) => Number.isInteger(r) && r >= 0 && r <= 99));
    t.is(readFileSync(join(out, 'fits.csv'), 'utf8').trim().split('\n').length, 7);
    const report = readFileSync(join(out, 'report.html'), 'utf8');
    t.is((report.match(/<svg/g) ?? []).length, 3, 'two rank histograms and the coverage curve');
    const record = readFileSync(join(out, 'record.jsonl'), 'utf8');
    t.is(record.trim().split('\n').length, 7);

    const again = run(args, dir);
    t.is(again.status, 0, again.stderr);
    t.is(readFileSync(join(out, 'record.jsonl'), 'utf8'), record, 'nothing refitted');
    t.deepEqual(JSON.parse(readFileSync(join(out, 'diagnose.json'), 'utf8')).sbc, result.sbc);
    const other = run([...args.slice(0, -2), '--seed', '2', '--out', 'check'], dir);
    t.is(other.status, 1);
    t.regex(other.stderr, /belongs to a diagnose run with other settings/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
