import postgres from "postgres";
import { compileTemplate, type Db, SessionUnavailableError, toDbError, type Tx } from "./types.ts";

type Sql = postgres.Sql<Record<string, never>>;
type TxSql = postgres.TransactionSql<Record<string, never>>;
type ReservedSql = postgres.ReservedSql<Record<string, never>>;

const TYPES = {
  int8: { to: 20, from: [20], parse: Number, serialize: String },
  numeric: { to: 1700, from: [1700], parse: Number, serialize: String },
  date: { to: 1082, from: [1082], parse: (v: string) => v, serialize: (v: unknown) => String(v) },
};

async function run<T>(
  sql: Sql | TxSql | ReservedSql,
  text: string,
  params?: readonly unknown[],
): Promise<T[]> {
  try {
    // Sent now (not when awaited), so statements issued one after another without waiting go
    // out in that order, pipelined on a transaction's connection.
    const rows = await sql.unsafe(text, (params ?? []) as postgres.ParameterOrJSON<never>[])
      .execute();
    // postgres.js returns an Array subclass with metadata; both back ends hand out plain arrays.
    return Array.from(rows) as unknown as T[];
  } catch (err) {
    throw toDbError(err);
  }
}

async function runScript(sql: Sql | TxSql | ReservedSql, script: string): Promise<void> {
  try {
    await sql.unsafe(script);
  } catch (err) {
    throw toDbError(err);
  }
}

/** A transaction's statements on its reserved connection; nested use runs as a savepoint. */
function makeTx(conn: ReservedSql, depth: number): Tx {
  return {
    query: (text, params) => run(conn, text, params),
    exec: (script) => runScript(conn, script),
    sql(strings, ...values) {
      const { text, params } = compileTemplate(strings, values);
      return run(conn, text, params);
    },
    async transaction(fn) {
      const name = `sp_${depth}`;
      await run(conn, `SAVEPOINT ${name}`);
      try {
        const result = await fn(makeTx(conn, depth + 1));
        await run(conn, `RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (err) {
        await run(conn, `ROLLBACK TO SAVEPOINT ${name}`);
        throw err;
      }
    },
  };
}

/**
 * BEGIN … COMMIT on one reserved connection, with BEGIN sent together with the transaction's
 * first statement instead of on a round trip of its own (nothing depends on its answer; should
 * it fail, the first statement fails too and the COMMIT below is never reached).
 */
async function inTransaction<T>(sql: Sql, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const conn = await sql.reserve() as ReservedSql;
  try {
    const begun = run(conn, "BEGIN");
    begun.catch(() => {});
    let result: T;
    try {
      result = await fn(makeTx(conn, 0));
      await begun;
      await run(conn, "COMMIT");
    } catch (err) {
      // A broken connection has no transaction left to roll back.
      await run(conn, "ROLLBACK").catch(() => {});
      throw err;
    }
    return result;
  } finally {
    conn.release();
  }
}

export interface PostgresOptions {
  max?: number;
  /**
   * `url` is a transaction-pooling pooler (PgBouncer, Supavisor, Neon's pooler): no named
   * prepared statements (a later transaction may run on another server connection), and LISTEN,
   * which needs a session of its own, goes to `directUrl` or is unavailable.
   */
  pooled?: boolean;
  /** A connection straight to the server, for what needs a session (LISTEN). */
  directUrl?: string;
}

const sessionOptions = {
  types: TYPES,
  onnotice: () => {},
  connection: { application_name: "salon" },
};

/** A pool on a Postgres server; each transaction holds one connection from BEGIN to COMMIT. */
export function openPostgres(url: string, options: PostgresOptions = {}): Db {
  const pooled = options.pooled ?? false;
  const sql = postgres(url, {
    max: options.max ?? 10,
    prepare: !pooled,
    ...sessionOptions,
  }) as unknown as Sql;
  // postgres.js listens on a connection of its own; through a pooler that must be a direct one.
  const listenUrl = options.directUrl ?? (pooled ? undefined : url);
  let direct: Sql | undefined;
  const listener = () => {
    if (listenUrl === url) return sql;
    direct ??= postgres(listenUrl!, { max: 1, ...sessionOptions }) as unknown as Sql;
    return direct;
  };
  return {
    kind: "postgres",
    query: (text, params) => run(sql, text, params),
    sql(strings, ...values) {
      const { text, params } = compileTemplate(strings, values);
      return run(sql, text, params);
    },
    pipelinesBegin: true,
    transaction: (fn) => inTransaction(sql, fn),
    exec: (script) => runScript(sql, script),
    // postgres.js listens again after a reconnect.
    async listen(channel, onNotify, onListen) {
      if (!listenUrl) throw new SessionUnavailableError();
      const { unlisten } = await listener().listen(channel, onNotify, onListen);
      return unlisten;
    },
    async close() {
      await Promise.all([sql.end({ timeout: 5 }), direct?.end({ timeout: 5 })]);
    },
  };
}
