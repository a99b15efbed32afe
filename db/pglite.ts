import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { compileTemplate, type Db, toDbError, type Tx } from "./types.ts";

const PARSERS = {
  1082: (value: string) => value, // date stays "YYYY-MM-DD"
  1700: (value: string) => Number(value), // numeric
};

/** A FIFO lock: PGlite has one connection, so every statement and transaction takes turns. */
class Mutex {
  #tail: Promise<void> = Promise.resolve();
  async run<T>(fn: () => Promise<T>): Promise<T> {
    let release!: () => void;
    const previous = this.#tail;
    this.#tail = new Promise((resolve) => (release = resolve));
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

type Raw = Pick<PGlite, "query" | "exec">;

async function rawExec(pg: Raw, script: string): Promise<void> {
  try {
    await pg.exec(script);
  } catch (err) {
    throw toDbError(err);
  }
}

async function rawQuery<T>(pg: Raw, text: string, params?: readonly unknown[]): Promise<T[]> {
  try {
    const result = await pg.query<T>(text, params as unknown[] | undefined);
    return result.rows;
  } catch (err) {
    throw toDbError(err);
  }
}

function makeTx(pg: PGlite, depth: number): Tx {
  const tx: Tx = {
    query: (text, params) => rawQuery(pg, text, params),
    sql: (strings, ...values) => {
      const { text, params } = compileTemplate(strings, values);
      return rawQuery(pg, text, params);
    },
    exec: (script) => rawExec(pg, script),
    async transaction(fn) {
      const name = `sp_${depth}`;
      await rawQuery(pg, `SAVEPOINT ${name}`);
      try {
        const result = await fn(makeTx(pg, depth + 1));
        await rawQuery(pg, `RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (err) {
        await rawQuery(pg, `ROLLBACK TO SAVEPOINT ${name}`);
        throw err;
      }
    },
  };
  return tx;
}

export interface PgliteDb extends Db {
  /** A snapshot of the database files, to start later databases from (tests). */
  dump(): Promise<Blob>;
  /** Whether anything still listens, or the database was closed (a test may reuse it if neither). */
  inUse(): boolean;
}

/** Opens PGlite in `dir` ("memory" for in-memory) with btree_gist and pg_trgm available. */
export async function openPglite(dir: string, loadDataDir?: Blob): Promise<PgliteDb> {
  if (dir !== "memory") await Deno.mkdir(dir, { recursive: true });
  const pg = new PGlite({
    dataDir: dir === "memory" ? undefined : dir,
    extensions: { btree_gist, pg_trgm },
    parsers: PARSERS,
    loadDataDir,
  });
  await pg.waitReady;
  const lock = new Mutex();
  let listeners = 0;
  let closed = false;
  return {
    kind: "pglite",
    pipelinesBegin: true,
    query: (text, params) => lock.run(() => rawQuery(pg, text, params)),
    sql(strings, ...values) {
      const { text, params } = compileTemplate(strings, values);
      return lock.run(() => rawQuery(pg, text, params));
    },
    transaction: (fn) =>
      lock.run(async () => {
        // Queued ahead of the first statement rather than waited for (as on a server, where it
        // travels with it).
        const begun = rawQuery(pg, "BEGIN");
        begun.catch(() => {});
        try {
          const result = await fn(makeTx(pg, 0));
          await begun;
          await rawQuery(pg, "COMMIT");
          return result;
        } catch (err) {
          await rawQuery(pg, "ROLLBACK");
          throw err;
        }
      }),
    exec: (script) => lock.run(() => rawExec(pg, script)),
    async listen(channel, onNotify, onListen) {
      const stop = await lock.run(() => pg.listen(channel, onNotify));
      listeners++;
      onListen?.();
      let stopped = false;
      return () =>
        lock.run(async () => {
          if (stopped) return;
          stopped = true;
          listeners--;
          await stop();
        });
    },
    dump: () => lock.run(async () => (await pg.dumpDataDir("none")) as Blob),
    inUse: () => closed || listeners > 0,
    close: () =>
      lock.run(() => {
        closed = true;
        return pg.close();
      }),
  };
}
