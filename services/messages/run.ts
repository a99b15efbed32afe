import type { Config } from "@/config.ts";
import type { Db } from "@/db/types.ts";
import { expireLapsedHolds } from "@/services/bookings/expire.ts";
import { offerFreedTimes } from "@/services/waitlist/offer.ts";
import { createMessageProvider, type MessageChannelProvider } from "./providers.ts";
import { startWorker, type WorkerDeps } from "./worker.ts";

/** Worker dependencies from the configuration (real clock, the configured provider). */
export function workerDepsFromConfig(
  config: Pick<Config, "notifications" | "publicUrl" | "port">,
  provider: MessageChannelProvider = createMessageProvider(config),
): WorkerDeps {
  const n = config.notifications;
  return {
    provider,
    now: () => new Date(),
    publicUrl: config.publicUrl ?? `http://localhost:${config.port}`,
    batchSize: n.batchSize,
    leaseMs: n.leaseMs,
    retryBaseMs: n.retryBaseMs,
  };
}

export interface RunningWorker {
  /** Stops after the message in hand; resolves when the loop has ended. */
  stop(): Promise<void>;
}

/**
 * Starts the outbox worker loop (inside the server, or in `deno task worker`); each round first
 * expires lapsed holds, so their customers are told and their reminders never go out, then offers
 * freed times to the waitlist (whatever freed them: cancellations, moves, those lapsed holds, new
 * hours), so the offers' messages go out in the same round.
 */
export function startMessageWorker(
  db: Db,
  config: Pick<Config, "notifications" | "publicUrl" | "port">,
  deps: WorkerDeps = workerDepsFromConfig(config),
): RunningWorker {
  const controller = new AbortController();
  // Lapsed holds expire within one poll interval, on whichever instance gets there first.
  const beforeRound = deps.beforeRound ?? (async (now: Date) => {
    await expireLapsedHolds(db, now);
    await offerFreedTimes(db, now);
  });
  const done = startWorker(db, { ...deps, beforeRound }, {
    signal: controller.signal,
    pollMs: config.notifications.pollMs,
  });
  return {
    stop() {
      controller.abort();
      return done;
    },
  };
}
