// npm run bench [-- throughput|estimators|end-to-end|peers|memory|cuda-report|define|flow|diagnose|cluster ...] [--quick] [--backend cpu|cuda|auto]
// [--models sir,networkSir] (throughput and peer rows of these models only): prints markdown
// tables, writes a JSON record to bench/results/ and regenerates the tables of docs/ from the
// newest records (bench/performanceDoc.ts). Without suite names every suite runs.
// npm run bench -- doc: only regenerates the tables of docs/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { backendInfo } from '../lib/index.js';
import { clusterMarkdown, clusterSuite } from './cluster.js';
import { cudaReport, cudaReportMarkdown } from './cudaReport.js';
import { defineMarkdown, defineRows } from './defineModels.js';
import { diagnoseMarkdown, diagnoseRows } from './diagnose.js';
import { endToEndMarkdown, endToEndRows } from './endToEnd.js';
import { estimatorMarkdown, estimatorRows } from './estimators.js';
import { flowMarkdown, flowRows } from './flow.js';
import { memoryMarkdown, memoryRows } from './memory.js';
import { peerMarkdown, peerRows } from './peerComparison.js';
import { writeGeneratedDocs } from './performanceDoc.js';
import { throughputRows, type ThroughputRow } from './throughput.js';

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'results');

// HEAD's short hash, with '+dirty' when tracked files (other than the records) differ from it, so
// that a record taken from uncommitted code does not pass for HEAD's.
function commit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const changed = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', '.', ':(exclude)bench/results'], { encoding: 'utf8' }).trim();
    return changed === '' ? head : `${head}+dirty`;
  } catch {
    return 'unknown';
  }
}

function formatRate(x: number): string {
  return x.toExponential(2);
}

function markdown(rows: ThroughputRow[]): string {
  const lines = [
    '| model | K | mode | replicates | agents | steps | agent-steps/s | ns/agent-step | bytes/agent-step | GB/s | backend |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.model} | ${r.tangents} | ${r.mode} | ${r.replicates} | ${r.agents} | ${r.steps} | ${formatRate(r.agentStepsPerSecond)} | ` +
        `${r.nsPerAgentStep.toFixed(2)} | ${r.bytesPerAgentStep} | ${r.gigabytesPerSecond.toFixed(1)} | ${r.backend} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      quick: { type: 'boolean', default: false },
      backend: { type: 'string', default: 'auto' },
      models: { type: 'string' },
    },
  });
  const allSuites = ['throughput', 'end-to-end', 'estimators', 'peers', 'memory', 'cuda-report', 'define', 'flow', 'diagnose', 'cluster'];
  if (positionals.length === 1 && positionals[0] === 'doc') {
    console.log(`regenerated the tables of docs/: ${writeGeneratedDocs().join(', ') || 'unchanged'}`);
    return;
  }
  const suites = new Set(positionals.length > 0 ? positionals : allSuites);
  for (const suite of suites) {
    if (!allSuites.includes(suite)) throw new Error(`unknown suite '${suite}'; suites: ${allSuites.join(', ')}, or doc alone`);
  }
  const backend = values.backend as 'cpu' | 'cuda' | 'auto';
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    backends: backendInfo(),
  };
  const revision = commit();
  console.log(`agentgrad ${revision} on ${machine.cpu} (${machine.cores} cores)\n`);
  const options = { quick: values.quick, backend, ...(values.models ? { models: values.models } : {}) };
  const record: Record<string, unknown> = { date: new Date().toISOString(), commit: revision, machine, options };
  const models = values.models?.split(',').map((m) => m.trim());
  if (suites.has('throughput')) {
    const rows = await throughputRows({ quick: values.quick, backend, ...(models ? { models } : {}) });
    console.log('## Throughput\n\n' + markdown(rows) + '\n');
    record['throughput'] = rows;
  }
  if (suites.has('end-to-end')) {
    const rows = await endToEndRows({ quick: values.quick, backend });
    console.log('## End to end\n\n' + endToEndMarkdown(rows) + '\n');
    record['endToEnd'] = rows;
  }
  if (suites.has('estimators')) {
    const rows = await estimatorRows({ quick: values.quick });
    console.log('## Gradient estimators\n\n' + estimatorMarkdown(rows) + '\n');
    record['estimators'] = rows;
  }
  if (suites.has('peers')) {
    const suite = await peerRows({ quick: values.quick, backend, ...(models ? { models } : {}) });
    console.log('## Peers\n\n' + peerMarkdown(suite) + '\n');
    record['peers'] = suite;
  }
  if (suites.has('memory')) {
    const suite = await memoryRows({ quick: values.quick, backend });
    console.log('## Memory\n\n' + memoryMarkdown(suite) + '\n');
    record['memory'] = suite;
  }
  if (suites.has('define')) {
    const suite = await defineRows({ quick: values.quick });
    console.log('## Models written in TypeScript\n\n' + defineMarkdown(suite) + '\n');
    record['define'] = suite;
  }
  if (suites.has('flow')) {
    const rows = await flowRows({ quick: values.quick, backend });
    console.log('## Flow family\n\n' + flowMarkdown(rows) + '\n');
    record['flow'] = rows;
  }
  if (suites.has('diagnose')) {
    const rows = await diagnoseRows({ quick: values.quick });
    console.log('## diagnose\n\n' + diagnoseMarkdown(rows) + '\n');
    record['diagnose'] = rows;
  }
  if (suites.has('cluster')) {
    const suite = await clusterSuite({ quick: values.quick });
    console.log('## Cluster\n\n' + clusterMarkdown(suite) + '\n');
    record['cluster'] = suite;
  }
  if (suites.has('cuda-report')) {
    const report = cudaReport();
    console.log('## CUDA static report\n\n' + cudaReportMarkdown(report) + '\n');
    record['cudaReport'] = report;
  }
  mkdirSync(resultsDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(resultsDir, `${stamp}.json`);
  writeFileSync(file, JSON.stringify(record, null, 2) + '\n');
  console.log(`\nrecord: ${file}`);
  console.log(`regenerated the tables of docs/: ${writeGeneratedDocs().join(', ') || 'unchanged'}`);
}

await main();
