#!/usr/bin/env node
// npm run prebuild: the release binary (and CI's), with every CPU instruction set and the CUDA
// backend for every architecture, built on every core by prebuildify into prebuilds/<platform>/.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const env = {
  ...process.env,
  AGENTGRAD_CPU_ISAS: process.env.AGENTGRAD_CPU_ISAS ?? 'all',
  AGENTGRAD_CUDA: process.env.AGENTGRAD_CUDA ?? 'all',
  JOBS: process.env.JOBS ?? 'max',
};
const { summary } = require('./build-config.cjs');
process.env = env;
process.stderr.write(`agentgrad prebuild: ${summary()}\n`);
const prebuildify = require.resolve('prebuildify/bin.js');
const run = spawnSync(process.execPath, [prebuildify, '--napi', '--strip'], { cwd: path.join(__dirname, '..'), env, stdio: 'inherit' });
process.exit(run.status ?? 1);
