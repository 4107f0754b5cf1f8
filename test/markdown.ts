// Reading the documentation as docs.test.ts checks it: fenced code blocks with the comment that
// precedes them, relative links, and the anchors GitHub gives headings.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { repoRoot } from './helpers.js';

/** README.md and every docs/*.md, as paths relative to the repository root. */
export function documentationFiles(): string[] {
  const docs = readdirSync(join(repoRoot, 'docs')).filter((name) => name.endsWith('.md')).sort();
  return ['README.md', ...docs.map((name) => `docs/${name}`)];
}

export function readDoc(file: string): string {
  return readFileSync(join(repoRoot, file), 'utf8');
}

export interface CodeBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  language: string;
  code: string;
  /** The HTML comment on the line before the fence (blank lines between allowed), if any. */
  comment: string | null;
}

const fence = /^(`{3,})\s*([\w+-]*)\s*$/;

export function codeBlocks(file: string, text = readDoc(file)): CodeBlock[] {
  const lines = text.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = fence.exec(lines[i]!);
    if (!open) continue;
    const close = lines.findIndex((l, j) => j > i && l.trim() === open[1]);
    if (close < 0) throw new Error(`${file}:${i + 1}: code block is not closed`);
    blocks.push({ file, line: i + 1, language: open[2]!.toLowerCase(), code: lines.slice(i + 1, close).join('\n') + '\n', comment: commentBefore(lines, i) });
    i = close;
  }
  return blocks;
}

function commentBefore(lines: string[], index: number): string | null {
  let j = index - 1;
  while (j >= 0 && lines[j]!.trim() === '') j--;
  const match = j >= 0 ? /^<!--\s*([\s\S]*?)\s*-->$/.exec(lines[j]!.trim()) : null;
  return match ? match[1]! : null;
}

/** The lines outside fenced code blocks, as they are, with their 1-based line numbers. */
export function linesOutsideCode(text: string): Array<{ line: number; text: string }> {
  const result: Array<{ line: number; text: string }> = [];
  let inside: string | null = null;
  text.split('\n').forEach((line, i) => {
    const open = fence.exec(line);
    if (inside === null && open) inside = open[1]!;
    else if (inside !== null && line.trim() === inside) inside = null;
    else if (inside === null) result.push({ line: i + 1, text: line });
  });
  return result;
}

export interface Link {
  file: string;
  line: number;
  target: string;
}

/** Inline links [text](target) and reference definitions [name]: target outside code. */
export function links(file: string, text = readDoc(file)): Link[] {
  const found: Link[] = [];
  for (const { line, text: raw } of linesOutsideCode(text)) {
    const withoutInlineCode = raw.replace(/`[^`]*`/g, '');
    for (const m of withoutInlineCode.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) found.push({ file, line, target: m[1]! });
    const definition = /^\s*\[[^\]]+\]:\s*(\S+)/.exec(withoutInlineCode);
    if (definition) found.push({ file, line, target: definition[1]! });
  }
  return found;
}

export function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target);
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor the headings of a markdown text define, duplicates numbered as GitHub does. */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const { text: line } of linesOutsideCode(text)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = slug(heading[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    result.add(n === 0 ? base : `${base}-${n}`);
  }
  return result;
}
