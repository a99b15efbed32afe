/**
 * Online payments as the salon's managers see them: the list with its totals, one payment with its
 * ledger, and the capture, void and refund a manager asks for.
 *
 * The money movements themselves are services/payments/actions.ts (the state machine, the intent,
 * the call to Moyasar outside any transaction). Here a manager's request is checked and recorded in
 * one transaction: {@link authorizeSalon} (managers and admins only), the intent
 * (`requestAction`, which locks the payment and enforces the amounts) and the audit row; only after
 * the commit is Moyasar called (`executeAction`).
 */
import type { Db, Queryable } from "@/db/types.ts";
import { NotFoundError } from "@/services/errors.ts";
import { executeAction, requestAction } from "@/services/payments/actions.ts";
import type { ActionResult } from "@/services/payments/actions.ts";
import {
  netHalalas,
  type PaymentActionKind,
  type PaymentActionRow,
  type PaymentRow,
  type PaymentStatus,
  refundableHalalas,
} from "@/services/payments/model.ts";
import type { MoyasarClient } from "@/services/payments/moyasar.ts";
import { addDays } from "@/services/slots/load.ts";
import { auditRole, authorizeSalon, type DashboardActor } from "./access.ts";
import { audit, startOfLocalDay } from "./audit.ts";
import { isUuid } from "@/services/ids.ts";
import { type CustomerColumns, customerColumnsSql } from "@/services/people.ts";

/** What the payments list shows of each payment: its booking, customer and any pending action. */
export interface SalonPayment extends PaymentRow, CustomerColumns {
  starts_at: Date;
  ends_at: Date;
  booking_status: string;
  service_name_ar: string;
  service_name_en: string;
  staff_name_ar: string;
  staff_name_en: string;
  /** A capture, void or refund asked for and not finished yet. */
  pending_kind: PaymentActionKind | null;
  pending_amount_halalas: number | null;
}

/** Money of one payment as the dashboard shows it (halalas). */
export interface PaymentMoney {
  /** Collected: paid, or captured from a card hold. */
  paid: number;
  /** Given back: refunds, or a void of collected money. */
  refunded: number;
  /** Paid minus refunded: what the salon keeps. */
  net: number;
  /** Held on the card, not captured yet. */
  held: number;
}

export function moneyOf(
  p: Pick<PaymentRow, "status" | "authorized_halalas" | "captured_halalas" | "refunded_halalas">,
): PaymentMoney {
  const paid = p.captured_halalas;
  const net = netHalalas(p);
  return {
    paid,
    refunded: paid - net,
    net,
    held: p.status === "authorized" ? p.authorized_halalas : 0,
  };
}

export interface PaymentFilter {
  /** Local dates (salon's zone) of the payment's creation, inclusive. */
  from: string;
  to: string;
  status?: PaymentStatus | null;
  limit?: number;
}

const LIST_SQL = `
  SELECT p.*, b.starts_at, b.ends_at, b.status AS booking_status,
         v.name_ar AS service_name_ar, v.name_en AS service_name_en,
         st.name_ar AS staff_name_ar, st.name_en AS staff_name_en,
         ${customerColumnsSql("u")},
         a.kind AS pending_kind, a.amount_halalas AS pending_amount_halalas
  FROM payments p
  JOIN bookings b ON b.id = p.booking_id
  JOIN services v ON v.id = b.service_id
  JOIN staff st ON st.id = b.staff_id
  LEFT JOIN users u ON u.id = p.customer_id
  LEFT JOIN payment_actions a ON a.payment_id = p.id AND a.status = 'pending'`;

/**
 * A salon's payments created in the filter's local date range (newest first, at most `limit`),
 * and the totals over all of them (not only the rows shown). Managers (and admins) only.
 * @throws ForbiddenError for anyone else.
 */
export async function listSalonPayments(
  db: Queryable,
  actor: DashboardActor,
  salon: { id: string; timezone: string },
  filter: PaymentFilter,
): Promise<{ rows: SalonPayment[]; more: boolean; totals: PaymentMoney & { count: number } }> {
  await authorizeSalon(db, actor.user, salon.id, "manager");
  const from = startOfLocalDay(filter.from, salon.timezone);
  const to = startOfLocalDay(addDays(filter.to, 1), salon.timezone);
  const limit = Math.min(Math.max(filter.limit ?? 200, 1), 1000);
  const params = [salon.id, from, to, filter.status ?? null];
  const where = `p.salon_id = $1 AND p.created_at >= $2 AND p.created_at < $3
    AND ($4::text IS NULL OR p.status = $4)`;
  const rows = await db.query<SalonPayment>(
    `${LIST_SQL} WHERE ${where} ORDER BY p.created_at DESC, p.id LIMIT $5`,
    [...params, limit + 1],
  );
  const [sum] = await db.query<{ count: number; paid: number; net: number; held: number }>(
    `SELECT count(*)::int AS count,
            coalesce(sum(p.captured_halalas), 0)::int AS paid,
            coalesce(sum(CASE WHEN p.status = 'voided' THEN 0
                              ELSE p.captured_halalas - p.refunded_halalas END), 0)::int AS net,
            coalesce(sum(CASE WHEN p.status = 'authorized' THEN p.authorized_halalas ELSE 0 END),
                     0)::int AS held
     FROM payments p WHERE ${where}`,
    params,
  );
  return {
    rows: rows.slice(0, limit),
    more: rows.length > limit,
    totals: {
      count: sum.count,
      paid: sum.paid,
      refunded: sum.paid - sum.net,
      net: sum.net,
      held: sum.held,
    },
  };
}

/** One row of a payment's ledger (payment_events), with the person's name. */
export interface LedgerLine {
  id: string;
  at: Date;
  kind: string;
  from_status: string | null;
  to_status: string | null;
  amount_halalas: number;
  source: string;
  actor_role: "customer" | "salon" | "system";
  actor_name: string | null;
  reason: string | null;
  data: Record<string, unknown>;
}

export interface SalonPaymentDetails {
  payment: SalonPayment;
  money: PaymentMoney;
  /** What may still be refunded (0 unless paid, captured or partly refunded). */
  refundable: number;
  /** The capture, void or refund in progress, if any. */
  pending: PaymentActionRow | null;
  ledger: LedgerLine[];
}

/**
 * One payment of the salon with its ledger, oldest first. Another salon's payment (or no such
 * payment) is a 404. Managers (and admins) only.
 * @throws ForbiddenError, NotFoundError
 */
export async function getSalonPayment(
  db: Queryable,
  actor: DashboardActor,
  salonId: string,
  paymentId: string,
): Promise<SalonPaymentDetails> {
  await authorizeSalon(db, actor.user, salonId, "manager");
  if (!isUuid(paymentId)) throw new NotFoundError();
  const [payment] = await db.query<SalonPayment>(
    `${LIST_SQL} WHERE p.id = $1 AND p.salon_id = $2`,
    [paymentId, salonId],
  );
  if (!payment) throw new NotFoundError();
  const [pending] = await db.query<PaymentActionRow>(
    "SELECT * FROM payment_actions WHERE payment_id = $1 AND status = 'pending'",
    [payment.id],
  );
  const ledger = await db.query<LedgerLine>(
    `SELECT e.id, e.at, e.kind, e.from_status, e.to_status, e.amount_halalas, e.source,
            e.actor_role, e.reason, e.data,
            nullif(trim(coalesce(u.first_name, '') || ' ' || coalesce(u.last_name, '')), '')
              AS actor_name
     FROM payment_events e LEFT JOIN users u ON u.id = e.actor_user_id
     WHERE e.payment_id = $1 ORDER BY e.at, e.id`,
    [payment.id],
  );
  return {
    payment,
    money: moneyOf(payment),
    refundable: refundableHalalas(payment),
    pending: pending ?? null,
    ledger,
  };
}

export interface PaymentActionInput {
  paymentId: string;
  kind: PaymentActionKind;
  /** Refund (or capture) amount in halalas; omitted: the whole of what is left. */
  amountHalalas?: number;
  reason: string;
}

/**
 * A manager's capture, void or refund. One transaction checks the caller manages the salon,
 * writes the intent through `requestAction` (which locks the payment and refuses more than paid
 * minus refunded: 400; a payment in the wrong state or another action pending: 409; another
 * salon's payment: 404) and the audit row `payment.capture|void|refund`. After the commit Moyasar
 * is called (`executeAction`): its refusal is a 409 (`payments.error.actionRejected`, nothing
 * moved), no answer is a 503 (`payments.error.provider`; the intent stays pending and is retried,
 * never done twice).
 * @throws ForbiddenError, NotFoundError, ValidationError, AppError
 */
export async function runPaymentAction(
  db: Db,
  client: MoyasarClient | null,
  actor: DashboardActor,
  salonId: string,
  input: PaymentActionInput,
): Promise<ActionResult> {
  const action = await db.transaction(async (tx) => {
    const access = await authorizeSalon(tx, actor.user, salonId, "manager");
    const intent = await requestAction(tx, client, input.kind, {
      paymentId: input.paymentId,
      actor: { userId: actor.user.id, role: "salon" },
      reason: input.reason,
      now: actor.now,
      scope: { salonId },
    }, input.amountHalalas);
    // Locked by requestAction and not changed by it: the payment as the manager acted on it.
    const [payment] = await tx.query<PaymentRow>("SELECT * FROM payments WHERE id = $1", [
      intent.payment_id,
    ]);
    const state = { status: payment.status, ...moneyOf(payment) };
    await audit(tx, {
      salonId,
      actorUserId: actor.user.id,
      actorRole: auditRole(access),
      action: `payment.${input.kind}`,
      entity: "payment",
      entityId: payment.id,
      before: state,
      after: {
        ...state,
        requested_amount_halalas: intent.amount_halalas,
        reason: intent.reason,
        booking_id: payment.booking_id,
        action_id: intent.id,
      },
      at: actor.now,
      requestId: actor.requestId,
    });
    return intent;
  });
  // requestAction refused without a client, so there is one here.
  return await executeAction(db, client!, action.id, actor.now);
}
