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

/** The package managers the README's Install section gives a command for, with that command's first two words. */
export const INSTALL_COMMANDS = { npm: ['npm', 'install'], pnpm: ['pnpm', 'add'], yarn: ['yarn', 'add'] } as const;

export type PackageManager = keyof typeof INSTALL_COMMANDS;

/** The README's install command for `manager`, word by word (`npm install --save-dev eslint … typescript@~6.0 …`). */
export function readmeInstallCommand(manager: PackageManager): string[] {
  const [tool, verb] = INSTALL_COMMANDS[manager];
  const command = shellCommands(readmeBlock('## Install', 'sh')).find((words) => words[0] === tool && words[1] === verb);
  if (!command) throw new Error(`README.md "## Install": no \`${tool} ${verb}\` command`);
  return command;
}

/** The name of the package a install argument names (`typescript@~6.0` → `typescript`, `@types/pg@8` → `@types/pg`). */
export function packageName(spec: string): string {
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  return at < 0 ? spec : spec.slice(0, at);
}

/** The packages of the README's `npm install --save-dev …` line, by name. */
export function readmeInstallPackages(): string[] {
  return readmeInstallCommand('npm')
    .slice(2)
    .filter((word) => !word.startsWith('-'))
    .map(packageName);
}

/** The flat config the README's "Configure" section shows, verbatim. */
export function readmeFlatConfig(): string {
  return readmeBlock('## Configure', 'js');
}
