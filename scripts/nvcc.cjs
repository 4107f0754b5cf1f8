#!/usr/bin/env node
// Locates nvcc for binding.gyp and compiles one .cu file for the architectures the build carries
// (scripts/build-config.cjs decides which, if any).
//   node scripts/nvcc.cjs --path          -> nvcc's path, or nothing when this build has no CUDA backend
//   node scripts/nvcc.cjs --libdir        -> the directory holding libcudart_static.a
//   node scripts/nvcc.cjs --headers       -> the headers a .cu file may include (rule inputs,
//                                            so that editing a header rebuilds the CUDA objects)
//   node scripts/nvcc.cjs IN.cu OUT.o     -> compile: real code for each architecture plus PTX of the
//                                            newest, for forward compatibility
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { cudaArchs, findNvcc } = require('./build-config.cjs');

// nvcc may be a wrapper script, so ask it where its toolkit lives rather than resolving the path.
function libraryDir(nvcc) {
  const probe = spawnSync(nvcc, ['--dryrun', '-c', 'probe.cu', '-o', 'probe.o'], { encoding: 'utf8' });
  const dryrun = `${probe.stdout}${probe.stderr}`;
  const top = /^#\$ TOP=(.*)$/m.exec(dryrun)?.[1]?.trim() ?? path.dirname(path.dirname(nvcc));
  const dirs = [path.join(top, 'lib64'), path.join(top, 'targets', 'x86_64-linux', 'lib'), path.join(top, 'lib')];
  return path.resolve(dirs.find((d) => fs.existsSync(path.join(d, 'libcudart_static.a'))) || dirs[0]);
}

function gencodeFlags(archs) {
  const newest = Math.max(...archs);
  return [
    ...archs.flatMap((a) => ['-gencode', `arch=compute_${a},code=sm_${a}`]),
    '-gencode', `arch=compute_${newest},code=compute_${newest}`,
  ];
}

function compile(nvcc, input, output) {
  const args = [
    '-std=c++17', '-O3', '--threads', '0', '-DAGENTGRAD_WITH_CUDA=1',
    '-Xcompiler', '-fPIC,-Wall,-Wextra', '-Xptxas', '-warn-spills',
    ...gencodeFlags(cudaArchs()), '-c', input, '-o', output,
  ];
  fs.mkdirSync(path.dirname(output), { recursive: true });
  execFileSync(nvcc, args, { stdio: 'inherit' });
}

// The folders a .cu file includes from (the addon's headers are host-only).
function nativeHeaders() {
  return ['core', 'models', 'program', 'cuda']
    .flatMap((dir) => fs.readdirSync(path.join(__dirname, '..', 'native', dir)).map((f) => `native/${dir}/${f}`))
    .filter((f) => /\.(hpp|cuh)$/.test(f))
    .sort();
}

const [first, second] = process.argv.slice(2);
const nvcc = findNvcc();
if (first === '--path') process.stdout.write(cudaArchs().length > 0 ? nvcc : '');
else if (first === '--headers') process.stdout.write(nativeHeaders().join(' '));
else if (first === '--libdir') process.stdout.write(nvcc ? libraryDir(nvcc) : '');
else if (first && second) {
  if (!nvcc) throw new Error('nvcc not found');
  compile(nvcc, first, second);
} else {
  process.stderr.write('usage: nvcc.cjs --path | --libdir | --headers | IN.cu OUT.o\n');
  process.exit(2);
}
