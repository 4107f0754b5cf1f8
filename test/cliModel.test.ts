// `agentgrad fit|simulate|info --model FILE`: a module whose default export (or the export named
// after '#') is a defineModel factory, run through the CLI as a child process, as cli.test.ts
// does; and the errors for a module that exports something else.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import test from 'ava';

import { repoRoot } from './helpers.js';

const cli = join(repoRoot, 'dist', 'lib', 'cli', 'main.js');

/** Runs the CLI from the repository root, so that ./dist/... paths resolve as in the docs. */
function run(args: string[], cwd = repoRoot) {
  return spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 5 * 60_000 });
}

function withTempDir(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'agentgrad-cli-model-'));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('`agentgrad fit --model ./dist/examples/kirmanAnts.js --epochs 5` calibrates the module\'s model on synthetic data', (t) => {
  withTempDir((dir) => {
    const out = join(dir, 'fit');
    const result = run(['fit', '--model', './dist/examples/kirmanAnts.js', '--epochs', '5', '--steps', '50', '--out', out]);
    t.is(result.status, 0, result.stderr);
    t.regex(result.stdout, /^done: 5 epochs, wrote .*posterior\.json, history\.csv, report\.html/);
    t.regex(result.stdout, /epsilon +mean +[\d.]+ +90% \[[\d.]+, [\d.]+\] +truth 0\.01/);
    t.regex(result.stderr, /fit: epoch 5\/5, loss/);
    const posterior = JSON.parse(readFileSync(join(out, 'posterior.json'), 'utf8'));
    t.is(posterior.model, 'kirmanAnts');
    t.deepEqual(posterior.settings, { agents: 100, steps: 50 });
    t.deepEqual(posterior.truth, { epsilon: 0.01, h: 0.3 }, 'synthetic data at the reference values');
    t.is(posterior.epochs, 5);
    t.deepEqual(Object.keys(posterior.posterior.mean), ['epsilon', 'h']);
    t.true(Object.values(posterior.posterior.mean as Record<string, number>).every((v) => v > 0 && v < 1));
    t.is(readFileSync(join(out, 'history.csv'), 'utf8').trim().split('\n').length, 6);
    t.true(readFileSync(join(out, 'report.html'), 'utf8').startsWith('<!DOCTYPE html>'));
  });
});

test('`agentgrad simulate --model FILE` of the sir twin writes the CSV of `--model sir`, byte for byte', (t) => {
  withTempDir((dir) => {
    const common = ['--replicates', '3', '--agents', '500', '--steps', '10', '--tangents', 'all', '--mode', 'straight-through', '--dtype', 'float64'];
    const twin = run(['simulate', '--model', './dist/examples/models/sir.js', ...common, '--out', join(dir, 'twin.csv')]);
    t.is(twin.status, 0, twin.stderr);
    t.regex(twin.stdout, /wrote .*twin\.csv: sir, 3 replicates × 11 times × 2 output\(s\) with tangents for beta, gamma, I0 on cpu/);
    const builtIn = run(['simulate', '--model', 'sir', ...common, '--out', join(dir, 'builtin.csv')]);
    t.is(builtIn.status, 0, builtIn.stderr);
    const csv = readFileSync(join(dir, 'twin.csv'), 'utf8');
    t.is(csv.split('\n')[0], 'replicate,t,newInfections,newRecoveries,dnewInfections/dbeta,dnewInfections/dgamma,dnewInfections/dI0,dnewRecoveries/dbeta,dnewRecoveries/dgamma,dnewRecoveries/dI0');
    t.is(csv.trim().split('\n').length, 1 + 3 * 11);
    t.is(csv, readFileSync(join(dir, 'builtin.csv'), 'utf8'));
  });
});

test('`agentgrad simulate --model FILE#name` takes a named export; --param sets its parameters', (t) => {
  withTempDir((dir) => {
    const result = run(['simulate', '--model', './dist/examples/kirmanAnts.js#kirmanAnts', '--replicates', '2', '--steps', '4', '--param', 'epsilon=1',
      '--mode', 'exact', '--out', join(dir, 'ants.json')]);
    t.is(result.status, 0, result.stderr);
    t.regex(result.stdout, /kirmanAnts, 2 replicates × 5 times × 1 output\(s\)/);
    const written = readFileSync(join(dir, 'ants.json'), 'utf8');
    t.regex(written, /"model": ?"kirmanAnts"/);
    t.regex(written, /"epsilon": ?1\b/);
    t.true(existsSync(join(dir, 'ants.json')));
  });
});

test('`agentgrad info --model FILE` describes the module\'s model', (t) => {
  const ants = run(['info', '--model', './dist/examples/kirmanAnts.js']);
  t.is(ants.status, 0, ants.stderr);
  t.is(ants.stdout, 'model kirmanAnts (defineModel, 50 instructions):\n' +
    '  kirmanAnts: parameters epsilon (unit, reference 0.01), h (unit, reference 0.3); settings agents=100, steps=500; outputs share\n');
  const volatility = run(['info', '--model', './dist/examples/models/volatility.js']);
  t.is(volatility.status, 0, volatility.stderr);
  t.regex(volatility.stdout, /volatility: parameters muLN \(positive, reference 1\), sigmaLN \(positive, reference 0\.5\), sigmaEps \(positive, reference 1\), eta \(positive, reference 0\.7\); settings agents=1000, steps=100, resetProbability=0\.1; outputs r/);
});

test('a module whose default export is not a defineModel factory is refused with status 2, saying what it exports', (t) => {
  withTempDir((dir) => {
    const library = pathToFileURL(join(repoRoot, 'dist', 'lib', 'index.js')).href;
    const ants = pathToFileURL(join(repoRoot, 'dist', 'examples', 'kirmanAnts.js')).href;
    writeFileSync(join(dir, 'model.mjs'), `import { kirmanAnts } from '${ants}';\nexport default kirmanAnts();\n`);
    writeFileSync(join(dir, 'number.mjs'), 'export default 42;\n');
    writeFileSync(join(dir, 'named.mjs'), `export { kirmanAnts as ants } from '${ants}';\n`);
    writeFileSync(join(dir, 'mistake.mjs'), `import { defineModel } from '${library}';\nexport default defineModel({\n  name: 'noisy',\n` +
      `  parameters: { p: { constraint: 'unit', reference: 0.5 } },\n  outputs: ['x'],\n  init(m) { m.output({ x: Math.random() }); },\n  step() {},\n});\n`);
    const cases: [string, string[], RegExp][] = [
      ['a Model', ['info', '--model', './model.mjs'], /--model: the default export of '\.\/model\.mjs' is not a defineModel factory \(it is a Model, kirmanAnts, made by a factory: export the factory itself/],
      ['a number', ['simulate', '--model', './number.mjs'], /--model: the default export of '\.\/number\.mjs' is not a defineModel factory \(it is 42\)/],
      ['no default export', ['fit', '--model', './named.mjs', '--epochs', '1'], /the default export of '\.\/named\.mjs' is not a defineModel factory \(it has no default export\); its factories are \.\/named\.mjs#ants/],
      ['a missing file', ['info', '--model', './missing.js'], /--model: no such file '\.\/missing\.js'/],
      ['a mistake in the model', ['info', '--model', './mistake.mjs'], /noisy\.init \(.*mistake\.mjs:6:\d+\): Math\.random is not supported/],
    ];
    for (const [label, args, message] of cases) {
      const result = run(args, dir);
      t.is(result.status, 2, `${label}: ${result.stderr}`);
      t.regex(result.stderr, message, label);
      t.is(result.stdout, '', label);
    }
  });
});
