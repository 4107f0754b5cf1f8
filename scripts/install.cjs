#!/usr/bin/env node
// npm's install step: use the prebuilt binary when one loads (prebuilds/, or an earlier build/),
// else build the addon from source with node-gyp on every core.
//   node scripts/install.cjs            -> install (npm runs this)
//   node scripts/install.cjs --rebuild  -> build from source even where a binary exists
// What a source build compiles is scripts/build-config.cjs's choice; it prints it before starting.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { summary } = require('./build-config.cjs');

const root = path.join(__dirname, '..');

function hasLoadableBinary() {
  try {
    require('node-gyp-build')(root);
    return true;
  } catch {
    return false;
  }
}

// This package's node-gyp (a clone), else the one npm runs its lifecycle scripts with.
function nodeGypCommand() {
  try {
    return [process.execPath, require.resolve('node-gyp/bin/node-gyp.js')];
  } catch {
    return process.env.npm_config_node_gyp ? [process.execPath, process.env.npm_config_node_gyp] : ['node-gyp'];
  }
}

function buildFromSource() {
  const [command, ...prefix] = nodeGypCommand();
  process.stderr.write(`agentgrad: building the native addon from source on every core: ${summary()}\n`);
  const start = Date.now();
  const build = spawnSync(command, [...prefix, 'rebuild', '--jobs', 'max', ...process.argv.slice(3)], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) {
    process.stderr.write('agentgrad: the native build failed; docs/building.md lists what it needs (python3, make, a C++17 compiler)\n');
    process.exit(build.status ?? 1);
  }
  process.stderr.write(`agentgrad: native addon built in ${((Date.now() - start) / 1000).toFixed(0)} s\n`);
}

const rebuild = process.argv[2] === '--rebuild';
const fromSource = process.env.npm_config_build_from_source === 'true';
if (rebuild || fromSource || !hasLoadableBinary()) buildFromSource();
