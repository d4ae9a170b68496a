import pg from 'pg';
import type { SqlDatabase, SqlExecutor, SqlValue } from './sql-database';

/** `?` placeholders → `$1, $2, ...` (the statements here never hold a literal question mark). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

function executor(client: pg.Pool | pg.PoolClient): SqlExecutor {
  return {
    all: async <T>(sql: string, params: readonly SqlValue[] = []) =>
      (await client.query(numbered(sql), [...params])).rows as T[],
    get: async <T>(sql: string, params: readonly SqlValue[] = []) =>
      (await client.query(numbered(sql), [...params])).rows[0] as T | undefined,
    run: async (sql: string, params: readonly SqlValue[] = []) =>
      (await client.query(numbered(sql), [...params])).rowCount ?? 0,
    exec: async (script: string) => {
      // Without parameters pg uses the simple protocol, which takes several statements.
      await client.query(script);
    },
  };
}

/** PostgreSQL through a `pg` pool; every server instance holds its own pool, no other state. */
export class PostgresDatabase implements SqlDatabase {
  readonly dialect = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly direct: SqlExecutor;

  constructor(connectionString: string, options: { max?: number } = {}) {
    this.pool = new pg.Pool({ connectionString, max: options.max ?? 10, connectionTimeoutMillis: 10_000 });
    // An idle client losing its connection (a database restart) must not kill the server.
    this.pool.on('error', () => undefined);
    this.direct = executor(this.pool);
  }

  /** Fails fast when the database is unreachable. */
  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.direct.all<T>(sql, params);
  }

  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.direct.get<T>(sql, params);
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.direct.run(sql, params);
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const value = await fn(executor(client));
      await client.query('COMMIT');
      return value;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  exec(script: string): Promise<void> {
    return this.direct.exec(script);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
