// Writes the configuration's JSON schema (built in src/config/schema.ts from typescript-eslint's
// type-specifier schema and the built-in preset names) to schema/resources.schema.json, the file
// users point their editor at. Run by `npm run build`, after tsc; a test checks the shipped file.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resourcesConfigSchema } from '../dist/src/config/schema.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = path.join(root, 'schema/resources.schema.json');
mkdirSync(path.dirname(file), { recursive: true });
writeFileSync(file, `${JSON.stringify(resourcesConfigSchema, null, 2)}\n`);
