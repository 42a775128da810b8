// docs/ci.md's `eslint --cache` caveat, shown with the real binary: a file whose own text did not
// change keeps its cached results, even when a helper it imports from another file stops
// releasing the connection.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserProject, type UserProject } from './user-project.js';

const db = `import type { PoolClient } from 'pg';

export function giveBack(client: PoolClient): void {
  client.release();
}
`;

const jobs = `import pg from 'pg';
import { giveBack } from './db.js';

export async function runJob(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT 1');
  } finally {
    giveBack(client);
  }
}
`;

describe('eslint --cache with rules that read other files (docs/ci.md)', () => {
  let project: UserProject;

  beforeAll(async () => {
    project = await createUserProject({ 'src/db.ts': db, 'src/jobs.ts': jobs });
  });

  afterAll(() => project?.remove());

  it('keeps a stale result for a file whose helper changed; without --cache the leak is found', async () => {
    const first = await project.run(['npx', 'eslint', '--cache', '.']);
    expect(first.code, first.stdout + first.stderr).toBe(0);

    // giveBack() no longer releases: runJob now leaks, though src/jobs.ts did not change.
    writeFileSync(path.join(project.dir, 'src/db.ts'), db.replace('  client.release();\n', ''));

    const cached = await project.run(['npx', 'eslint', '--cache', '.']);
    expect(cached.code, cached.stdout + cached.stderr).toBe(0);
    expect(cached.stdout).toBe('');

    const uncached = await project.run(['npx', 'eslint', '.']);
    expect(uncached.code, uncached.stdout + uncached.stderr).toBe(1);
    expect(uncached.stdout).toMatch(/src\/jobs\.ts\n\s+5:24\s+error\s+The pg connection from `pool\.connect\(\)` is not released/);
  });
});
