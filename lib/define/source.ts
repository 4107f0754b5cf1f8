// The source text of the functions in a spec: where it lies in the file that called defineModel,
// its syntax tree (acorn), and the line and column of any offset in it.
import { readFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { parseExpressionAt, type Expression, type Function as FunctionNode } from 'acorn';

/** The file that called defineModel, as far as the stack says. */
export interface CallSite {
  /** The path as shown in messages: relative to the working directory when inside it. */
  readonly display: string;
  readonly content: string;
  /** Offset of the defineModel call in `content`. */
  readonly offset: number;
}

/** A position shown to the modeller: 1-based line and column, and the text of that line. */
export interface Position {
  readonly line: number;
  readonly column: number;
  readonly lineText: string;
  /** The file it is in; absent when the function's text was not found in the calling file. */
  readonly file?: string;
}

/** The text of one function of the spec (init, step, a helper). */
export interface SourceText {
  /** How messages name it, e.g. 'kirmanAnts.step'. */
  readonly label: string;
  /** Its name in the spec, e.g. 'step' or 'helpers.sigmoid'. */
  readonly name: string;
  /** `fn.toString()`. */
  readonly text: string;
  /** Offsets in the syntax tree are offsets in the wrapped text: this many characters precede `text` there. */
  readonly shift: number;
  /** Where `text` starts in the calling file, when it was found there. */
  readonly found?: { readonly site: CallSite; readonly start: number };
}

/** A function of the spec, parsed. */
export interface FunctionSource extends SourceText {
  readonly node: FunctionNode;
}

const framePattern = /\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?$/;

/** The file and offset of the call to `callee`, read from the stack; undefined where unknown. */
export function findCallSite(callee: (...args: never[]) => unknown): CallSite | undefined {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, callee);
  const frame = holder.stack?.split('\n').find((line) => line.trimStart().startsWith('at '));
  const match = frame ? framePattern.exec(frame.trim()) : null;
  if (!match) return undefined;
  const [, location, line, column] = match;
  const path = location!.startsWith('file://') ? fileURLToPath(location!) : location!;
  if (!isAbsolute(path)) return undefined;
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const fromCwd = relative(process.cwd(), path);
  const display = fromCwd.startsWith('..') || isAbsolute(fromCwd) ? path : fromCwd;
  return { display, content, offset: offsetOf(content, Number(line), Number(column)) };
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

function offsetOf(text: string, line: number, column: number): number {
  const starts = lineStarts(text);
  return (starts[line - 1] ?? 0) + column - 1;
}

function positionIn(text: string, offset: number): Omit<Position, 'file'> {
  const starts = lineStarts(text);
  let line = 0;
  while (line + 1 < starts.length && starts[line + 1]! <= offset) line++;
  const start = starts[line]!;
  const end = text.indexOf('\n', start);
  return { line: line + 1, column: offset - start + 1, lineText: text.slice(start, end < 0 ? text.length : end).replace(/\r$/, '') };
}

/** The position of a syntax-tree offset of `source`: in the calling file when found there, else in the function. */
export function locate(source: SourceText, treeOffset: number): Position {
  const offset = Math.min(Math.max(treeOffset - source.shift, 0), source.text.length);
  if (source.found) {
    return { ...positionIn(source.found.site.content, source.found.start + offset), file: source.found.site.display };
  }
  return positionIn(source.text, offset);
}

/** A parse failure: the message and the offset in the function's own text. */
export class UnparsableFunction extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

// Arrow functions and function expressions parse inside parentheses; method shorthand
// (`init(m) { ... }`) only as a member of an object literal.
const wrappings = [
  { before: '(', after: ')', unwrap: (e: Expression) => e },
  { before: '({', after: '})', unwrap: (e: Expression) => (e.type === 'ObjectExpression' && e.properties[0]?.type === 'Property' ? e.properties[0].value : e) },
];

/** Parses `text`, the result of a function's toString(). */
export function parseFunction(text: string): { node: FunctionNode; shift: number } {
  let furthest = { message: 'not a function', offset: 0 };
  for (const { before, after, unwrap } of wrappings) {
    const code = before + text + after;
    try {
      const expression = parseExpressionAt(code, 0, { ecmaVersion: 'latest', sourceType: 'module' });
      const node = unwrap(expression);
      const isFunction = node.type === 'ArrowFunctionExpression' || node.type === 'FunctionExpression';
      // The node excludes the closing parenthesis: it must end right before it.
      if (isFunction && expression.end === code.length - 1) return { node, shift: before.length };
    } catch (error) {
      const { message, pos } = error as { message: string; pos?: number };
      const offset = (pos ?? 0) - before.length;
      if (offset >= furthest.offset) furthest = { message: message.replace(/ \(\d+:\d+\)$/, ''), offset };
    }
  }
  throw new UnparsableFunction(furthest.message, Math.min(furthest.offset, text.length));
}

/** Where `text` lies in the calling file: the first occurrence after the call, else anywhere. */
export function findText(site: CallSite | undefined, text: string): SourceText['found'] {
  if (!site) return undefined;
  let start = site.content.indexOf(text, site.offset);
  if (start < 0) start = site.content.indexOf(text);
  return start < 0 ? undefined : { site, start };
}
