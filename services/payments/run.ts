import type { PaymentsConfig } from "@/config.ts";
import type { Db } from "@/db/types.ts";
import { log } from "@/log.ts";
import type { MoyasarClient } from "./moyasar.ts";
import { reconcilePayments } from "./reconcile.ts";

export interface RunningPaymentJobs {
  /** Stops after the pass in hand; resolves when the loop has ended. */
  stop(): Promise<void>;
}

/**
 * The periodic payment job (inside the server): every `jobIntervalMs`, reconciliation, deferred
 * webhook events and pending captures, voids and refunds. A failing pass is logged and retried at
 * the next tick. Several instances may run it at once (see {@link reconcilePayments}).
 */
export function startPaymentJobs(
  db: Db,
  client: MoyasarClient,
  config: Pick<PaymentsConfig, "jobIntervalMs" | "reconcileAfterMs">,
  now: () => Date = () => new Date(),
): RunningPaymentJobs {
  const controller = new AbortController();
  const signal = controller.signal;
  const done = (async () => {
    log.info("payments.jobs_started", { interval_ms: config.jobIntervalMs });
    while (!signal.aborted) {
      try {
        await reconcilePayments(db, client, now(), { reconcileAfterMs: config.reconcileAfterMs });
      } catch (err) {
        log.error("payments.jobs_failed", {
          error: err instanceof Error ? err.message : String(err),
        });
      }
      await sleep(config.jobIntervalMs, signal);
    }
    log.info("payments.jobs_stopped", {});
  })();
  return {
    stop() {
      controller.abort();
      return done;
    },
  };
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
