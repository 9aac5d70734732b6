// Reads the fenced code blocks of the docs, so that tests run what the pages show.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The repository root. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../../../..');

/** One fenced block: its language (the info string's first word), its text, and where it starts. */
export type CodeBlock = { file: string; line: number; lang: string; body: string };

/** Every fenced block of one Markdown file (``` fences; a block's body excludes its fences). */
export function codeBlocks(file: string): CodeBlock[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  let open: { line: number; lang: string; body: string[] } | undefined;
  lines.forEach((text, index) => {
    if (!text.startsWith('```')) {
      open?.body.push(text);
      return;
    }
    if (open) {
      blocks.push({
        file: path.relative(REPO_ROOT, file),
        line: open.line,
        lang: open.lang,
        body: open.body.join('\n'),
      });
      open = undefined;
    } else {
      open = { line: index + 1, lang: text.slice(3).trim().split(/\s+/)[0] ?? '', body: [] };
    }
  });
  if (open) throw new Error(`${file}:${open.line}: a code block is never closed`);
  return blocks;
}

/** The hand-written docs pages: README.md and docs/*.md (not the generated docs/reference). */
export function docsPages(): string[] {
  const docs = path.join(REPO_ROOT, 'docs');
  return [
    path.join(REPO_ROOT, 'README.md'),
    ...readdirSync(docs)
      .filter((name) => name.endsWith('.md'))
      .sort()
      .map((name) => path.join(docs, name)),
  ];
}

/** A bash block's logical lines: continuations joined, comments and blank lines dropped. */
export function shellLines(body: string): string[] {
  return body
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter(Boolean);
}
