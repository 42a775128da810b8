// The handler of the postmortem, as it was written: the client goes back to the pool on the
// line after the query, so a query that throws (a deadlock, a statement timeout) leaks it. The
// lint rule no-leaked-connection reports this acquisition; postmortem.test.ts shows what the
// runtime companion says about it when it leaks under load.
import type pg from 'pg';

export async function recordLogin(pool: pg.Pool, userId: number): Promise<void> {
  const client = await pool.connect(); // SITE:recordLogin
  await client.query('UPDATE users SET last_login = now() WHERE id = $1', [userId]);
  client.release();
}

/** A handler written correctly, sharing the pool: it never shows among the holders. */
export async function healthCheck(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT 1');
  } finally {
    client.release();
  }
}
