/**
 * Reconciliation: Moyasar retries a webhook only a few times and customers close tabs before the
 * callback, so a periodic job asks Moyasar about every payment whose outcome may still change by
 * itself (an open invoice, a recent decline) and has had no news for a while; settled payments,
 * and card holds, which change only by our own capture or void, are not polled. It also releases
 * card holds before they lapse, finishes webhook events whose processing was deferred, and runs
 * pending captures, voids and refunds (including automatic ones).
 */
import type { Db } from "@/db/types.ts";
import { log } from "@/log.ts";
import { runPaymentActions } from "./actions.ts";
import { applyObservation } from "./apply.ts";
import { type MoyasarClient, MoyasarError } from "./moyasar.ts";
import { releaseLapsingAuthorizations } from "./deadline.ts";
import { refreshPayment } from "./observe.ts";
import { processWebhookEvent } from "./webhook.ts";

export interface ReconcileOptions {
  /** A payment is asked about once it has had no news (or check) for this long (default 3 min). */
  reconcileAfterMs?: number;
  /** An invoice nobody paid is given up this long after it expired (default 1 h). */
  giveUpAfterMs?: number;
  /** Payments checked per run (default 50). */
  limit?: number;
}

export interface ReconcileReport {
  checked: number;
  changed: number;
  errors: number;
  events: number;
  actions: { queued: number; attempted: number; succeeded: number };
}

/**
 * One reconciliation pass at `now`. Safe to run in several processes at once: everything it
 * applies goes through the state machine (idempotent), and actions are claimed under a lease.
 */
export async function reconcilePayments(
  db: Db,
  client: MoyasarClient,
  now: Date,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const after = options.reconcileAfterMs ?? 180_000;
  const giveUp = options.giveUpAfterMs ?? 3_600_000;
  const cutoff = new Date(now.getTime() - after);
  const report: ReconcileReport = {
    checked: 0,
    changed: 0,
    errors: 0,
    events: 0,
    actions: { queued: 0, attempted: 0, succeeded: 0 },
  };

  // Card holds about to lapse are released (voided by the action runner below).
  await releaseLapsingAuthorizations(db, now);

  // A page that was never opened (Moyasar did not answer) and whose hold is over: give it up.
  const unopened = await db.query<{ id: string }>(
    `SELECT id FROM payments
     WHERE status = 'initiated' AND provider_invoice_id IS NULL
       AND (checkout_lock_until IS NULL OR checkout_lock_until <= $1)
       AND coalesce(expires_at, created_at) <= $2`,
    [now, cutoff],
  );
  for (const { id } of unopened) {
    await applyObservation(db, {
      paymentId: id,
      observation: { kind: "invoice_closed", reason: "checkout_never_opened" },
      source: "reconcile",
      now,
    });
  }

  const due = await db.query<{ id: string; updated_at: Date }>(
    `SELECT id, updated_at FROM payments
     WHERE provider_invoice_id IS NOT NULL
       AND (status = 'initiated'
            OR (status = 'failed' AND coalesce(expires_at, created_at) > $1))
       AND greatest(checked_at, updated_at) <= $2
     ORDER BY checked_at NULLS FIRST, created_at
     LIMIT $3`,
    [new Date(now.getTime() - 24 * 3_600_000), cutoff, options.limit ?? 50],
  );
  for (const { id, updated_at } of due) {
    report.checked++;
    try {
      const result = await refreshPayment(db, client, {
        paymentId: id,
        source: "reconcile",
        now,
        closeIfUnpaidAfter: new Date(now.getTime() - giveUp),
      });
      if (result.payment.updated_at.getTime() !== updated_at.getTime()) report.changed++;
    } catch (err) {
      report.errors++;
      log.warn("payments.reconcile_failed", {
        payment_id: id,
        error: err instanceof Error ? err.message : String(err),
      });
      if (!(err instanceof MoyasarError)) throw err;
    } finally {
      await db.query("UPDATE payments SET checked_at = $2 WHERE id = $1", [id, now]);
    }
  }

  const deferred = await db.query<
    { event_id: string; payment_id: string; provider_payment_id: string }
  >(
    `SELECT event_id, payment_id, provider_payment_id FROM webhook_events
     WHERE processed_at IS NULL AND payment_id IS NOT NULL AND provider_payment_id IS NOT NULL
       AND received_at <= $1
     ORDER BY received_at LIMIT 50`,
    [new Date(now.getTime() - 30_000)],
  );
  for (const e of deferred) {
    const outcome = await processWebhookEvent(
      db,
      client,
      {
        eventId: e.event_id,
        paymentId: e.payment_id,
        providerPaymentId: e.provider_payment_id,
      },
      now,
      "reconcile",
    );
    if (outcome !== "deferred") report.events++;
  }

  report.actions = await runPaymentActions(db, client, now);
  if (report.checked || report.events || report.actions.attempted) {
    log.info("payments.reconciled", { ...report, actions: undefined, ...report.actions });
  }
  return report;
}
