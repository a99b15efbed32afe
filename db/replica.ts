import { log } from "@/log.ts";
import type { Db, Queryable } from "./types.ts";

/** How often the replica's replay lag is measured (at most; only while reads ask for it). */
const CHECK_EVERY_MS = 1000;

/**
 * A streaming read replica used only while it is healthy: reachable and replaying within
 * `maxLagMs`. Until the first check passes, when it is behind or unreachable, and for any read
 * that loses its connection, reads go to the primary: a stopped replica costs nothing but its load.
 */
export interface ReplicaReads {
  readonly maxLagMs: number;
  /** The replica when healthy, else the primary. Starts a lag check when the last one is old. */
  current(): Queryable;
  /** Measures the lag now (tests; the app checks in the background). */
  check(): Promise<boolean>;
  close(): Promise<void>;
}

/** SQLSTATE classes and driver codes that say the connection, not the query, failed. */
function lostConnection(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  if (typeof code !== "string") return false;
  if (!/^[0-9A-Z]{5}$/.test(code)) return true; // postgres.js: ECONNREFUSED, CONNECTION_CLOSED…
  // 08: connection exception; 57P0x: shutting down; 53300: too many connections;
  // 40001 on a standby: a query cancelled by a conflict with recovery.
  return code.startsWith("08") || code.startsWith("57P0") || code === "53300" ||
    code === "40001";
}

const LAG_SQL = `SELECT CASE
    WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()) * 1000, 'Infinity')
  END::float8 AS lag_ms`;

export function replicaReads(replica: Db, primary: Db, maxLagMs: number): ReplicaReads {
  let healthy = false;
  let checkedAt = Number.NEGATIVE_INFINITY;
  let checking: Promise<boolean> | undefined;

  const setHealthy = (next: boolean, detail: Record<string, unknown>) => {
    if (next !== healthy) log[next ? "info" : "warn"](`replica.${next ? "up" : "down"}`, detail);
    healthy = next;
  };

  const check = () =>
    checking ??= (async () => {
      try {
        const [{ lag_ms }] = await replica.query<{ lag_ms: number }>(LAG_SQL);
        setHealthy(lag_ms <= maxLagMs, { lag_ms });
      } catch (err) {
        setHealthy(false, { error: String(err) });
      } finally {
        checkedAt = performance.now();
        checking = undefined;
      }
      return healthy;
    })();

  /** Runs a read on the replica; a lost connection marks it down and reads the primary instead. */
  async function read<T>(run: (db: Queryable) => Promise<T>): Promise<T> {
    try {
      return await run(replica);
    } catch (err) {
      if (!lostConnection(err)) throw err;
      setHealthy(false, { error: String(err) });
      return await run(primary);
    }
  }

  const reads: Queryable = {
    query: (text, params) => read((db) => db.query(text, params)),
    sql: (strings, ...values) => read((db) => db.sql(strings, ...values)),
    exec: (script) => read((db) => db.exec(script)),
    transaction: (fn) => read((db) => db.transaction(fn)),
  };

  return {
    maxLagMs,
    current() {
      if (!checking && performance.now() - checkedAt >= CHECK_EVERY_MS) void check();
      return healthy ? reads : primary;
    },
    check,
    close: () => replica.close(),
  };
}
