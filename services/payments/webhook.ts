/**
 * Moyasar's webhook: `{id, type, created_at, secret_token, account_name, live, data: payment}`.
 * The secret token is compared in constant time; each event id is stored once (a unique
 * constraint), so retries and replays change nothing; the payment is then fetched from the API
 * (the body is only a hint of which one) and applied through the state machine.
 */
import { z } from "zod";
import type { Db } from "@/db/types.ts";
import { log } from "@/log.ts";
import { constantTimeEqual } from "@/services/auth/crypto.ts";
import type { PaymentRow } from "./model.ts";
import { type MoyasarClient, MoyasarError } from "./moyasar.ts";
import { refreshPayment } from "./observe.ts";
import { isUuid } from "@/services/ids.ts";

export const WebhookEventSchema = z.looseObject({
  id: z.string().min(1).max(100),
  type: z.string().min(1).max(60),
  created_at: z.string().nullish(),
  secret_token: z.string().max(1000),
  account_name: z.string().nullish(),
  live: z.boolean().nullish(),
  data: z.looseObject({
    id: z.string().min(1).max(100),
    invoice_id: z.string().max(100).nullish(),
    metadata: z.record(z.string(), z.unknown()).nullish(),
  }),
});
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;

/** The token matches our secret (constant time); no secret configured means no webhook is ours. */
export function webhookSecretMatches(given: string, expected: string): boolean {
  if (!expected) return false;
  return constantTimeEqual(given, expected);
}

export type WebhookOutcome =
  | "applied"
  | "duplicate"
  | "unknown_payment"
  | "rejected"
  | "ignored"
  | "deferred";

/** Our payment a Moyasar payment belongs to, by its id, its invoice, or our id in its metadata. */
async function findPayment(db: Db, data: WebhookEvent["data"]): Promise<PaymentRow | null> {
  const ours = data.metadata?.payment_id;
  const [row] = await db.query<PaymentRow>(
    `SELECT * FROM payments
     WHERE provider_payment_id = $1 OR provider_invoice_id = $2 OR id = $3::uuid
     ORDER BY (provider_payment_id = $1) DESC NULLS LAST LIMIT 1`,
    [
      data.id,
      data.invoice_id ?? null,
      typeof ours === "string" && isUuid(ours) ? ours : null,
    ],
  );
  return row ?? null;
}

/**
 * Records and applies one webhook event (its secret already checked). Returns what became of it;
 * never throws for Moyasar's sake: when Moyasar cannot be asked right now the event stays
 * unprocessed ("deferred") and reconciliation finishes it.
 */
export async function receiveWebhook(
  db: Db,
  client: MoyasarClient | null,
  event: WebhookEvent,
  now: Date,
): Promise<WebhookOutcome> {
  const [inserted] = await db.query(
    `INSERT INTO webhook_events (provider, event_id, type, provider_payment_id, received_at)
     VALUES ('moyasar', $1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING event_id`,
    [event.id, event.type, event.data.id, now],
  );
  if (!inserted) {
    const [existing] = await db.query<{ processed_at: Date | null }>(
      "SELECT processed_at FROM webhook_events WHERE provider = 'moyasar' AND event_id = $1",
      [event.id],
    );
    if (existing?.processed_at) return "duplicate";
  }
  if (!event.type.startsWith("payment_") || !client) {
    await finish(db, event.id, "rejected", now, null, null);
    return "ignored";
  }
  const payment = await findPayment(db, event.data);
  if (!payment) {
    log.warn("payments.webhook_unknown_payment", {
      event_id: event.id,
      type: event.type,
      provider_payment_id: event.data.id,
    });
    await finish(db, event.id, "unknown_payment", now, null, null);
    return "unknown_payment";
  }
  return await processWebhookEvent(
    db,
    client,
    {
      eventId: event.id,
      paymentId: payment.id,
      providerPaymentId: event.data.id,
    },
    now,
    "webhook",
  );
}

/** Fetches and applies the payment an event is about; used again by reconciliation. */
export async function processWebhookEvent(
  db: Db,
  client: MoyasarClient,
  input: { eventId: string; paymentId: string; providerPaymentId: string },
  now: Date,
  source: "webhook" | "reconcile",
): Promise<WebhookOutcome> {
  await db.query(
    `UPDATE webhook_events SET payment_id = $2, attempts = attempts + 1
     WHERE provider = 'moyasar' AND event_id = $1`,
    [input.eventId, input.paymentId],
  );
  try {
    const result = await refreshPayment(db, client, {
      paymentId: input.paymentId,
      providerPaymentId: input.providerPaymentId,
      source,
      now,
    });
    const outcome = result.kind === "rejected" ? "rejected" : "applied";
    await finish(db, input.eventId, outcome, now, input.paymentId, null);
    return outcome;
  } catch (err) {
    if (!(err instanceof MoyasarError)) throw err;
    log.warn("payments.webhook_deferred", { event_id: input.eventId, error: err.message });
    if (err.kind === "not_found") {
      await finish(db, input.eventId, "rejected", now, input.paymentId, err.message);
      return "rejected";
    }
    await db.query(
      `UPDATE webhook_events SET outcome = 'error', last_error = $2
       WHERE provider = 'moyasar' AND event_id = $1`,
      [input.eventId, err.message.slice(0, 1000)],
    );
    return "deferred";
  }
}

async function finish(
  db: Db,
  eventId: string,
  outcome: "applied" | "unknown_payment" | "rejected",
  now: Date,
  paymentId: string | null,
  error: string | null,
): Promise<void> {
  await db.query(
    `UPDATE webhook_events SET processed_at = $2, outcome = $3,
       payment_id = coalesce($4, payment_id), last_error = $5
     WHERE provider = 'moyasar' AND event_id = $1`,
    [eventId, now, outcome, paymentId, error?.slice(0, 1000) ?? null],
  );
}
