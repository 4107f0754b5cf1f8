// Definition errors: what is wrong, where (file, line, column) and the offending line with a caret.
import { locate, type CallSite, type Position, type SourceText } from './source.js';

/** TypeError: an unknown or misused name; SyntaxError: unsupported syntax; RangeError: a value out of range. */
export type ErrorClass = typeof TypeError | typeof SyntaxError | typeof RangeError;

function excerpt(position: Position): string {
  const text = position.lineText;
  const indent = text.length - text.trimStart().length;
  const caretColumn = Math.max(position.column - 1 - indent, 0);
  return `\n    ${text.trimStart()}\n    ${' '.repeat(caretColumn)}^`;
}

function where(position: Position): string {
  return position.file
    ? `${position.file}:${position.line}:${position.column}`
    : `line ${position.line}, column ${position.column} of the function`;
}

/** An error in a function of the spec, at offset `treeOffset` of its syntax tree. */
export function codeError(source: SourceText, treeOffset: number, ErrorType: ErrorClass, problem: string): Error {
  const position = locate(source, treeOffset);
  return new ErrorType(`${source.label} (${where(position)}): ${problem}${excerpt(position)}`);
}

/** An error in the spec object itself, reported at the defineModel call. */
export function specError(name: string, site: CallSite | undefined, ErrorType: ErrorClass, problem: string): Error {
  if (!site) return new ErrorType(`${name}: ${problem}`);
  const before = site.content.slice(0, site.offset);
  const line = before.split('\n').length;
  const column = site.offset - before.lastIndexOf('\n');
  return new ErrorType(`${name} (${site.display}:${line}:${column}): ${problem}`);
}
