/**
 * A PostgreSQL of its own for each test file. `.ci/run` creates one database per run and exports
 * `TEST_DATABASE_URL` (and `REQUIRE_POSTGRES=1`): each file gets a fresh schema in it. Without it,
 * the local server (`PGHOST`/`PGPORT`, default 127.0.0.1:5432, user postgres) gets a fresh database
 * per file. Either is dropped after. When no server answers, the PostgreSQL tests are skipped with
 * one line saying so, unless `REQUIRE_POSTGRES=1`, which makes that a failure.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

export interface TestPostgres {
  /** A URL whose connections see only this file's schema or database. */
  url: string;
  /** The pg-boss schema to use with `url` (unique to this file). */
  bossSchema: string;
  drop(): Promise<void>;
}

const LOCAL = `postgres://${process.env.PGUSER ?? 'postgres'}@${process.env.PGHOST ?? '127.0.0.1'}:${process.env.PGPORT ?? '5432'}/postgres`;

async function connect(url: string): Promise<pg.Client | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return client;
  } catch (error) {
    if (process.env.REQUIRE_POSTGRES === '1') throw new Error(`PostgreSQL is required (REQUIRE_POSTGRES=1) but ${url} does not answer: ${(error as Error).message}`);
    return null;
  }
}

/**
 * Said once per test run, not once per file: the files run in forks of one vitest process, so the
 * first to create this marker (named by that process) prints the line.
 */
function warnOnce(line: string): void {
  try {
    closeSync(openSync(join(tmpdir(), `quzhou-no-postgres-${process.ppid}`), 'wx'));
  } catch {
    return;
  }
  console.log(line);
}

/** A fresh schema or database, or null (and one printed line) when there is no PostgreSQL. */
export async function openTestPostgres(): Promise<TestPostgres | null> {
  const name = `qz_${randomBytes(6).toString('hex')}`;
  const base = process.env.TEST_DATABASE_URL;
  const admin = await connect(base ?? LOCAL);
  if (!admin) {
    warnOnce(`PostgreSQL not reachable at ${LOCAL}: the PostgreSQL tests are skipped (set TEST_DATABASE_URL, or run .ci/run).`);
    return null;
  }
  if (base) {
    await admin.query(`CREATE SCHEMA ${name}`);
    await admin.end();
    const url = new URL(base);
    url.searchParams.set('options', `-c search_path=${name}`);
    return {
      url: url.toString(),
      bossSchema: `${name}_boss`,
      async drop() {
        const c = new pg.Client({ connectionString: base });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
        await c.query(`DROP SCHEMA IF EXISTS ${name}_boss CASCADE`);
        await c.end();
      },
    };
  }
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(LOCAL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    bossSchema: 'pgboss',
    async drop() {
      const c = new pg.Client({ connectionString: LOCAL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * This file's PostgreSQL for its tests: opened before them, dropped after; `current()` is null when
 * there is none (the tests skip).
 * @example const postgres = useTestPostgres(); beforeEach((c) => { if (!postgres.current()) c.skip(); });
 */
export function useTestPostgres(): { current(): TestPostgres | null } {
  let postgres: TestPostgres | null = null;
  beforeAll(async () => {
    postgres = await openTestPostgres();
  }, 30_000);
  afterAll(async () => {
    await postgres?.drop();
  });
  return { current: () => postgres };
}
