// The code examples of docs/rules/*.md, read with what each claims about itself.
//
// Every fenced code block of a rule page is preceded by one or more markers, HTML comments that
// GitHub does not show:
//
//   <!-- example: invalid leaked -->                       the rule reports it, with that message id
//   <!-- example: valid -->                                no rule of the plugin reports it
//   <!-- example: fix leaked -->                           `// before` … `// after eslint --fix` …
//   <!-- example: suggestion leakedOnException -->         `// before` … `// after "<suggestion>"` …
//   <!-- example: none (a configuration fragment) -->      not a program: not linted, with the reason
//
// followed by `; context: <name>` (declarations appended after the example so that its own line
// numbers hold, pg's pool by default) and `; options: <JSON>` (the rule's options) when needed.
// An example of an invalid case followed by a blockquote quotes the rule's message: it must be
// the message word for word.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export type ExampleKind = 'invalid' | 'valid' | 'fix' | 'suggestion' | 'none';

export interface ExampleCheck {
  kind: ExampleKind;
  /** The message id an invalid, fix or suggestion example is reported with. */
  messageId?: string;
  /** The reason a `none` example is not linted. */
  reason?: string;
  context: string;
  options?: Record<string, unknown>;
}

export interface DocExample {
  /** `docs/rules/<rule>.md:<line of the opening fence>`. */
  where: string;
  rule: string;
  lang: string;
  code: string;
  checks: ExampleCheck[];
  /** The blockquote right after the example, its lines joined with spaces. */
  quote?: string;
}

const MARKER = /^<!-- example: (invalid|valid|fix|suggestion|none)\b(.*) -->$/;

function parseMarker(line: string, where: string): ExampleCheck | undefined {
  const match = MARKER.exec(line.trim());
  if (!match) {
    if (line.trim().startsWith('<!-- example')) throw new Error(`${where}: malformed example marker: ${line}`);
    return undefined;
  }
  const kind = match[1] as ExampleKind;
  const [head = '', ...fields] = match[2]!.split(';');
  const check: ExampleCheck = { kind, context: 'pg' };
  if (kind === 'none') {
    check.reason = head.trim().replace(/^\((.*)\)$/, '$1');
    if (!check.reason) throw new Error(`${where}: an example not linted must say why: <!-- example: none (reason) -->`);
    return check;
  }
  if (kind !== 'valid') {
    check.messageId = head.trim();
    if (!/^\w+$/.test(check.messageId)) throw new Error(`${where}: an ${kind} example must name its message id: ${line}`);
  } else if (head.trim()) {
    throw new Error(`${where}: a valid example names no message id: ${line}`);
  }
  for (const field of fields) {
    const colon = field.indexOf(':');
    const key = field.slice(0, colon).trim();
    const value = field.slice(colon + 1).trim();
    if (key === 'context') check.context = value;
    else if (key === 'options') check.options = JSON.parse(value) as Record<string, unknown>;
    else throw new Error(`${where}: unknown key "${key}" in example marker: ${line}`);
  }
  return check;
}

/** Every code block of a rule page, with its markers; throws on a code block without any. */
export function readDocExamples(docsDir: string, rule: string): DocExample[] {
  const lines = readFileSync(path.join(docsDir, `${rule}.md`), 'utf8').split('\n');
  const examples: DocExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(\w*)\s*$/.exec(lines[i]!);
    if (!fence) continue;
    const where = `docs/rules/${rule}.md:${i + 1}`;
    let end = i + 1;
    while (end < lines.length && !lines[end]!.startsWith('```')) end++;
    const checks: ExampleCheck[] = [];
    for (let m = i - 1; m >= 0; m--) {
      const check = parseMarker(lines[m]!, where);
      if (!check) break;
      checks.unshift(check);
    }
    if (checks.length === 0) {
      throw new Error(`${where}: a code example without a marker (<!-- example: invalid <messageId> --> or valid, fix, suggestion, none) on the line above`);
    }
    let next = end + 1;
    while (next < lines.length && lines[next]!.trim() === '') next++;
    const quoted: string[] = [];
    for (; next < lines.length && lines[next]!.startsWith('>'); next++) quoted.push(lines[next]!.replace(/^>\s?/, '').trim());
    examples.push({
      where,
      rule,
      lang: fence[1] ?? '',
      code: `${lines.slice(i + 1, end).join('\n')}\n`,
      checks,
      ...(quoted.length > 0 ? { quote: quoted.join(' ') } : {}),
    });
    i = end;
  }
  return examples;
}

/**
 * A before/after example: the code after `// before` and the code after `// after …`, each
 * without its comment line, and what the `// after` line says (`eslint --fix` or a quoted
 * suggestion).
 */
export function splitBeforeAfter(example: DocExample): { before: string; after: string; how: string } {
  const lines = example.code.split('\n');
  const afterAt = lines.findIndex((line) => line.startsWith('// after'));
  if (lines[0] !== '// before' || afterAt < 0) throw new Error(`${example.where}: a fix example is \`// before\` … \`// after …\``);
  const before = `${lines.slice(1, afterAt).join('\n').trimEnd()}\n`;
  const after = `${lines.slice(afterAt + 1).join('\n').trimEnd()}\n`;
  const how = lines[afterAt]!.replace(/^\/\/ after\s*/, '');
  return { before, after, how: /^".*"$/.test(how) ? how.slice(1, -1) : how };
}

const pg = `import { Pool, type PoolClient } from 'pg';
declare const pool: Pool;
interface Account { id: string; balance: number }
interface Row { id: string; name: string }`;

/**
 * What an example may use without declaring it, by the name its marker gives (`; context: …`).
 * Appended after the example, so that the lines its messages name are its own.
 */
export const contexts: Record<string, string> = {
  /** A pg pool, `PoolClient`, and the row types the examples use. */
  pg,
  /** …and `id`, for a fragment that is not a function. */
  'pg-fragment': `${pg}\ndeclare const id: string;`,
  /** …and an outer variable that a helper stores a client in. */
  'pg-shared': `${pg}\nlet shared: PoolClient | undefined;`,
  /** …and a helper that lends a client to a callback and releases it. */
  'pg-lender': `${pg}
async function withClient<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await work(client);
  } finally {
    client.release();
  }
}`,
  /** …and a web framework's app whose requests carry a client. */
  'pg-app': `${pg}
interface AppRequest { db?: PoolClient }
interface AppResponse { on(event: 'close' | 'finish', listener: () => void): void }
declare const app: { use(handler: (req: AppRequest, res: AppResponse, next: () => void) => Promise<void>): void };`,
  /** A mysql2 pool of the promise API (\`mysql\` is \`mysql2/promise\`). */
  mysql2: `import mysql from 'mysql2/promise';
declare const pool: mysql.Pool;`,
  /** Only the row type: the example declares its own pool. */
  accounts: 'interface Account { id: string; balance: number }',
};
