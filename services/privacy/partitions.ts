import type { Queryable } from "@/db/types.ts";

/** Months created ahead of the current one, so rows never wait in a default partition. */
const MONTHS_AHEAD = 2;

export interface PartitionResult {
  /** Monthly partitions created (rows that waited in the default partition moved in). */
  created: number;
  /** Login-code months past retention, dropped (their rows were deleted by the job already). */
  dropped: string[];
}

/**
 * Keeps the tables partitioned by month (migration 0016) ready and small: every one gets its
 * partitions for this month and the next two; `otp_requests` months that ended more than
 * `otpDays` ago and hold no rows are dropped. The audit log keeps every month (docs/privacy.md).
 */
export async function maintainPartitions(
  db: Queryable,
  now: Date,
  config: { otpDays: number },
): Promise<PartitionResult> {
  const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const tables = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relname IN ('audit_log', 'otp_requests')
     ORDER BY c.relname`,
  );
  let created = 0;
  for (const { name } of tables) {
    const [row] = await db.query<{ n: number }>(
      "SELECT ensure_month_partitions($1, $2::date, $3) AS n",
      [name, month.toISOString().slice(0, 10), MONTHS_AHEAD + 1],
    );
    created += row.n;
  }
  const cutoff = new Date(now.getTime() - config.otpDays * 86_400_000);
  const months = await db.query<{ name: string; ends: Date }>(
    `SELECT c.relname AS name,
       (to_date(right(c.relname, 6), 'YYYYMM') + interval '1 month')::timestamptz AS ends
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'otp_requests'::regclass AND c.relname ~ '_p[0-9]{6}$'
     ORDER BY c.relname`,
  );
  const dropped: string[] = [];
  for (const { name, ends } of months) {
    if (ends > cutoff) continue;
    const [{ empty }] = await db.query<{ empty: boolean }>(
      `SELECT NOT EXISTS (SELECT 1 FROM ${name}) AS empty`,
    );
    if (!empty) continue;
    await db.query(`DROP TABLE ${name}`);
    dropped.push(name);
  }
  return { created, dropped };
}
