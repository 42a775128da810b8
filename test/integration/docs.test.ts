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
    const fixable = [rule.meta.fixable ? '🔧' : '', rule.meta.hasSuggestions ? '💡' : ''].filter(Boolean).join(' ') || 'no';
    expect(readme).toContain(`| [${name}](docs/rules/${name}.md) | ${description} | ${recommended} | ${fixable} | yes |`);
  });

  it('says in its header whether it fixes and suggests', () => {
    expect(page.includes('🔧 Automatically fixable by `eslint --fix`')).toBe(rule.meta.fixable !== undefined);
    expect(page.includes('💡 Some problems have editor suggestions')).toBe(rule.meta.hasSuggestions === true);
  });

  it('links to that page from the rule metadata', () => {
    expect(rule.meta.docs?.url).toBe(`https://github.com/eslint-plugin-connection-leaks/eslint-plugin-connection-leaks/blob/main/docs/rules/${name}.md`);
  });

  it('documents every message and every option', () => {
    for (const messageId of Object.keys(rule.meta.messages)) {
      // An engine failure asks for a bug report; a suggestion's message is the fix's own description.
      if (messageId === 'analysisFailed' || messageId === 'suggestion') continue;
      expect(page, `message ${messageId}`).toContain(`\`${messageId}\``);
    }
    const options = (rule.meta.schema as readonly { properties?: Record<string, unknown> }[])[0]?.properties ?? {};
    for (const option of Object.keys(options)) expect(page, `option ${option}`).toContain(`\`${option}\``);
  });
});
