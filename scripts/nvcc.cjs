#!/usr/bin/env node
// Locates nvcc for binding.gyp and compiles one .cu file for every supported architecture.
//   node scripts/nvcc.cjs --path          -> nvcc's path, or nothing when there is none
//   node scripts/nvcc.cjs --libdir        -> the directory holding libcudart_static.a
//   node scripts/nvcc.cjs --headers       -> the headers a .cu file may include (rule inputs,
//                                            so that editing a header rebuilds the CUDA object)
//   node scripts/nvcc.cjs IN.cu OUT.o     -> compile
// AGENTGRAD_NO_CUDA=1 hides nvcc (CPU-only build); AGENTGRAD_CUDA_ARCHS="80 90" narrows the
// architectures (development builds); the default is sm_70 through sm_90 as far as this nvcc
// supports them (CUDA 13 starts at sm_75), plus PTX of the newest for forward compatibility.
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

function findNvcc() {
  if (process.env.AGENTGRAD_NO_CUDA === '1') return '';
  const candidates = [];
  if (process.env.CUDA_PATH) candidates.push(path.join(process.env.CUDA_PATH, 'bin', 'nvcc'));
  for (const dir of (process.env.PATH || '').split(path.delimiter)) if (dir) candidates.push(path.join(dir, 'nvcc'));
  candidates.push('/usr/local/cuda/bin/nvcc');
  return candidates.find((c) => fs.existsSync(c)) || '';
}

// nvcc may be a wrapper script, so ask it where its toolkit lives rather than resolving the path.
function libraryDir(nvcc) {
  const probe = spawnSync(nvcc, ['--dryrun', '-c', 'probe.cu', '-o', 'probe.o'], { encoding: 'utf8' });
  const dryrun = `${probe.stdout}${probe.stderr}`;
  const top = /^#\$ TOP=(.*)$/m.exec(dryrun)?.[1]?.trim() ?? path.dirname(path.dirname(nvcc));
  const dirs = [path.join(top, 'lib64'), path.join(top, 'targets', 'x86_64-linux', 'lib'), path.join(top, 'lib')];
  return path.resolve(dirs.find((d) => fs.existsSync(path.join(d, 'libcudart_static.a'))) || dirs[0]);
}

function supportedArchs(nvcc) {
  const listed = execFileSync(nvcc, ['--list-gpu-arch'], { encoding: 'utf8' });
  return listed.split(/\s+/).filter(Boolean).map((a) => Number(a.replace('compute_', '')));
}

function gencodeFlags(nvcc) {
  const wanted = (process.env.AGENTGRAD_CUDA_ARCHS || '70 75 80 86 89 90').split(/[\s,]+/).filter(Boolean).map(Number);
  const supported = new Set(supportedArchs(nvcc));
  const archs = wanted.filter((a) => supported.has(a));
  if (archs.length === 0) throw new Error(`nvcc supports none of the architectures ${wanted.join(', ')}`);
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
    ...gencodeFlags(nvcc), '-c', input, '-o', output,
  ];
  fs.mkdirSync(path.dirname(output), { recursive: true });
  execFileSync(nvcc, args, { stdio: 'inherit' });
}

const [first, second] = process.argv.slice(2);
// The folders a .cu file includes from (the addon's headers are host-only).
function nativeHeaders() {
  return ['core', 'models', 'cuda']
    .flatMap((dir) => fs.readdirSync(path.join(__dirname, '..', 'native', dir)).map((f) => `native/${dir}/${f}`))
    .filter((f) => /\.(hpp|cuh)$/.test(f))
    .sort();
}

const nvcc = findNvcc();
if (first === '--path') process.stdout.write(nvcc);
else if (first === '--headers') process.stdout.write(nativeHeaders().join(' '));
else if (first === '--libdir') process.stdout.write(nvcc ? libraryDir(nvcc) : '');
else if (first && second) {
  if (!nvcc) throw new Error('nvcc not found');
  compile(nvcc, first, second);
} else {
  process.stderr.write('usage: nvcc.cjs --path | --libdir | --headers | IN.cu OUT.o\n');
  process.exit(2);
}
