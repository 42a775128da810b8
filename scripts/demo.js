// Lints the demo service in fixtures/demo with the built plugin, the way a user's `eslint .` would,
// and prints what it finds. Run with `npm run demo` (which builds first).
//
// Exit code: 0 when the lint ran (the demo service contains deliberate leaks, an unawaited query
// and an escape, so findings are expected); 1 when something crashed or nothing was found (that
// would mean the plugin is broken).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import connectionLeaks from '../dist/src/index.js';

const demoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/demo');

async function main() {
  const eslint = new ESLint({
    cwd: demoRoot,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: {
          parser: tseslint.parser,
          parserOptions: { projectService: true, tsconfigRootDir: demoRoot },
        },
      },
      connectionLeaks.configs.recommended,
    ],
  });

  const started = performance.now();
  const results = await eslint.lintFiles(['src/**/*.ts']);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);

  const formatter = await eslint.loadFormatter('stylish');
  const output = await formatter.format(results);
  if (output) console.log(output);

  const messages = results.flatMap((result) => result.messages);
  const fatal = messages.filter((message) => message.fatal === true || message.ruleId === null);
  const problems = messages.filter((message) => message.ruleId?.startsWith('connection-leaks/') && message.messageId !== 'missingTypeInformation');
  const filesWithProblems = new Set(results.filter((result) => result.messages.some((message) => problems.includes(message))).map((result) => result.filePath));
  const byRule = Object.keys(connectionLeaks.rules)
    .map((rule) => [rule, problems.filter((message) => message.ruleId === `connection-leaks/${rule}`).length])
    .map(([rule, count]) => `${count} ${rule}`)
    .join(', ');

  console.log(
    `connection-leaks demo: ${problems.length} problem${problems.length === 1 ? '' : 's'} (${byRule}) found in ${filesWithProblems.size} of ${results.length} files (fixtures/demo/src) in ${seconds}s.`,
  );

  if (fatal.length > 0) {
    console.error(`connection-leaks demo: ${fatal.length} file${fatal.length === 1 ? '' : 's'} could not be linted (see the fatal errors above).`);
    return 1;
  }
  if (problems.length === 0) {
    console.error('connection-leaks demo: nothing found, but the demo service contains deliberate leaks: the plugin is broken.');
    return 1;
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error('connection-leaks demo crashed:');
    console.error(error);
    process.exitCode = 1;
  },
);
