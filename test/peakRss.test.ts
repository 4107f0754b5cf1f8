import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import test from 'ava';

import { highWaterOfProcStatus } from '../bench/peakRss.js';
import { repoRoot } from './helpers.js';

const linux = process.platform === 'linux';
const mib = 2 ** 20;

function hasPython(): boolean {
  try {
    execFileSync('python3', ['-c', 'pass']);
    return true;
  } catch {
    return false;
  }
}

test('/proc/<pid>/status parsing: VmHWM in kB, null without the line', (t) => {
  const status = 'Name:\tnode\nVmPeak:\t 1215044 kB\nVmHWM:\t   52736 kB\nVmRSS:\t   51200 kB\n';
  t.is(highWaterOfProcStatus(status), 52736 * 1024);
  t.is(highWaterOfProcStatus('Name:\tnode\nVmRSS:\t   51200 kB\n'), null);
});

// The memory suite's children are spawned by a bench process that may hold hundreds of MiB.
// getrusage's maxRSS in such a child is at least the parent's RSS; the child's own peak is not,
// and it grows by what the child itself touches.
(linux ? test : test.skip)("a child spawned by a 300 MiB parent reports its own peak, not the parent's", (t) => {
  const ballast = Buffer.alloc(300 * mib, 1);
  t.true(process.resourceUsage().maxRSS * 1024 >= 300 * mib);
  const peakRssModule = join(repoRoot, 'dist', 'bench', 'peakRss.js');
  const script =
    `import(${JSON.stringify(peakRssModule)}).then((m) => { const before = m.peakRss(); ` +
    `const held = Buffer.alloc(200 * 2 ** 20, 1); const after = m.peakRss(); ` +
    `console.log(JSON.stringify({ before, after, maxRss: process.resourceUsage().maxRSS * 1024, held: held[0] })); })`;
  const child = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as {
    before: { bytes: number; source: string };
    after: { bytes: number; source: string };
    maxRss: number;
  };
  t.is(child.before.source, 'VmHWM');
  t.true(child.maxRss >= 300 * mib, `the pitfall this guards against: child maxRSS ${(child.maxRss / mib).toFixed(0)} MiB`);
  t.true(child.before.bytes > 10 * mib && child.before.bytes < 150 * mib, `child's own peak ${(child.before.bytes / mib).toFixed(0)} MiB`);
  const grew = child.after.bytes - child.before.bytes;
  t.true(grew >= 190 * mib && grew < 260 * mib, `after touching 200 MiB the child's peak grew by ${(grew / mib).toFixed(0)} MiB`);
  t.true(ballast[ballast.length - 1] === 1);
});

(linux && hasPython() ? test : test.skip)("the Python peers' peak_rss_bytes is the peer's own, under a 300 MiB parent", (t) => {
  const ballast = Buffer.alloc(300 * mib, 1);
  const script = 'import sys, resource; sys.path.insert(0, sys.argv[1]); import common; ' +
    'print(common.peak_rss_bytes(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)';
  const out = execFileSync('python3', ['-c', script, join(repoRoot, 'bench', 'peers')], { encoding: 'utf8' });
  const [own, maxRss] = out.trim().split(/\s+/).map(Number) as [number, number];
  t.true(maxRss >= 300 * mib, `the pitfall: ru_maxrss ${(maxRss / mib).toFixed(0)} MiB`);
  t.true(own > 1 * mib && own < 100 * mib, `peer's own peak ${(own / mib).toFixed(0)} MiB`);
  t.true(ballast[0] === 1);
});
