import type { Db } from "@/db/types.ts";
import { log } from "@/log.ts";
import { enqueueMessage } from "./enqueue.ts";
import { isRetryable, type MessageChannelProvider } from "./providers.ts";
import { renderMessage, type TemplateKey } from "./templates.ts";
import type { Channel, MessageRow } from "./types.ts";

export interface WorkerDeps {
  provider: MessageChannelProvider;
  now: () => Date;
  /** The site's public origin, for links in messages. */
  publicUrl: string;
  /** Names this worker in `locked_by`; default: a random id per call of startWorker. */
  workerId?: string;
  /** Jitter source in [0, 1); tests inject a fixed one. */
  random?: () => number;
  /** Messages claimed per round (default 20). */
  batchSize?: number;
  /** How long a claim lasts; past it, a crashed worker's message is claimable again (60 s). */
  leaseMs?: number;
  /** Backoff: base × 2^(attempt−1), capped, with "equal jitter" (half fixed, half random). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /**
   * Runs before each round (the server's or `deno task worker`'s loop): jobs that cause messages,
   * such as expiring lapsed holds, so they run wherever messages are delivered.
   */
  beforeRound?: (now: Date) => Promise<unknown>;
}

export interface WorkerRound {
  claimed: number;
  sent: number;
  failed: number;
  dead: number;
  cancelled: number;
  /** Claimed but handed back unsent because the worker is stopping. */
  released: number;
}

const DEFAULTS = { batchSize: 20, leaseMs: 60_000, retryBaseMs: 30_000, retryMaxMs: 3_600_000 };

/** The wait before the next attempt after `attempts` failed ones. */
export function backoffMs(
  attempts: number,
  random: () => number,
  baseMs = DEFAULTS.retryBaseMs,
  maxMs = DEFAULTS.retryMaxMs,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

const clip = (
  text: string,
  max = 1000,
) => (text.length > max ? text.slice(0, max - 1) + "…" : text);
const errorText = (err: unknown) =>
  clip(err instanceof Error ? `${err.name}: ${err.message}` : String(err));

/**
 * Claims up to `batchSize` due messages (queued or failed with `run_at` passed, or `sending` with
 * a lapsed lease) with FOR UPDATE SKIP LOCKED in one short transaction: they become `sending`
 * under this worker's lease and their attempt count goes up. Concurrent workers never claim the
 * same message while its lease holds.
 */
export async function claimMessages(
  db: Db,
  workerId: string,
  now: Date,
  options: { batchSize?: number; leaseMs?: number } = {},
): Promise<MessageRow[]> {
  const leaseUntil = new Date(now.getTime() + (options.leaseMs ?? DEFAULTS.leaseMs));
  return await db.transaction((tx) =>
    tx.query<MessageRow>(
      `WITH due AS (
         SELECT id FROM messages
         WHERE (status IN ('queued', 'failed') AND run_at <= $1)
            OR (status = 'sending' AND locked_until <= $1)
         ORDER BY run_at, id
         LIMIT $2
         FOR UPDATE SKIP LOCKED
       )
       UPDATE messages m
       SET status = 'sending', attempts = m.attempts + 1, locked_by = $3, locked_until = $4,
         updated_at = $1
       FROM due WHERE m.id = due.id
       RETURNING m.*`,
      [now, options.batchSize ?? DEFAULTS.batchSize, workerId, leaseUntil],
    )
  );
}

/** Outcome of one claimed message, written in one short transaction guarded by our lease. */
async function finish(
  db: Db,
  msg: MessageRow,
  workerId: string,
  now: Date,
  change: {
    status: "sent" | "failed" | "dead" | "cancelled";
    channel?: Channel;
    body?: string | null;
    error?: string | null;
    runAt?: Date;
    provider?: string;
    providerMessageId?: string | null;
    /** Queue this SMS instead of the failed WhatsApp message, in the same transaction. */
    fallback?: boolean;
  },
): Promise<boolean> {
  return await db.transaction(async (tx) => {
    const rows = await tx.query<{ id: string }>(
      `UPDATE messages SET status = $3, channel = COALESCE($4, channel), body = COALESCE($5, body),
         last_error = $6, run_at = COALESCE($7, run_at), provider = COALESCE($8, provider),
         provider_message_id = COALESCE($9, provider_message_id),
         sent_at = CASE WHEN $3 = 'sent' THEN $10::timestamptz ELSE sent_at END,
         locked_by = NULL, locked_until = NULL, updated_at = $10
       WHERE id = $1 AND status = 'sending' AND locked_by = $2 AND attempts = $11
       RETURNING id`,
      [
        msg.id,
        workerId,
        change.status,
        change.channel ?? null,
        change.body ?? null,
        change.error ?? null,
        change.runAt ?? null,
        change.provider ?? null,
        change.providerMessageId ?? null,
        now,
        msg.attempts,
      ],
    );
    if (rows.length === 0) {
      // Our lease lapsed and another worker took the message over: it decides now.
      log.warn("message.lease_lost", { message_id: msg.id, worker: workerId });
      return false;
    }
    if (change.fallback) {
      await enqueueMessage(tx, {
        dedupeKey: msg.dedupe_key.replace(/:whatsapp$/, "") + ":sms",
        kind: msg.kind,
        bookingId: msg.booking_id,
        event: msg.event,
        recipient: {
          userId: msg.recipient_user_id,
          role: msg.recipient_role,
          phone: msg.recipient_phone,
          locale: msg.locale,
        },
        channel: "sms",
        template: msg.template as TemplateKey,
        params: msg.params,
        runAt: now,
        now,
        fallbackOf: msg.id,
      });
    }
    return true;
  });
}

/** Hands claimed messages back untouched (the worker is stopping): due again at once. */
async function release(db: Db, msgs: MessageRow[], workerId: string, now: Date): Promise<void> {
  if (msgs.length === 0) return;
  await db.query(
    `UPDATE messages SET status = CASE WHEN last_error IS NULL THEN 'queued' ELSE 'failed' END,
       attempts = attempts - 1, run_at = $3, locked_by = NULL, locked_until = NULL, updated_at = $3
     WHERE id = ANY($1::uuid[]) AND status = 'sending' AND locked_by = $2`,
    [msgs.map((m) => m.id), workerId, now],
  );
}

/**
 * Renews our lease on a message right before it is sent, so the send happens only while we hold
 * it: a message whose lease lapsed while earlier ones of the batch were being sent, and which
 * another worker has since claimed, is left to that worker (false).
 */
async function renewLease(
  db: Db,
  msg: MessageRow,
  workerId: string,
  now: Date,
  leaseMs: number,
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE messages SET locked_until = $4, updated_at = $3
     WHERE id = $1 AND status = 'sending' AND locked_by = $2 AND attempts = $5
     RETURNING id`,
    [msg.id, workerId, now, new Date(now.getTime() + leaseMs), msg.attempts],
  );
  return rows.length > 0;
}

/** Why a reminder should no longer go out, or null. Reads only basic booking columns. */
async function staleReminder(db: Db, msg: MessageRow, now: Date): Promise<string | null> {
  if (msg.kind !== "reminder" || !msg.booking_id) return null;
  const [booking] = await db.query<{ status: string; starts_at: Date }>(
    "SELECT status, starts_at FROM bookings WHERE id = $1",
    [msg.booking_id],
  );
  if (!booking) return "booking no longer exists";
  // Only a confirmed booking is reminded: a hold awaiting payment (lapsed or not) is not a visit.
  if (booking.status !== "confirmed") return `booking is ${booking.status}`;
  if (booking.starts_at.toISOString() !== new Date(msg.params.startsAt).toISOString()) {
    return "booking was moved";
  }
  if (booking.starts_at.getTime() <= now.getTime()) return "the appointment has started";
  return null;
}

async function deliver(
  db: Db,
  deps: WorkerDeps,
  msg: MessageRow,
  workerId: string,
  round: WorkerRound,
): Promise<void> {
  const now = deps.now();
  if (msg.attempts > msg.max_attempts) {
    // Claimed again after its last attempt's worker vanished mid-send: the outcome is unknown.
    await finish(db, msg, workerId, now, {
      status: "dead",
      error: clip(`${msg.last_error ?? ""} (worker lost during the last attempt)`.trim()),
      fallback: msg.channel === "whatsapp",
    });
    round.dead++;
    return;
  }
  if (!(await renewLease(db, msg, workerId, now, deps.leaseMs ?? DEFAULTS.leaseMs))) {
    log.info("message.lease_lost", { message_id: msg.id, worker: workerId });
    return;
  }
  const stale = await staleReminder(db, msg, now);
  if (stale) {
    await finish(db, msg, workerId, now, { status: "cancelled", error: `not sent: ${stale}` });
    round.cancelled++;
    return;
  }
  const body = renderMessage(msg.template as TemplateKey, msg.params, msg.locale, deps.publicUrl);
  // A provider without WhatsApp sends it as SMS on the same row (the row records the channel used).
  const channel: Channel = deps.provider.channels.includes(msg.channel) ? msg.channel : "sms";
  try {
    const result = await deps.provider.send({
      to: msg.recipient_phone,
      channel,
      body,
      idempotencyKey: msg.id,
    });
    const ok = await finish(db, msg, workerId, deps.now(), {
      status: "sent",
      channel,
      body,
      provider: deps.provider.name,
      providerMessageId: result.providerMessageId,
      error: channel !== msg.channel
        ? `${deps.provider.name} has no ${msg.channel}; sent by SMS`
        : null,
    });
    if (ok) round.sent++;
    log.info("message.delivered", {
      message_id: msg.id,
      channel,
      attempt: msg.attempts,
      provider: deps.provider.name,
    });
  } catch (err) {
    const error = errorText(err);
    const finishedAt = deps.now();
    const gaveUp = !isRetryable(err) || msg.attempts >= msg.max_attempts;
    if (gaveUp) {
      await finish(db, msg, workerId, finishedAt, {
        status: "dead",
        channel,
        body,
        error,
        provider: deps.provider.name,
        fallback: channel === "whatsapp",
      });
      round.dead++;
      log.warn("message.dead", { message_id: msg.id, channel, attempts: msg.attempts, error });
    } else {
      const delay = backoffMs(
        msg.attempts,
        deps.random ?? Math.random,
        deps.retryBaseMs,
        deps.retryMaxMs,
      );
      await finish(db, msg, workerId, finishedAt, {
        status: "failed",
        channel,
        body,
        error,
        provider: deps.provider.name,
        runAt: new Date(finishedAt.getTime() + delay),
      });
      round.failed++;
      log.info("message.retry", {
        message_id: msg.id,
        attempt: msg.attempts,
        delay_ms: delay,
        error,
      });
    }
  }
}

/**
 * One round: claims a batch (short transaction), then for each message renders it, calls the
 * provider outside any transaction and marks the outcome (another short transaction). Failures
 * are retried with exponential backoff and jitter until `max_attempts`, then the message is dead
 * with its last error; a dead WhatsApp message queues an SMS in its place. A crash between the
 * provider call and the mark leaves the message `sending` until its lease lapses, then it is sent
 * again with the same idempotency key (at least once; once with a provider that deduplicates).
 * When `signal` aborts, the message in hand is finished and the rest are handed back.
 */
export async function runWorkerOnce(
  db: Db,
  deps: WorkerDeps,
  options: { signal?: AbortSignal } = {},
): Promise<WorkerRound> {
  const workerId = deps.workerId ?? `worker-${crypto.randomUUID().slice(0, 8)}`;
  const round: WorkerRound = { claimed: 0, sent: 0, failed: 0, dead: 0, cancelled: 0, released: 0 };
  const claimed = await claimMessages(db, workerId, deps.now(), {
    batchSize: deps.batchSize,
    leaseMs: deps.leaseMs,
  });
  round.claimed = claimed.length;
  for (let i = 0; i < claimed.length; i++) {
    if (options.signal?.aborted) {
      const rest = claimed.slice(i);
      await release(db, rest, workerId, deps.now());
      round.released = rest.length;
      break;
    }
    await deliver(db, deps, claimed[i], workerId, round);
  }
  return round;
}

/**
 * Runs rounds until `signal` aborts: straight on while rounds come back full, otherwise every
 * `pollMs`. Resolves once the message in hand is finished (SIGTERM: stop after the current job).
 * A failing round (database down) is logged and retried after the poll interval.
 */
export async function startWorker(
  db: Db,
  deps: WorkerDeps,
  options: { signal: AbortSignal; pollMs?: number },
): Promise<void> {
  const workerDeps = { ...deps, workerId: deps.workerId ?? `worker-${crypto.randomUUID()}` };
  const pollMs = options.pollMs ?? 1000;
  const batchSize = deps.batchSize ?? DEFAULTS.batchSize;
  log.info("worker.started", { worker: workerDeps.workerId, poll_ms: pollMs });
  while (!options.signal.aborted) {
    let full = false;
    try {
      await workerDeps.beforeRound?.(workerDeps.now());
      const round = await runWorkerOnce(db, workerDeps, { signal: options.signal });
      full = round.claimed === batchSize;
    } catch (err) {
      log.error("worker.round_failed", { worker: workerDeps.workerId, error: errorText(err) });
    }
    if (!full) await sleep(pollMs, options.signal);
  }
  log.info("worker.stopped", { worker: workerDeps.workerId });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
