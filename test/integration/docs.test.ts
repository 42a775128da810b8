import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

/** What a user reads about each rule must match what the rule is: its page, the README's table, its docs URL. */
describe.each(Object.entries(plugin.rules))('docs of %s', (name, rule) => {
  const page = readFileSync(path.join(root, 'docs/rules', `${name}.md`), 'utf8');
  const description = rule.meta.docs?.description ?? '';

  it('has a page titled with the rule description and its name', () => {
    expect(page.split('\n')[0]).toBe(`# ${description} (\`connection-leaks/${name}\`)`);
  });

  it('has a row in the README rules table, with the same description', () => {
    const recommended = plugin.configs.recommended.rules?.[`connection-leaks/${name}`] ? '✅' : '';
    expect(readme).toContain(`| [${name}](docs/rules/${name}.md) | ${description} | ${recommended} | no | yes |`);
  });

  it('links to that page from the rule metadata', () => {
    expect(rule.meta.docs?.url).toBe(`https://github.com/eslint-plugin-connection-leaks/eslint-plugin-connection-leaks/blob/main/docs/rules/${name}.md`);
  });

  it('documents every message and every option', () => {
    for (const messageId of Object.keys(rule.meta.messages)) {
      if (messageId === 'analysisFailed') continue;
      expect(page, `message ${messageId}`).toContain(`\`${messageId}\``);
    }
    const options = (rule.meta.schema as readonly { properties?: Record<string, unknown> }[])[0]?.properties ?? {};
    for (const option of Object.keys(options)) expect(page, `option ${option}`).toContain(`\`${option}\``);
  });
});
