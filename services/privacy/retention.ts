import type { Config } from "@/config.ts";
import type { Db } from "@/db/types.ts";
import { log } from "@/log.ts";
import { maintainPartitions } from "./partitions.ts";

export type RetentionConfig = Config["retention"];

export interface RetentionResult {
  /** Login-code rows deleted (phone, network address, device signal with them). */
  otpRequestsDeleted: number;
  /** Sessions whose network address and browser were dropped. */
  sessionsScrubbed: number;
  /** Refresh tokens (hashes) expired long ago, deleted. */
  refreshTokensDeleted: number;
  /** Sessions ended long ago (revoked, or every token expired), deleted. */
  sessionsDeleted: number;
  /** Message rows whose text was removed (the row and its status stay). */
  messageBodiesCleared: number;
  /** Accounts created by a login request whose code was never used. */
  abandonedSignupsDeleted: number;
}

const DAY_MS = 86_400_000;

/**
 * Enforces the retention periods at `now` (docs/privacy.md):
 * - login codes (phone, request IP, device signal) older than `otpDays` are deleted, and so are
 *   accounts created by a login request that was never completed (no session, no booking, no
 *   other role) older than that;
 * - sessions unused for `otpDays` lose their IP and browser; refresh tokens expired and sessions
 *   ended more than `otpDays` ago are deleted;
 * - messages older than `messageBodyDays` lose their rendered text and provider error (the row,
 *   its status and times stay, as the record that the message was sent). Messages still waiting
 *   to be sent are left alone.
 * Audit rows (booking and review history, consents) are never touched. Idempotent; each step is
 * its own short statement, so it never holds locks for long.
 */
export async function runRetention(
  db: Db,
  now: Date,
  config: Pick<RetentionConfig, "otpDays" | "messageBodyDays">,
): Promise<RetentionResult> {
  const otpCutoff = new Date(now.getTime() - config.otpDays * DAY_MS);
  const messageCutoff = new Date(now.getTime() - config.messageBodyDays * DAY_MS);
  const count = async (sql: string, params: unknown[]) =>
    (await db.query<{ n: number }>(
      `WITH done AS (${sql} RETURNING 1) SELECT count(*)::int AS n
      FROM done`,
      params,
    ))[0].n;

  const otpRequestsDeleted = await count(
    "DELETE FROM otp_requests WHERE created_at < $1",
    [otpCutoff],
  );
  const sessionsScrubbed = await count(
    `UPDATE sessions SET ip = NULL, user_agent = ''
     WHERE last_used_at < $1 AND (ip IS NOT NULL OR user_agent <> '')`,
    [otpCutoff],
  );
  const refreshTokensDeleted = await count(
    "DELETE FROM refresh_tokens WHERE expires_at < $1",
    [otpCutoff],
  );
  const sessionsDeleted = await count(
    `DELETE FROM sessions s
     WHERE (s.revoked_at IS NOT NULL AND s.revoked_at < $1)
        OR (s.last_used_at < $1 AND NOT EXISTS (
              SELECT 1 FROM refresh_tokens t WHERE t.session_id = s.id AND t.expires_at >= $1))`,
    [otpCutoff],
  );
  const messageBodiesCleared = await count(
    `UPDATE messages SET body = NULL, last_error = NULL
     WHERE created_at < $1 AND (body IS NOT NULL OR last_error IS NOT NULL)
       AND status IN ('sent', 'dead', 'cancelled')`,
    [messageCutoff],
  );
  const abandonedSignupsDeleted = await count(
    `DELETE FROM users u
     WHERE NOT u.is_phone_verified AND NOT u.is_admin AND u.deleted_at IS NULL
       AND u.created_at < $1
       AND NOT EXISTS (SELECT 1 FROM sessions WHERE user_id = u.id)
       AND NOT EXISTS (SELECT 1 FROM bookings WHERE customer_id = u.id)
       AND NOT EXISTS (SELECT 1 FROM salon_memberships WHERE user_id = u.id)
       AND NOT EXISTS (SELECT 1 FROM staff WHERE user_id = u.id)
       AND NOT EXISTS (SELECT 1 FROM messages WHERE recipient_user_id = u.id)
       AND NOT EXISTS (SELECT 1 FROM otp_requests WHERE user_id = u.id OR phone_number = u.phone_number)`,
    [otpCutoff],
  );
  return {
    otpRequestsDeleted,
    sessionsScrubbed,
    refreshTokensDeleted,
    sessionsDeleted,
    messageBodiesCleared,
    abandonedSignupsDeleted,
  };
}

/**
 * Runs `runRetention` if it is due: the instance that moves the job's `last_started_at` forward by
 * at least `intervalMs` runs it, so however many instances schedule it, it runs once per interval.
 * Returns the result, or null when it was not due.
 */
export async function runRetentionIfDue(
  db: Db,
  now: Date,
  config: RetentionConfig,
): Promise<RetentionResult | null> {
  const claimed = await db.query(
    `UPDATE scheduled_jobs SET last_started_at = $2
     WHERE name = $1 AND (last_started_at IS NULL OR last_started_at <= $3)
     RETURNING name`,
    ["retention", now, new Date(now.getTime() - config.intervalMs)],
  );
  if (claimed.length === 0) return null;
  const result = await runRetention(db, now, config);
  const partitions = await maintainPartitions(db, now, config);
  await db.query(
    "UPDATE scheduled_jobs SET last_finished_at = $2, last_result = $3 WHERE name = $1",
    ["retention", now, result],
  );
  log.info("retention.done", { ...result, partitions });
  return result;
}

export interface RunningJob {
  stop(): Promise<void>;
}

/**
 * Schedules the retention job inside the server: checks every `checkMs` (default: an hour, and
 * once shortly after start) whether a run is due. Errors are logged and retried at the next check.
 */
export function startRetentionJob(
  db: Db,
  config: RetentionConfig,
  options: { now?: () => Date; checkMs?: number; firstCheckMs?: number } = {},
): RunningJob {
  const now = options.now ?? (() => new Date());
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    running = runRetentionIfDue(db, now(), config).catch((err) => {
      log.error("retention.failed", { reason: err instanceof Error ? err.message : String(err) });
    });
  };
  const first = setTimeout(tick, options.firstCheckMs ?? 30_000);
  const every = setInterval(tick, options.checkMs ?? Math.min(config.intervalMs, 3_600_000));
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(every);
      await running;
    },
  };
}
