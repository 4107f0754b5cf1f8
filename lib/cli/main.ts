#!/usr/bin/env node
import { auditCommand, auditUsage } from './audit-command.js';
import { benchCommand, benchUsage } from './bench-command.js';
import { diagnoseCommand, diagnoseUsage } from './diagnose-command.js';
import { fitCommand, fitUsage } from './fit-command.js';
import { infoCommand } from './info.js';
import { simulateCommand, simulateUsage } from './simulate-command.js';
import { workerCommand, workerUsage } from './worker-command.js';
import { UsageError } from './args.js';

const usage = `usage: agentgrad <command> [options]

commands:
  fit        calibrate a model to data: posterior.json, history.csv and report.html
  diagnose   is a fit recipe's posterior calibrated? simulation-based calibration and coverage
  audit      every gradient estimator against an unbiased reference: audit.json, audit.csv and audit.html
  info       backends compiled in, CUDA device, models and their parameters (--model FILE: a module's)
  simulate   run replicates of a model and write values (and tangents) to CSV or JSON
  bench      agent-step throughput of every model on this machine
  worker     compute fit samples and diagnose fits for coordinators on a NATS JetStream cluster

${fitUsage}

${diagnoseUsage}

${auditUsage}

${simulateUsage}

${benchUsage}

${workerUsage}`;

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'fit':
      console.log(await fitCommand(rest));
      return 0;
    case 'diagnose':
      console.log(await diagnoseCommand(rest));
      return 0;
    case 'audit':
      console.log(await auditCommand(rest));
      return 0;
    case 'info':
      console.log(await infoCommand(rest));
      return 0;
    case 'simulate':
      console.log(await simulateCommand(rest));
      return 0;
    case 'bench':
      console.log(await benchCommand(rest));
      return 0;
    case 'worker':
      console.log(await workerCommand(rest));
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(usage);
      return command === undefined ? 1 : 0;
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const e = error as Error & { code?: string };
    const isUsage = error instanceof UsageError || e.code?.startsWith('ERR_PARSE_ARGS') === true;
    console.error(`agentgrad: ${e.message}`);
    if (isUsage) console.error(`run 'agentgrad help' for usage`);
    process.exitCode = isUsage || error instanceof TypeError || error instanceof RangeError ? 2 : 1;
  },
);
