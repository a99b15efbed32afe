/**
 * Capture, void and refund: the money movements we ask Moyasar for. Each one is three steps and
 * never an external call inside a transaction:
 *  1. a short transaction validates it against the locked payment row and writes the intent (a
 *     pending `payment_actions` row, one at a time per payment) with the ledger's "requested" row;
 *  2. an attempt is claimed (a lease, so two processes never call Moyasar for the same intent) and
 *     Moyasar is called;
 *  3. Moyasar's answer (the payment after the operation) is applied through the state machine,
 *     which marks the action done.
 * When the answer is lost (timeout, crash), the intent stays pending; the next attempt first asks
 * Moyasar whether it already happened (judged against the amounts before the intent), so a refund
 * is never made twice. Automatic refunds (a late payment whose time was taken, a cancellation, a
 * second payment for one booking) are intents written by {@link runPaymentActions}.
 */
import type { Db, Queryable, Tx } from "@/db/types.ts";
import { log } from "@/log.ts";
import { AppError, ConflictError, NotFoundError, ValidationError } from "@/services/errors.ts";
import { applyObservation } from "./apply.ts";
import { type LedgerActor, recordPaymentEvent, SYSTEM } from "./ledger.ts";
import {
  type PaymentActionKind,
  type PaymentActionRow,
  type PaymentRow,
  refundableHalalas,
} from "./model.ts";
import { type MoyasarClient, MoyasarError } from "./moyasar.ts";
import { observationOf } from "./observe.ts";
import { isUuid } from "@/services/ids.ts";

/** How long one attempt may take before another process may try the same intent again. */
const LEASE_MS = 120_000;

export interface ActionInput {
  paymentId: string;
  actor: LedgerActor;
  /** Why (kept in the ledger). */
  reason: string;
  now: Date;
  /** Limits the payment to one salon's (a manager's); another salon's payment is a 404. */
  scope?: { salonId?: string };
}

export interface ActionResult {
  payment: PaymentRow;
  action: PaymentActionRow;
  /** Another process holds this attempt right now; its outcome will show shortly. */
  inProgress: boolean;
}

/** Captures an authorized payment (all of it, or `amountHalalas` of it). */
export async function capturePayment(
  db: Db,
  client: MoyasarClient | null,
  input: ActionInput & { amountHalalas?: number },
): Promise<ActionResult> {
  const action = await requestAction(db, client, "capture", input, input.amountHalalas);
  return await executeAction(db, client!, action.id, input.now);
}

/** Voids an authorized (or paid, not yet settled) payment: the whole amount goes back. */
export async function voidPayment(
  db: Db,
  client: MoyasarClient | null,
  input: ActionInput,
): Promise<ActionResult> {
  const action = await requestAction(db, client, "void", input);
  return await executeAction(db, client!, action.id, input.now);
}

/** Refunds `amountHalalas` of a collected payment: never more than collected minus refunded. */
export async function refundPayment(
  db: Db,
  client: MoyasarClient | null,
  input: ActionInput & { amountHalalas: number },
): Promise<ActionResult> {
  const action = await requestAction(db, client, "refund", input, input.amountHalalas);
  return await executeAction(db, client!, action.id, input.now);
}

/**
 * Step 1: validates and records the intent. A pending intent of the same kind and amount is
 * returned (a retry); any other pending intent is a 409. `db` may be a caller's transaction (the
 * dashboard writes its audit row in it): this step never calls Moyasar.
 */
export async function requestAction(
  db: Queryable,
  client: MoyasarClient | null,
  kind: PaymentActionKind,
  input: ActionInput,
  amountHalalas?: number,
): Promise<PaymentActionRow> {
  if (!client) throw new AppError(503, "payments.error.unavailable");
  const reason = input.reason.trim();
  if (!reason || reason.length > 500) {
    throw new ValidationError({ reason: [reason ? "validation.tooLong" : "validation.required"] });
  }
  if (
    amountHalalas !== undefined && (!Number.isSafeInteger(amountHalalas) || amountHalalas <= 0)
  ) {
    throw new ValidationError({ amount_halalas: ["payments.error.amountInvalid"] });
  }
  return await db.transaction(async (tx) => {
    const [payment] = await tx.query<PaymentRow>(
      `SELECT * FROM payments WHERE id = $1 AND ($2::uuid IS NULL OR salon_id = $2) FOR UPDATE`,
      [
        isUuid(input.paymentId) ? input.paymentId : null,
        input.scope?.salonId ?? null,
      ],
    );
    if (!payment) throw new NotFoundError();
    const [pending] = await tx.query<PaymentActionRow>(
      "SELECT * FROM payment_actions WHERE payment_id = $1 AND status = 'pending'",
      [payment.id],
    );
    if (pending) {
      // The same request again (a retry after no answer): carry on with the same intent.
      const same = pending.kind === kind &&
        (amountHalalas === undefined || pending.amount_halalas === amountHalalas);
      if (same) return pending;
      throw new ConflictError("payments.error.actionPending");
    }
    const amount = amountFor(kind, payment, amountHalalas);
    return await insertAction(tx, payment, {
      kind,
      amount,
      actor: input.actor,
      reason,
      now: input.now,
      automatic: false,
    });
  });
}

/** The amount an action moves, validated against the payment (others → 409 / 400). */
function amountFor(kind: PaymentActionKind, p: PaymentRow, requested?: number): number {
  switch (kind) {
    case "capture": {
      if (p.status !== "authorized") throw new ConflictError("payments.error.notCapturable");
      const amount = requested ?? p.authorized_halalas;
      if (amount > p.authorized_halalas) {
        throw new ValidationError({ amount_halalas: ["payments.error.captureTooLarge"] });
      }
      return amount;
    }
    case "void":
      if (
        !(p.status === "authorized" || p.status === "paid" || p.status === "captured")
      ) {
        throw new ConflictError("payments.error.notVoidable");
      }
      return p.status === "authorized" ? p.authorized_halalas : p.captured_halalas;
    case "refund": {
      const refundable = refundableHalalas(p);
      if (refundable <= 0) throw new ConflictError("payments.error.notRefundable");
      const amount = requested ?? refundable;
      if (amount > refundable) {
        throw new ValidationError({ amount_halalas: ["payments.error.refundTooLarge"] });
      }
      return amount;
    }
  }
}

export async function insertAction(
  tx: Tx,
  payment: PaymentRow,
  a: {
    kind: PaymentActionKind;
    amount: number;
    actor: LedgerActor;
    reason: string;
    now: Date;
    automatic: boolean;
  },
): Promise<PaymentActionRow> {
  const base = a.kind === "refund"
    ? payment.refunded_halalas
    : a.kind === "capture"
    ? payment.captured_halalas
    : 0;
  const [action] = await tx.query<PaymentActionRow>(
    `INSERT INTO payment_actions (payment_id, kind, amount_halalas, base_halalas, automatic,
       actor_user_id, actor_role, reason, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING *`,
    [
      payment.id,
      a.kind,
      a.amount,
      base,
      a.automatic,
      a.actor.userId,
      a.actor.role,
      a.reason,
      a.now,
    ],
  );
  await recordPaymentEvent(tx, {
    paymentId: payment.id,
    bookingId: payment.booking_id,
    at: a.now,
    kind: `${a.kind}_requested`,
    from: payment.status,
    source: a.automatic ? "system" : "api",
    actor: a.actor,
    reason: a.reason,
    data: { action_id: action.id, amount_halalas: a.amount },
  });
  return action;
}

async function loadPayment(db: Db, id: string): Promise<PaymentRow> {
  const [row] = await db.query<PaymentRow>("SELECT * FROM payments WHERE id = $1", [id]);
  return row;
}

async function loadAction(db: Db, id: string): Promise<PaymentActionRow> {
  const [row] = await db.query<PaymentActionRow>("SELECT * FROM payment_actions WHERE id = $1", [
    id,
  ]);
  if (!row) throw new NotFoundError();
  return row;
}

/**
 * Steps 2 and 3 for one pending intent. Returns the outcome; a refusal by Moyasar marks the action
 * failed and throws 409 `payments.error.actionRejected`; no answer from Moyasar leaves it pending
 * and throws 503 `payments.error.provider` (retrying is safe).
 */
export async function executeAction(
  db: Db,
  client: MoyasarClient,
  actionId: string,
  now: Date,
): Promise<ActionResult> {
  const [claimed] = await db.query<PaymentActionRow & { previous_attempts: number }>(
    `UPDATE payment_actions SET attempts = attempts + 1, locked_until = $2, updated_at = $3
     WHERE id = $1 AND status = 'pending' AND (locked_until IS NULL OR locked_until <= $3)
     RETURNING *, attempts - 1 AS previous_attempts`,
    [actionId, new Date(now.getTime() + LEASE_MS), now],
  );
  if (!claimed) {
    const action = await loadAction(db, actionId);
    return {
      action,
      payment: await loadPayment(db, action.payment_id),
      inProgress: action.status === "pending",
    };
  }
  const payment = await loadPayment(db, claimed.payment_id);
  const actor: LedgerActor = { userId: claimed.actor_user_id, role: claimed.actor_role };
  try {
    if (!payment.provider_payment_id) throw new ConflictError("payments.error.notRefundable");
    if (claimed.previous_attempts > 0) {
      // An earlier attempt's answer was lost: it may have happened. Ask before doing it again.
      const seen = observationOf(await client.fetchPayment(payment.provider_payment_id));
      const result = await applyObservation(db, {
        paymentId: payment.id,
        observation: seen,
        source: "action",
        now,
        actor,
        reason: claimed.reason,
        actionId: claimed.id,
      });
      if (result.actionDone) return await finished(db, claimed.id);
    }
    const answer = claimed.kind === "capture"
      ? await client.capturePayment(payment.provider_payment_id, claimed.amount_halalas)
      : claimed.kind === "void"
      ? await client.voidPayment(payment.provider_payment_id)
      : await client.refundPayment(payment.provider_payment_id, claimed.amount_halalas);
    const result = await applyObservation(db, {
      paymentId: payment.id,
      observation: observationOf(answer),
      source: "action",
      now,
      actor,
      reason: claimed.reason,
      actionId: claimed.id,
    });
    if (!result.actionDone) {
      await failAction(db, claimed, payment, now, "moyasar answered without doing it", actor);
      throw new AppError(409, "payments.error.actionRejected");
    }
    return await finished(db, claimed.id);
  } catch (err) {
    if (err instanceof MoyasarError && err.transient) {
      // Moyasar's webhook may have told us meanwhile that it happened.
      const latest = await loadAction(db, claimed.id);
      if (latest.status === "succeeded") return await finished(db, claimed.id);
      log.warn("payments.action_unanswered", {
        action_id: claimed.id,
        kind: claimed.kind,
        error: err.message,
      });
      await db.query(
        `UPDATE payment_actions SET locked_until = NULL, last_error = $2, updated_at = $3
         WHERE id = $1 AND status = 'pending'`,
        [claimed.id, err.message.slice(0, 1000), now],
      );
      throw new AppError(503, "payments.error.provider");
    }
    if (
      err instanceof MoyasarError ||
      (err instanceof ConflictError && err.messageKey === "payments.error.notRefundable")
    ) {
      await failAction(db, claimed, payment, now, err.message, actor);
      throw new AppError(409, "payments.error.actionRejected");
    }
    // Anything else (our database): let the lease lapse; the runner tries again.
    throw err;
  }
}

async function finished(db: Db, actionId: string): Promise<ActionResult> {
  const action = await loadAction(db, actionId);
  return { action, payment: await loadPayment(db, action.payment_id), inProgress: false };
}

async function failAction(
  db: Db,
  action: PaymentActionRow,
  payment: PaymentRow,
  now: Date,
  error: string,
  actor: LedgerActor,
): Promise<void> {
  log.error("payments.action_failed", { action_id: action.id, kind: action.kind, error });
  await db.transaction(async (tx) => {
    const failed = await tx.query(
      `UPDATE payment_actions SET status = 'failed', last_error = $2, locked_until = NULL,
         completed_at = $3, updated_at = $3
       WHERE id = $1 AND status = 'pending' RETURNING id`,
      [action.id, error.slice(0, 1000), now],
    );
    if (!failed.length) return;
    await recordPaymentEvent(tx, {
      paymentId: payment.id,
      bookingId: payment.booking_id,
      at: now,
      kind: "action_failed",
      source: "action",
      actor,
      reason: error,
      data: { action_id: action.id, kind: action.kind, amount_halalas: action.amount_halalas },
    });
  });
}

/**
 * Writes the intents automatic refunds need: for every payment marked `auto_refund_reason` that
 * still holds money (a card hold is voided, collected money refunded), unless an intent is already
 * pending or an automatic one failed (that needs a person; it is logged as an error).
 */
export async function queueAutomaticRefunds(db: Db, now: Date): Promise<number> {
  const due = await db.query<{ id: string }>(
    `SELECT p.id FROM payments p
     WHERE p.auto_refund_reason IS NOT NULL
       AND p.status IN ('authorized', 'paid', 'captured', 'partially_refunded')
       AND NOT EXISTS (SELECT 1 FROM payment_actions a WHERE a.payment_id = p.id
                       AND (a.status = 'pending' OR (a.status = 'failed' AND a.automatic)))
     ORDER BY p.updated_at LIMIT 100`,
  );
  let queued = 0;
  for (const { id } of due) {
    await db.transaction(async (tx) => {
      const [p] = await tx.query<PaymentRow>("SELECT * FROM payments WHERE id = $1 FOR UPDATE", [
        id,
      ]);
      const [pending] = await tx.query(
        "SELECT 1 FROM payment_actions WHERE payment_id = $1 AND status = 'pending'",
        [id],
      );
      if (pending || !p.auto_refund_reason) return;
      const kind = p.status === "authorized" ? "void" : "refund";
      const amount = kind === "void" ? p.authorized_halalas : refundableHalalas(p);
      if (amount <= 0) return;
      await insertAction(tx, p, {
        kind,
        amount,
        actor: SYSTEM,
        reason: `auto:${p.auto_refund_reason}`,
        now,
        automatic: true,
      });
      queued++;
    });
  }
  return queued;
}

/**
 * The action runner: queues automatic refunds, then attempts every pending intent that nobody
 * holds (new ones, and those whose attempt's answer was lost). Errors are logged, not thrown.
 */
export async function runPaymentActions(
  db: Db,
  client: MoyasarClient,
  now: Date,
): Promise<{ queued: number; attempted: number; succeeded: number }> {
  const queued = await queueAutomaticRefunds(db, now);
  const due = await db.query<{ id: string }>(
    `SELECT id FROM payment_actions WHERE status = 'pending'
       AND (locked_until IS NULL OR locked_until <= $1)
     ORDER BY created_at LIMIT 50`,
    [now],
  );
  let succeeded = 0;
  for (const { id } of due) {
    try {
      const result = await executeAction(db, client, id, now);
      if (result.action.status === "succeeded") succeeded++;
    } catch (err) {
      if (!(err instanceof AppError)) {
        log.error("payments.action_error", { action_id: id, error: String(err) });
      }
    }
  }
  return { queued, attempted: due.length, succeeded };
}
