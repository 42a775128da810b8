// What the README tells a user to type and write, read from README.md itself: the end-to-end tests
// run exactly this, so the README cannot drift from what works.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './build.js';

function readme(): string {
  return readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
}

/** The text under `heading` (a whole line, `## Install`), up to the next heading of any level. */
export function readmeSection(heading: string): string {
  const lines = readme().split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`README.md has no "${heading}" heading`);
  let end = start + 1;
  while (end < lines.length && !/^#+ /.test(lines[end]!)) end++;
  return lines.slice(start + 1, end).join('\n');
}

/** The code blocks of a section, in order, with their language. */
export function codeBlocks(section: string): { lang: string; code: string }[] {
  const blocks: { lang: string; code: string }[] = [];
  const fence = /^```(\w*)\n([\s\S]*?)^```$/gm;
  for (let match = fence.exec(section); match; match = fence.exec(section)) blocks.push({ lang: match[1]!, code: match[2]! });
  return blocks;
}

/** The only code block of `lang` in the section under `heading`. */
export function readmeBlock(heading: string, lang: string): string {
  const blocks = codeBlocks(readmeSection(heading)).filter((block) => block.lang === lang);
  if (blocks.length !== 1) throw new Error(`README.md "${heading}": expected one \`\`\`${lang} block, found ${blocks.length}`);
  return blocks[0]!.code;
}

/** The commands of a shell block: one per line, `# comments` and blank lines left out, split into words. */
export function shellCommands(block: string): string[][] {
  return block
    .split('\n')
    .map((line) => line.replace(/\s#.*$/, '').trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split(/\s+/));
}

/** The packages of the README's `npm install --save-dev …` line. */
export function readmeInstallPackages(): string[] {
  const commands = shellCommands(readmeBlock('## Install', 'sh'));
  const install = commands.find(([npm, verb]) => npm === 'npm' && verb === 'install');
  if (!install) throw new Error('README.md "## Install": no `npm install` command');
  return install.slice(2).filter((word) => !word.startsWith('-'));
}

/** The flat config the README's "Configure" section shows, verbatim. */
export function readmeFlatConfig(): string {
  return readmeBlock('## Configure', 'js');
}
