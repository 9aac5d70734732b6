// Every code block of the hand-written docs (README.md, docs/*.md) is checked here, so that a page
// cannot show a command that does not exist: each `confide` command line is asked for its help by
// the real binary (the command must exist and take every flag the line uses), each `npm` script
// must exist, JSON must parse and Mermaid blocks must name a diagram type. The tutorial block of
// docs/cli.md is also pasted into bash against a running network in cli.test.ts, and the
// README's `npx confide demo` runs in start.test.ts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { type CodeBlock, codeBlocks, docsPages, REPO_ROOT, shellLines } from './testing/markdown.js';
import { runConfide } from './testing/runConfide.js';

const SCRIPTS = Object.keys(JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).scripts);
/** Programs a docs shell line may call besides `npm` and `confide`. */
const SHELL = new Set(['export', 'cat', 'jq', 'echo', 'cd', 'age']);
const MERMAID = new Set(['sequenceDiagram', 'flowchart', 'graph', 'stateDiagram-v2', 'classDiagram', 'erDiagram']);

const help = (args: string[]) => runConfide([...args, '--help'], { CONFIDE_HOME: '/nonexistent' });

/** Shell words of one simple command: quotes removed, `$(…)` and redirections cut off. */
const words = (segment: string) =>
  segment
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => word.replace(/^["']|["']$/g, ''));

/** The simple commands of a shell line: split on `&&`, `||`, `;`, `|`, and command substitutions. */
const commands = (line: string) =>
  line
    .split(/&&|\|\||;|\||\$\(|\)/)
    .map((segment) => segment.replace(/^\s*[A-Z_]+=/, '').trim())
    .filter(Boolean);

const where = (block: CodeBlock) => `${block.file}:${block.line}`;

describe('docs code blocks', () => {
  const blocks = docsPages().flatMap(codeBlocks);

  it('are all bash, json or mermaid, and there are some of each', () => {
    const unknown = blocks.filter((b) => !['bash', 'json', 'mermaid'].includes(b.lang)).map(where);
    assert.deepEqual(unknown, [], 'a block in a new language needs a check in docs.test.ts');
    for (const lang of ['bash', 'json', 'mermaid'])
      assert.ok(
        blocks.some((b) => b.lang === lang),
        lang,
      );
  });

  it('json blocks parse, mermaid blocks start with a diagram type', () => {
    for (const block of blocks.filter((b) => b.lang === 'json')) {
      assert.doesNotThrow(() => JSON.parse(block.body), where(block));
    }
    for (const block of blocks.filter((b) => b.lang === 'mermaid')) {
      assert.ok(MERMAID.has(block.body.trim().split(/\s+/)[0] ?? ''), `${where(block)}: not a Mermaid diagram`);
    }
  });

  it('bash blocks only call npm scripts that exist and confide commands that take the flags shown', async () => {
    const confideLines: { block: CodeBlock; args: string[] }[] = [];
    for (const block of blocks.filter((b) => b.lang === 'bash')) {
      for (const command of shellLines(block.body).flatMap(commands)) {
        const [program, ...rest] = words(command);
        if (program === 'npx' && rest[0] === 'confide') confideLines.push({ block, args: rest.slice(1) });
        else if (program === 'confide') confideLines.push({ block, args: rest });
        else if (program === 'npm') {
          const script = rest[0] === 'run' ? rest[1] : rest[0];
          if (script === 'ci' || script === 'install') continue;
          assert.ok(SCRIPTS.includes(String(script)), `${where(block)}: npm script ${script} does not exist`);
        } else assert.ok(SHELL.has(String(program)), `${where(block)}: \`${command}\` is not a command the test knows`);
      }
    }
    assert.ok(confideLines.length >= 8, `found ${confideLines.length} confide command lines`);
    // Side by side: each check starts the binary once.
    await Promise.all(
      confideLines.map(async ({ block, args }) => {
        const shown = `${where(block)}: confide ${args.join(' ')}`;
        const named = args.filter((a) => a !== '--help');
        const { code, stdout } = await help(named);
        // Commander shows the group's help for an unknown subcommand: a line must reach a leaf command.
        assert.ok(code === 0 && (named.length === 0 || !/^Commands:/m.test(stdout)), `${shown}: no such command`);
        for (const flag of args.filter((a) => a.startsWith('--') && a !== '--help')) {
          assert.match(stdout, new RegExp(`${flag}\\b`), `${shown}: the command has no ${flag}`);
        }
      }),
    );
  });
});
