import pg from 'pg';
import { expect, inject, it } from 'vitest';

it('fails on purpose, after using the integration services', async () => {
  const client = new pg.Client({ connectionString: inject('databaseUrl') });
  await client.connect();
  const { rows } = await client.query<{ one: number }>('select 1 as one');
  await client.end();
  expect(rows[0].one).toBe(2);
});
