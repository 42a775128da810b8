/**
 * The audit command's first import (see cli.ts): a TypeScript without the compiler API is a setup
 * mistake, printed as one line with exit code 2 before any module that reads syntax trees loads.
 */
import { typescriptProblem } from '../typescriptSupport.js';

const problem = typescriptProblem();
if (problem) {
  process.stderr.write(`connection-leaks: ${problem}\n`);
  process.exit(2);
}
