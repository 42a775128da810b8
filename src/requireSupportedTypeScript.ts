/**
 * The plugin's first import (see src/index.ts): refuses a TypeScript without the compiler API
 * before any rule module is evaluated, with one line that says what to install.
 */
import { typescriptProblem, UnsupportedTypeScriptError } from './typescriptSupport.js';

const problem = typescriptProblem();
if (problem) throw new UnsupportedTypeScriptError(`eslint-plugin-connection-leaks: ${problem}`);
