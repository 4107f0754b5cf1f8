// The documentation as a reader meets it: every TypeScript and JavaScript block of README.md and
// docs/*.md type-checks against lib/ and runs to completion; every relative link and anchor
// resolves; the generated tables of docs/performance.md and docs/estimators.md are what the
// records in bench/results/ give; and README opens with its two commands.
//
// A block is skipped when its language is not TypeScript or JavaScript (sh, cpp, text), when it
// is a quotation of a source file (`<!-- from FILE -->`, checked word for word by
// bassDiffusion.test.ts), or when it is marked `<!-- not-run: reason -->` (still type-checked).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

import test from 'ava';
import ts from 'typescript';

import { defaultResultsDir, fillGeneratedSections, generatedDoc, generatedDocPaths, performanceDoc, performanceDocPath, readRecords } from '../bench/performanceDoc.js';
import { repoRoot } from './helpers.js';
import { anchors, codeBlocks, documentationFiles, isExternal, links, readDoc, type CodeBlock } from './markdown.js';

const runnableLanguages = ['ts', 'typescript', 'js', 'javascript', 'mjs'];
const typeScriptLanguages = ['ts', 'typescript'];
const blockTimeoutMs = 120_000;

function notRunReason(block: CodeBlock): string | null {
  const match = block.comment === null ? null : /^not-run:\s*(.*)$/s.exec(block.comment);
  return match ? match[1]!.trim() : null;
}

function isQuotation(block: CodeBlock): boolean {
  return block.comment !== null && /^from \S+$/.test(block.comment);
}

const allBlocks = documentationFiles().flatMap((file) => codeBlocks(file));
const typeScriptBlocks = allBlocks.filter((b) => typeScriptLanguages.includes(b.language) && !isQuotation(b));
const runnableBlocks = allBlocks.filter((b) => runnableLanguages.includes(b.language) && !isQuotation(b) && notRunReason(b) === null);

function label(block: CodeBlock): string {
  return `${block.file}:${block.line}`;
}

// ---------------------------------------------------------------------------------------------
// Running the blocks

const workDir = mkdtempSync(join(tmpdir(), 'agentgrad-docs-'));
test.after.always(() => rmSync(workDir, { recursive: true, force: true }));

const libraryUrl = pathToFileURL(join(repoRoot, 'dist', 'lib', 'index.js')).href;

/** The block as an ES module that imports the built library instead of the package. */
function moduleSource(block: CodeBlock): string {
  const javascript = typeScriptLanguages.includes(block.language)
    ? ts.transpileModule(block.code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 }, fileName: 'block.ts' }).outputText
    : block.code;
  return javascript.replace(/(from\s+|import\s*\(\s*)(['"])agentgrad\2/g, `$1'${libraryUrl}'`);
}

// At most this many blocks run at once, each in its own Node process.
let running = 0;
const waiting: Array<() => void> = [];
const parallelBlocks = Math.max(1, Math.min(2, cpus().length));

async function withSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= parallelBlocks) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function runModule(path: string, cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-6000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), blockTimeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

test('the documentation has code blocks to run, and marks few as not run', (t) => {
  t.true(runnableBlocks.length >= 10, `${runnableBlocks.length} runnable blocks`);
  const notRun = allBlocks.filter((b) => notRunReason(b) !== null);
  for (const block of notRun) t.not(notRunReason(block), '', `${label(block)}: not-run needs a reason`);
  t.true(notRun.length <= 2, `not run: ${notRun.map(label).join(', ')}`);
});

for (const [index, block] of runnableBlocks.entries()) {
  test(`${label(block)} runs and exits 0`, async (t) => {
    const dir = join(workDir, `block-${index}`);
    const path = join(dir, 'block.mjs');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, moduleSource(block));
    const { code, output } = await withSlot(() => runModule(path, dir));
    t.is(code, 0, `${label(block)} exited with ${code}:\n${output}`);
  });
}

// ---------------------------------------------------------------------------------------------
// Type-checking the TypeScript blocks

// Each block is a virtual module beside lib/, importing '../lib/index.js' for 'agentgrad', so that
// the compiler checks it against the library's own sources with the repository's strictness.
const virtualDir = join(repoRoot, 'doc-blocks');

function virtualPath(block: CodeBlock, index: number): string {
  return join(virtualDir, `${block.file.replace(/[^\w]/g, '_')}_${block.line}_${index}.ts`);
}

function typeCheck(blocks: CodeBlock[]): string[] {
  const sources = new Map(blocks.map((b, i) => [virtualPath(b, i), b.code.replace(/(from\s+)(['"])agentgrad\2/g, "$1'../lib/index.js'")]));
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noUncheckedIndexedAccess: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (name) => sources.get(name) ?? readFile(name);
  host.fileExists = (name) => sources.has(name) || fileExists(name);
  const program = ts.createProgram([...sources.keys()], options, host);
  const blockAt = new Map(blocks.map((b, i) => [virtualPath(b, i), b]));
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const block = d.file ? blockAt.get(d.file.fileName) : undefined;
    if (!d.file || d.start === undefined) return message;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    return block ? `${block.file}:${block.line + 1 + line}: ${message}` : `${relative(repoRoot, d.file.fileName)}:${line + 1}: ${message}`;
  });
}

test('every TypeScript block type-checks against lib/ (strict)', (t) => {
  t.true(typeScriptBlocks.length >= 10);
  const errors = typeCheck(typeScriptBlocks);
  t.deepEqual(errors, [], errors.join('\n'));
});

test('the type check fails on a block that misuses the API', (t) => {
  const wrong: CodeBlock = { file: 'docs/example.md', line: 1, language: 'ts', comment: null, code: "import { simulate } from 'agentgrad';\nawait simulate('volatility', {}, { replicates: '4' });\n" };
  const errors = typeCheck([wrong]);
  t.true(errors.length > 0 && errors.every((e) => e.startsWith('docs/example.md:')), errors.join('\n'));
});

// ---------------------------------------------------------------------------------------------
// Links

test('every relative link in README.md and docs/ points to a file that exists, and every anchor to a heading', (t) => {
  const broken: string[] = [];
  let checked = 0;
  for (const file of documentationFiles()) {
    for (const link of links(file)) {
      if (isExternal(link.target)) continue;
      checked++;
      const [path, anchor] = link.target.split('#', 2) as [string, string | undefined];
      const target = path === '' ? join(repoRoot, file) : join(repoRoot, dirname(file), decodeURI(path));
      if (!existsSync(target)) {
        broken.push(`${file}:${link.line}: ${link.target} (no such file)`);
      } else if (anchor !== undefined && target.endsWith('.md') && !anchors(readFileSync(target, 'utf8')).has(decodeURIComponent(anchor))) {
        broken.push(`${file}:${link.line}: ${link.target} (no heading with that anchor in ${relative(repoRoot, target)})`);
      }
    }
  }
  t.true(checked >= 20, `${checked} links checked`);
  t.deepEqual(broken, [], broken.join('\n'));
});

test('the link check sees a broken link and a broken anchor', (t) => {
  const text = '# Title\n\nSee [api](api.md#no-such-heading), [gone](missing.md) and [here](#title).\n```ts\n[not a link](nowhere.md)\n```\n';
  t.deepEqual(links('docs/x.md', text).map((l) => l.target), ['api.md#no-such-heading', 'missing.md', '#title']);
  t.false(anchors(readDoc('docs/api.md')).has('no-such-heading'));
  t.true(anchors(readDoc('docs/api.md')).has('backendinfo-and-the-backends'));
  t.true(anchors(text).has('title'));
});

// ---------------------------------------------------------------------------------------------
// Generated tables

test('docs/performance.md and docs/estimators.md hold exactly the tables the newest records give', (t) => {
  t.is(readFileSync(performanceDocPath, 'utf8'), performanceDoc(), 'run `npm run bench -- doc` and commit the result');
  for (const path of generatedDocPaths) {
    const text = readFileSync(path, 'utf8');
    t.true(text.includes('<!-- generated:'), `${path} has generated sections`);
    t.is(text, generatedDoc(path), `${relative(repoRoot, path)} differs from its records: run \`npm run bench -- doc\``);
  }
});

test('a hand-edited figure in a generated table is caught', (t) => {
  const text = readFileSync(performanceDocPath, 'utf8');
  const section = /<!-- generated:end-to-end -->\n([\s\S]*?)<!-- \/generated:end-to-end -->/.exec(text)!;
  const edited = text.replace(section[1]!, section[1]!.replace(/\| (\d+\.\d) \|/, '| 0.1 |'));
  t.not(edited, text, 'the edit changed a figure');
  t.not(fillGeneratedSections(edited, readRecords()), edited);
  t.is(fillGeneratedSections(edited, readRecords()), text);
});

test('a newer record changes the tables, and a malformed record makes the generator throw', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'agentgrad-records-'));
  try {
    for (const name of readdirSync(defaultResultsDir).filter((n) => n.endsWith('.json'))) cpSync(join(defaultResultsDir, name), join(dir, name));
    const newest = readRecords(dir).filter((r) => r.suites['endToEnd'] !== undefined).at(-1)!;
    const record = JSON.parse(readFileSync(join(dir, newest.file), 'utf8'));
    record.date = '2099-01-01T00:00:00.000Z';
    record.endToEnd[0].msMedian = 123.4;
    writeFileSync(join(dir, 'newer.json'), JSON.stringify(record));
    t.regex(performanceDoc(dir), /\| 123\.4 \|/);
    t.not(performanceDoc(dir), readFileSync(performanceDocPath, 'utf8'));

    delete record.endToEnd[0].msMedian;
    writeFileSync(join(dir, 'newer.json'), JSON.stringify(record));
    t.throws(() => performanceDoc(dir), { message: /newer\.json: endToEnd\[0\]\.msMedian must be a finite number/ });

    writeFileSync(join(dir, 'newer.json'), '{ "date": "2099-01-01", "commit": ');
    t.throws(() => performanceDoc(dir), { message: /newer\.json: not valid JSON/ });

    writeFileSync(join(dir, 'newer.json'), JSON.stringify({ date: '2099-01-01T00:00:00.000Z', commit: 'abc', peers: { rows: [{ model: 'sir' }] } }));
    t.throws(() => performanceDoc(dir), { message: /newer\.json: peers\.rows\[0\]\.tangents must be a finite number/ });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unknown or unclosed generated section is an error', (t) => {
  const records = readRecords();
  t.throws(() => fillGeneratedSections('<!-- generated:speed -->\n<!-- /generated:speed -->\n', records), { message: /unknown generated section 'speed'/ });
  t.throws(() => fillGeneratedSections('<!-- generated:memory -->\ntext\n', records), { message: /not closed/ });
});

// ---------------------------------------------------------------------------------------------
// The command line

test('docs/cli.md documents every flag the commands accept', async (t) => {
  const { fitUsage } = await import('../lib/cli/fit-command.js');
  const { simulateUsage } = await import('../lib/cli/simulate-command.js');
  const { benchUsage } = await import('../lib/cli/bench-command.js');
  const { diagnoseUsage } = await import('../lib/cli/diagnose-command.js');
  const { workerUsage } = await import('../lib/cli/worker-command.js');
  const documented = readDoc('docs/cli.md');
  const flags = [...new Set([fitUsage, simulateUsage, benchUsage, diagnoseUsage, workerUsage].join('\n').match(/--[a-z][a-z-]*/g) ?? [])];
  t.true(flags.length >= 20, flags.join(' '));
  t.deepEqual(flags.filter((flag) => !new RegExp(`\`${flag}[\` ]`).test(documented)), []);
});

// ---------------------------------------------------------------------------------------------
// README

test('README opens with its two commands, then says what they do', (t) => {
  const readme = readDoc('README.md');
  const [first] = codeBlocks('README.md', readme);
  t.is(readme.split('\n')[0], '# agentgrad');
  t.is(first?.line, 3);
  t.is(first?.language, 'sh');
  t.is(first?.code, 'npm ci && npm run agentgrad -- fit\nnpm ci && npm test\n');
  t.regex(readme, /agentgrad-fit\/posterior\.json/);
  t.true(readme.split('\n').length <= 120, `${readme.split('\n').length} lines`);
});
