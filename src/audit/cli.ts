#!/usr/bin/env node
/**
 * `connection-leaks`: the whole-codebase audit will live here (ts-morph front end over the same
 * engine). Until it does, the command says so plainly instead of pretending to audit.
 */
const [command] = process.argv.slice(2);
process.stderr.write(
  `connection-leaks: ${command ? `'${command}' is` : 'the audit is'} not available in this version yet; ` +
    'lint with the ESLint plugin (configs.recommended) in the meantime.\n',
);
process.exitCode = 2;
