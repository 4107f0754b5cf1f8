import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import test from 'ava';

import { audit, fit, losses, models, simulate, type AuditProgress, type AuditResult, type AuditRow } from '../lib/index.js';
import { finalValue, repoRoot } from './helpers.js';


const T = 50;
const walk = models.randomWalk({ agents: 100, steps: T });

function row(result: AuditResult, label: string, parameter: string): AuditRow {
  const found = result.rows.find((r) => r.label === label && r.parameter === parameter);
  if (!found) throw new Error(`no row ${label} / ${parameter}; rows: ${[...new Set(result.rows.map((r) => r.label))].join(', ')}`);
  return found;
}

// The random walk's dE[x(T)]/dp = 2T = 100 exactly. docs/estimators.md records straight-through at
// τ = 1 (p = 0.6) at 68.313 ± 0.007 over 4000 float64 replicates: a relative bias of −0.3169.
const recordedRelativeBias = 68.313 / 100 - 1;

let walkAudit: Promise<AuditResult> | undefined;
// 1024 replicates make each setting's run long enough (milliseconds) that a scheduling stall on a
// busy machine cannot turn the cost ranking around.
const auditWalk = () => (walkAudit ??= audit(walk, { p: 0.6 }, { loss: finalValue, seed: 1, replicates: 1024, reference: { replicates: 4096 } }));

test('random walk: the audit finds the straight-through bias, about −32% at τ = 1 near p = ½, and does not recommend it', async (t) => {
  const result = await auditWalk();
  t.deepEqual(result.structure, { discrete: true, bernoulli: true, thresholds: false });
  t.deepEqual(result.skipped, []);
  // Relaxed and straight-through at five τ, smoothed, score and finite differences.
  t.is(result.rows.length, 13);
  const reference = result.reference;
  t.is(reference.label, 'finite-difference');
  t.is(reference.replicates, 4096);
  t.true(Math.abs(reference.mean['p']! - 2 * T) < 4 * reference.stderr['p']!, `reference ${reference.mean['p']} ± ${reference.stderr['p']}`);

  const st = row(result, 'pathwise straight-through tau=1', 'p');
  t.true(st.significant && st.z < -20, `z ${st.z}`);
  // The relative bias against the measured reference, within 4 of its standard errors of the record.
  const relativeStderr = Math.hypot(st.biasStderr / reference.mean['p']!, (st.relativeBias! * reference.stderr['p']!) / reference.mean['p']!);
  t.true(Math.abs(st.relativeBias! - recordedRelativeBias) < 4 * relativeStderr, `relative bias ${st.relativeBias} ± ${relativeStderr} vs ${recordedRelativeBias}`);
  t.true(relativeStderr < 0.01);
  // And its mean against the analytic 2T, within 4 of its own (much smaller) standard errors.
  t.true(Math.abs(st.mean / (2 * T) - 1 - recordedRelativeBias) < 4 * st.stderr / (2 * T) + 1e-3, `mean ${st.mean} ± ${st.stderr}`);
  t.true(row(result, 'pathwise relaxed tau=1', 'p').significant);
  t.true(row(result, 'pathwise straight-through tau=0.5', 'p').significant);

  // Unbiased settings: not flagged, and within 4 standard errors of the analytic gradient.
  for (const label of ['pathwise smoothed', 'score', 'finite-difference', 'pathwise straight-through tau=0.05', 'pathwise relaxed tau=0.05']) {
    const r = row(result, label, 'p');
    t.false(r.significant, `${label}: z ${r.z}`);
    t.true(Math.abs(r.mean - 2 * T) < 4 * r.stderr, `${label}: ${r.mean} ± ${r.stderr}`);
  }
  // The variances are those of docs/estimators.md: smoothed the smallest, score by far the largest.
  const sd = (label: string) => Math.sqrt(row(result, label, 'p').variance);
  t.true(sd('pathwise smoothed') < 0.4 && sd('pathwise smoothed') > 0.2, `smoothed sd ${sd('pathwise smoothed')}`);
  t.true(sd('score') > 50, `score sd ${sd('score')}`);

  t.not(result.recommendation?.label, 'pathwise straight-through tau=1');
  t.is(result.recommendation?.label, 'pathwise smoothed');
  t.is(result.recommendation?.perParameter['p'], 'pathwise smoothed');
  t.true(st.msePerSecond > 1000 * row(result, 'pathwise smoothed', 'p').msePerSecond);
  // MSE per second of an unflagged row is its variance × seconds per kept replicate, no bias term.
  const smoothed = row(result, 'pathwise smoothed', 'p');
  t.is(smoothed.msePerSecond, smoothed.variance * smoothed.costPerEffectiveSample);
  t.true(Math.abs(st.msePerSecond - (st.bias ** 2 - st.biasStderr ** 2 + st.variance * st.costPerEffectiveSample)) < 1e-9 * st.msePerSecond);
});

test('random walk, straight-through only: the bias outweighs the lowest variance, so a small τ is recommended', async (t) => {
  const result = await audit(walk, { p: 0.6 }, { loss: finalValue, seed: 1, replicates: 256, estimators: ['pathwise'], modes: ['straight-through'], reference: { replicates: 4096 } });
  t.deepEqual([...new Set(result.rows.map((r) => r.label))], [0.05, 0.1, 0.25, 0.5, 1].map((tau) => `pathwise straight-through tau=${tau}`));
  const st1 = row(result, 'pathwise straight-through tau=1', 'p');
  // τ = 1 has by far the smallest variance: ranked on variance and cost alone it would win.
  for (const r of result.rows.filter((r) => r !== st1)) t.true(st1.variance < r.variance / 3, `${r.label}: variance ${r.variance} vs ${st1.variance}`);
  t.true(st1.significant);
  t.true(['pathwise straight-through tau=0.05', 'pathwise straight-through tau=0.1'].includes(result.recommendation!.label), result.recommendation!.label);
  t.false(row(result, result.recommendation!.label, 'p').significant);
});

test('the rows hold the numbers gradient() gives with the same seed and replicates', async (t) => {
  const result = await auditWalk();
  const { gradient } = await import('../lib/index.js');
  const direct = await gradient(walk, { p: 0.6 }, { loss: finalValue, seed: 1, replicates: 1024, discrete: { mode: 'straight-through', tau: 1 } });
  const st = row(result, 'pathwise straight-through tau=1', 'p');
  t.is(st.mean, direct.grad['p']!);
  t.is(st.stderr, direct.stderr['p']!);
  t.is(st.replicates, 1024);
  t.true(st.seconds > 0 && st.secondsPerReplicate === st.seconds / 1024);
});

test('the same seed gives the same numbers; another seed other numbers', async (t) => {
  const options = { loss: finalValue, replicates: 32, taus: [0.5], seed: 7 };
  const strip = (result: AuditResult) => ({
    reference: { ...result.reference, seconds: 0 },
    rows: result.rows.map((r) => ({ ...r, seconds: 0, secondsPerReplicate: 0, costPerEffectiveSample: 0, msePerSecond: 0 })),
    skipped: result.skipped,
    structure: result.structure,
  });
  const small = models.randomWalk({ agents: 20, steps: 10 });
  const [a, b, c] = [await audit(small, { p: 0.4 }, options), await audit(small, { p: 0.4 }, options), await audit(small, { p: 0.4 }, { ...options, seed: 8 })];
  t.deepEqual(strip(a), strip(b));
  t.notDeepEqual(strip(a).rows.map((r) => r.mean), strip(c).rows.map((r) => r.mean));
  t.not(a.reference.seed, a.seed, 'the reference does not reuse the rows\' replicates');
});

test('volatility: τ-free straight-through runs once, score is skipped, relaxed is biased and finite differences are not', async (t) => {
  const model = models.volatility({ agents: 200, steps: 30 });
  const data = await simulate(model, model.reference, { seed: 12345, discrete: { mode: 'exact' } });
  const loss = losses.mmd(Array.from(data.values.subarray(1)));
  const theta = { muLN: 1, sigmaLN: 1, sigmaEps: 1, eta: 1 };
  const result = await audit(model, theta, { loss, seed: 2 });
  // Thresholds depend on every parameter; the reset draws' probability on none.
  t.deepEqual(result.structure, { discrete: true, bernoulli: false, thresholds: true });
  const labels = [...new Set(result.rows.map((r) => r.label))];
  t.deepEqual(labels, [
    'pathwise relaxed tau=0.05', 'pathwise relaxed tau=0.1', 'pathwise relaxed tau=0.25', 'pathwise relaxed tau=0.5', 'pathwise relaxed tau=1',
    'pathwise straight-through', 'finite-difference',
  ]);
  t.deepEqual(result.skipped.map((s) => s.label), [
    'pathwise straight-through tau=0.1', 'pathwise straight-through tau=0.25', 'pathwise straight-through tau=0.5', 'pathwise straight-through tau=1',
    'pathwise smoothed', 'score',
  ]);
  t.regex(result.skipped.find((s) => s.label === 'score')!.reason, /no Bernoulli probability depends on the parameters/);
  t.deepEqual(result.skipped.map((s) => s.sameAs), [...Array(5).fill('pathwise straight-through'), undefined]);
  // The relaxed primal is another model: biased at every τ for some parameter.
  for (const label of labels.filter((l) => l.startsWith('pathwise relaxed'))) {
    t.true(result.rows.some((r) => r.label === label && r.significant), `${label} flagged`);
  }
  for (const r of result.rows.filter((r) => r.label === 'finite-difference')) t.false(r.significant, `finite-difference ${r.parameter}: z ${r.z}`);
  t.false(result.recommendation!.label.startsWith('pathwise relaxed'));
  t.deepEqual(Object.keys(result.recommendation!.perParameter), ['muLN', 'sigmaLN', 'sigmaEps', 'eta']);
  await t.throwsAsync(audit(model, theta, { loss, replicates: 8, reference: { estimator: 'score' } }), { instanceOf: RangeError, message: /reference\.estimator 'score' would be biased/ });
});

test('gaussianShift (continuous noise only): pathwise once, exact, and finite differences; progress reports every step', async (t) => {
  const events: AuditProgress[] = [];
  const result = await audit(models.gaussianShift(), { theta: 2 }, { loss: finalValue, seed: 3, replicates: 2000, dtype: 'float64', onProgress: (p) => events.push(p) });
  t.deepEqual(result.structure, { discrete: false, bernoulli: false, thresholds: false });
  t.deepEqual([...new Set(result.rows.map((r) => r.label))], ['pathwise exact', 'finite-difference']);
  t.is(result.skipped.length, 12);
  for (const r of result.rows) {
    t.false(r.significant);
    t.true(Math.abs(r.mean - 28) < 4 * r.stderr, `${r.label}: ${r.mean} ± ${r.stderr}`);
  }
  t.deepEqual(events.map((e) => e.phase), ['probe', 'reference', 'setting', 'setting']);
  t.deepEqual(events.map((e) => e.done), [1, 2, 3, 4]);
  t.true(events.every((e) => e.total === 4 && e.seconds >= 0));
});

test('explicit settings run as given, without a probe', async (t) => {
  const result = await audit(walk, { p: 0.6 }, {
    loss: finalValue,
    replicates: 64,
    settings: [{ estimator: 'pathwise', mode: 'straight-through' }, { estimator: 'finite-difference', mode: 'smoothed' }],
  });
  t.is(result.structure, null);
  t.deepEqual(result.rows.map((r) => r.label), ['pathwise straight-through tau=0.1', 'finite-difference']);
  t.deepEqual(result.rows[0]!.setting, { estimator: 'pathwise', mode: 'straight-through', tau: 0.1 });
});

test('audit validates its options, naming each and what it may be', async (t) => {
  const p = { p: 0.5 };
  const bad: Array<[unknown, unknown, RegExp]> = [
    [{}, TypeError, /^loss must be a loss/],
    [{ loss: finalValue, replicates: 1 }, RangeError, /^replicates must be an integer in \[2, 10000000\], got 1/],
    [{ loss: finalValue, replicates: '8' }, TypeError, /^replicates must be an integer/],
    [{ loss: finalValue, taus: [] }, TypeError, /^taus must be a non-empty array/],
    [{ loss: finalValue, taus: [0.1, 0] }, RangeError, /^taus must be .* finite numbers > 0, got 0/],
    [{ loss: finalValue, taus: [0.1, 0.1] }, RangeError, /^taus must not hold a temperature twice/],
    [{ loss: finalValue, estimators: ['reinforce'] }, RangeError, /^estimators must be a non-empty array of 'pathwise', 'score', 'finite-difference', got 'reinforce'/],
    [{ loss: finalValue, modes: ['exact'] }, RangeError, /^modes must be a non-empty array of 'relaxed', 'straight-through', 'smoothed'/],
    [{ loss: finalValue, parameters: ['q'] }, RangeError, /^parameters must be .*\(p\), got 'q'/],
    [{ loss: finalValue, settings: [{ estimator: 'score' }], taus: [1] }, TypeError, /^settings lists the settings itself/],
    [{ loss: finalValue, settings: [{ estimator: 'pathwise', mode: 'gumbel' }] }, RangeError, /^settings\[0\]\.mode must be one of/],
    [{ loss: finalValue, settings: [{ estimator: 'pathwise', tau: -1 }] }, RangeError, /^settings\[0\]\.tau must be a finite number > 0/],
    [{ loss: finalValue, settings: [{ estimator: 'score' }, { estimator: 'score', tau: 1 }] }, RangeError, /^settings must not list the same setting twice \('score'\)/],
    [{ loss: finalValue, reference: { estimator: 'pathwise' } }, RangeError, /^reference\.estimator must be 'finite-difference' or 'score'/],
    [{ loss: finalValue, reference: { replicates: 1.5 } }, RangeError, /^reference\.replicates must be an integer/],
    [{ loss: finalValue, significance: 0 }, RangeError, /^significance must be a finite number > 0/],
    [{ loss: finalValue, step: -1 }, RangeError, /^step must be a finite number > 0/],
    [{ loss: finalValue, seed: -1 }, RangeError, /^seed must be an integer in \[0, 2\^53 - 1\]/],
    [{ loss: finalValue, dtype: 'float16' }, RangeError, /^dtype must be 'float32' or 'float64'/],
    [{ loss: finalValue, threads: -1 }, RangeError, /^threads must be an integer >= 0/],
    [{ loss: finalValue, signal: {} }, TypeError, /^signal must be an AbortSignal/],
    [{ loss: finalValue, onProgress: 1 }, TypeError, /^onProgress must be a function/],
  ];
  for (const [options, type, message] of bad) {
    await t.throwsAsync(audit(walk, p, options as never), { instanceOf: type as never, message }, JSON.stringify(options));
  }
  await t.throwsAsync(audit({} as never, p, { loss: finalValue }), { instanceOf: TypeError, message: /^model must be/ });
  await t.throwsAsync(audit(walk, { q: 1 } as never, { loss: finalValue }), { instanceOf: TypeError, message: /theta\.q is not a parameter/ });
  const controller = new AbortController();
  controller.abort();
  await t.throwsAsync(audit(walk, p, { loss: finalValue, signal: controller.signal }), { name: 'AbortError' });
});

const cli = join(repoRoot, 'dist', 'lib', 'cli', 'main.js');

test('`agentgrad audit` prints the table and writes audit.json, audit.csv and audit.html', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'agentgrad-audit-'));
  try {
    const args = ['audit', '--model', 'randomWalk', '--agents', '50', '--steps', '20', '--replicates', '64', '--loss', 'mse', '--out', 'out'];
    const result = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    t.is(result.status, 0, result.stderr);
    t.regex(result.stdout, /audit of randomWalk \(agents 50, steps 20\) at p = 0\.5; loss mse/);
    t.regex(result.stdout, /pathwise straight-through tau=1 +p /);
    t.regex(result.stdout, /\* recommended: /);
    t.regex(result.stderr, /audit: 15\/15, finite-difference/);
    const json = JSON.parse(readFileSync(join(dir, 'out', 'audit.json'), 'utf8')) as AuditResult & { settings: Record<string, number> };
    t.is(json.model, 'randomWalk');
    t.deepEqual(json.settings, { agents: 50, steps: 20 });
    t.is(json.rows.length, 13);
    t.is(json.reference.replicates, 256);
    const csv = readFileSync(join(dir, 'out', 'audit.csv'), 'utf8').trim().split('\n');
    t.is(csv.length, 14);
    t.true(csv[0]!.startsWith('setting,estimator,mode,tau,parameter,mean,stderr,variance,replicates,dropped,reference,referenceStderr,bias,biasStderr,relativeBias,z,significant'));
    t.is(csv.filter((line) => line.endsWith(',true')).length, 1, 'one recommended setting');
    const html = readFileSync(join(dir, 'out', 'audit.html'), 'utf8');
    t.true(html.startsWith('<!DOCTYPE html>'));
    t.is((html.match(/<svg/g) ?? []).length, 3, 'bias of p, cost, MSE per second');
    t.regex(html, /pathwise smoothed/);

    const usage = spawnSync(process.execPath, [cli, 'audit', '--model', 'randomWalk', '--replicates', '1', '--out', 'bad'], { cwd: dir, encoding: 'utf8' });
    t.is(usage.status, 2);
    t.regex(usage.stderr, /replicates must be an integer in \[2, 10000000\], got 1/);
    t.false(existsSync(join(dir, 'bad', 'audit.json')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('docs/cli.md documents every flag of `agentgrad audit`', async (t) => {
  const { auditUsage } = await import('../lib/cli/audit-command.js');
  const documented = readFileSync(join(repoRoot, 'docs', 'cli.md'), 'utf8');
  const flags = [...new Set(auditUsage.match(/--[a-z][a-z-]*/g) ?? [])];
  t.true(flags.length >= 18, flags.join(' '));
  t.deepEqual(flags.filter((flag) => !new RegExp(`\`${flag}[\` ]`).test(documented)), []);
});

// Preflight warnings are process warnings; they are caught here by their message.
function warningsDuring(): { stop(): Promise<Error[]> } {
  const seen: Error[] = [];
  const listener = (warning: Error) => seen.push(warning);
  process.on('warning', listener);
  return {
    async stop() {
      await new Promise((resolve) => setImmediate(resolve));
      process.off('warning', listener);
      return seen;
    },
  };
}

const walkData = (async () => {
  const data = await simulate(walk, { p: 0.6 }, { seed: 3, discrete: { mode: 'exact' } });
  return Array.from(data.values.subarray(1));
})();

test.serial('fit({ preflight }) warns when the chosen estimator is biased, naming the parameter, the bias and the recommended setting', async (t) => {
  const watch = warningsDuring();
  // The uniform prior's median p ≈ 0.51: the walk near p = ½, where straight-through at τ = 1 is 32% low.
  const result = await fit(walk, await walkData, { loss: 'mse', epochs: 1, seed: 1, discrete: { mode: 'straight-through', tau: 1 }, preflight: true });
  const warnings = (await watch.stop()).filter((w) => (w as Error & { code?: string }).code === 'AGENTGRAD_PREFLIGHT_BIAS');
  const preflight = result.preflight!;
  t.is(preflight.label, 'pathwise straight-through tau=1');
  t.true(Math.abs(preflight.point['p']! - 0.5) < 0.02);
  t.deepEqual(preflight.biased, ['p']);
  const st = row(preflight.audit, 'pathwise straight-through tau=1', 'p');
  t.true(st.significant);
  t.true(Math.abs(st.relativeBias! - recordedRelativeBias) < 0.1, `relative bias ${st.relativeBias}`);
  t.is(preflight.audit.reference.replicates, 512);
  t.not(preflight.audit.recommendation!.label, 'pathwise straight-through tau=1');
  t.false(preflight.audit.rows.some((r) => r.label === 'score'), 'fit cannot use the draws\' score estimator');
  t.is(warnings.length, 1);
  const message = warnings[0]!.message;
  t.is(message, preflight.warning!);
  t.regex(message, /the gradient estimator of this fit, pathwise straight-through tau=1, is biased at the initial point; p: bias /);
  t.regex(message, /z = /);
  t.true(message.includes(`Lowest mean-squared error per second: ${preflight.audit.recommendation!.label} (gradientEstimator: 'pathwise'`), message);
  t.is(result.epochs, 1);
});

test.serial('fit({ preflight }) stays quiet for an unbiased estimator and validates the option', async (t) => {
  const watch = warningsDuring();
  const result = await fit(walk, await walkData, { loss: 'mse', epochs: 1, seed: 1, discrete: { mode: 'smoothed' }, preflight: { replicates: 64 } });
  const warnings = (await watch.stop()).filter((w) => (w as Error & { code?: string }).code === 'AGENTGRAD_PREFLIGHT_BIAS');
  t.deepEqual(warnings, []);
  const preflight = result.preflight!;
  t.is(preflight.label, 'pathwise smoothed');
  t.deepEqual(preflight.biased, []);
  t.is(preflight.warning, null);
  t.deepEqual(preflight.audit.rows.map((r) => r.label), ['pathwise smoothed'], 'the chosen setting alone');
  t.is(preflight.audit.reference.replicates, 256);
  t.is((await fit(walk, await walkData, { loss: 'mse', epochs: 1 })).preflight, undefined);
  await t.throwsAsync(fit(walk, await walkData, { epochs: 1, preflight: 'yes' as never }), { instanceOf: TypeError, message: /^preflight must be true, false or an object/ });
  await t.throwsAsync(fit(walk, await walkData, { epochs: 1, preflight: { replicates: 1 } }), { instanceOf: RangeError, message: /^preflight\.replicates must be an integer in \[2, 10000000\]/ });
  await t.throwsAsync(fit(walk, await walkData, { epochs: 1, preflight: { samples: 3 } as never }), { instanceOf: TypeError, message: /^preflight\.samples is not an option/ });
});
