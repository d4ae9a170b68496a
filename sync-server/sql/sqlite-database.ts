import Database from 'better-sqlite3';
import type { SqlDatabase, SqlExecutor, SqlValue } from './sql-database';

/**
 * better-sqlite3 behind the async interface. Its calls are synchronous, but a transaction's body
 * awaits, so another request's statement could slip into an open transaction on the one
 * connection: every statement and transaction waits its turn in one queue.
 */
export class SqliteDatabase implements SqlDatabase {
  readonly dialect = 'sqlite' as const;
  private readonly db: Database.Database;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // An acknowledged change is deleted from the counter's outbox: it must survive a power cut here.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 10000');
  }

  private readonly statements = new Map<string, Database.Statement>();

  /** The same few statements run for every request: compile each once. */
  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Statements on the connection, for use only while holding the queue. */
  private readonly executor: SqlExecutor = {
    all: async <T>(sql: string, params: readonly SqlValue[] = []) => this.statement(sql).all(...params) as T[],
    get: async <T>(sql: string, params: readonly SqlValue[] = []) =>
      this.statement(sql).get(...params) as T | undefined,
    run: async (sql: string, params: readonly SqlValue[] = []) => this.statement(sql).run(...params).changes,
    exec: async (script: string) => {
      this.db.exec(script);
    },
  };

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.enqueue(() => this.executor.all<T>(sql, params));
  }

  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.enqueue(() => this.executor.get<T>(sql, params));
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.enqueue(() => this.executor.run(sql, params));
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.enqueue(async () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const value = await fn(this.executor);
        this.db.exec('COMMIT');
        return value;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  exec(script: string): Promise<void> {
    return this.enqueue(() => this.executor.exec(script));
  }

  async close(): Promise<void> {
    await this.queue;
    this.db.close();
  }
}
