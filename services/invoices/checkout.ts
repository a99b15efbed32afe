import type { Db, Tx } from "@/db/types.ts";
import { DbError, PG_EXCLUSION_VIOLATION } from "@/db/types.ts";
import { refreshEnvelope } from "@/services/bookings/envelope.ts";
import { recordEvent } from "@/services/bookings/events.ts";
import { itemsOfBooking } from "@/services/bookings/items.ts";
import type { BookingRow } from "@/services/bookings/model.ts";
import { auditRole, authorizeSalon, type DashboardActor } from "@/services/dashboard/access.ts";
import { audit } from "@/services/dashboard/audit.ts";
import { assertInScope } from "@/services/dashboard/bookings.ts";
import { AppError, ConflictError, NotFoundError, ValidationError } from "@/services/errors.ts";
import { isUuid } from "@/services/ids.ts";
import { collectedPayments, settleRepricedBooking } from "@/services/payments/reprice.ts";
import { shownNameSql, shownPhoneSql } from "@/services/people.ts";
import { type CounterMethod, insertInvoice, type InvoiceLineDraft } from "./issue.ts";
import { enqueueInvoiceMessage } from "./notify.ts";
import { percentDiscount, priceInvoice, STANDARD_VAT_BP } from "./vat.ts";

/** What checkout changes about the visit's items before the invoice is drawn up. */
export type ItemAdjustment =
  /** An item of the visit: not done (`remove`), or done by someone else (`staff`). */
  | { id: string; remove?: boolean; staff?: string }
  /** A service done that was not booked, by a staff member. */
  | { service: string; staff: string };

export interface CheckoutInput {
  salonId: string;
  bookingId: string;
  items?: ItemAdjustment[];
  discount?: { amountHalalas?: number; percent?: number; reason: string };
  payments: { method: CounterMethod; amountHalalas: number }[];
}

export interface CheckoutResult {
  invoiceId: string;
  number: number;
  totalHalalas: number;
  vatHalalas: number;
  /** Collected online above the total, queued for refund. */
  refundHalalas: number;
}

/**
 * Closes a visit at the counter in one transaction: applies the item changes (a service not done
 * is cancelled, another staff member recorded, a service done that was not booked added), prices
 * the lines with the discount and VAT (services/invoices/vat.ts), applies what was paid online,
 * takes the rest in the given payments (which must cover the balance exactly: else a 422), marks
 * the visit completed and issues the invoice with the salon's next number. The booking row is
 * locked first, so two people checking out one visit get one invoice and one clear 409. The
 * customer's copy (number, total, link) is queued in the same transaction.
 *
 * @throws NotFoundError for a booking of another salon, or a colleague's for staff;
 *   ConflictError 409 when already checked out or not open; AppError 422 when the payments
 *   do not match the balance; ValidationError 400 for bad items or discount.
 */
export async function checkoutBooking(
  db: Db,
  actor: DashboardActor,
  input: CheckoutInput,
): Promise<CheckoutResult> {
  try {
    return await db.transaction((tx) => checkoutInTx(tx, actor, input));
  } catch (err) {
    if (err instanceof DbError && err.code === PG_EXCLUSION_VIOLATION) {
      throw new ConflictError("booking.slotTaken");
    }
    throw err;
  }
}

async function checkoutInTx(
  tx: Tx,
  actor: DashboardActor,
  input: CheckoutInput,
): Promise<CheckoutResult> {
  const access = await authorizeSalon(tx, actor.user, input.salonId, "staff");
  if (!isUuid(input.bookingId)) throw new NotFoundError();
  const [booking] = await tx.query<BookingRow>(
    "SELECT * FROM bookings WHERE id = $1 AND salon_id = $2 FOR UPDATE",
    [input.bookingId, input.salonId],
  );
  if (!booking) throw new NotFoundError();
  // Staff close only visits in which they do a service (a colleague's is a 404, as on the page).
  assertInScope(access, { ...booking, items: await itemsOfBooking(tx, booking.id) });
  const [issued] = await tx.query(
    "SELECT 1 FROM invoices WHERE booking_id = $1 AND kind = 'invoice'",
    [booking.id],
  );
  if (issued) throw new ConflictError("checkout.already");
  if (!["pending", "confirmed", "completed"].includes(booking.status)) {
    throw new ConflictError("checkout.notOpen");
  }

  const drafts = await applyItemChanges(tx, booking, input.items ?? [], actor.now);
  if (drafts.length === 0) throw new ValidationError({ items: ["checkout.error.noLines"] });

  const [salon] = await tx.query<{ vat_registered: boolean }>(
    "SELECT vat_registered FROM salons WHERE id = $1",
    [input.salonId],
  );
  const subtotal = drafts.reduce((sum, d) => sum + d.unitPriceHalalas, 0);
  const discount = discountOf(input.discount, subtotal);
  const priced = priceInvoice(
    drafts.map((d) => ({ unitPriceHalalas: d.unitPriceHalalas, quantity: 1 })),
    discount,
    salon.vat_registered ? STANDARD_VAT_BP : 0,
  );

  // What was paid online counts first; more than the total goes back through the refund path.
  const online = await collectedPayments(tx, booking.id);
  const kept = online.map((p) => ({
    payment: p,
    amount: Math.max(0, p.captured_halalas - p.refunded_halalas - p.pending_refund_halalas),
  })).filter((p) => p.amount > 0);
  const collected = kept.reduce((sum, p) => sum + p.amount, 0);
  const refund = collected > priced.totalHalalas
    ? (await settleRepricedBooking(tx, {
      bookingId: booking.id,
      dueHalalas: priced.totalHalalas,
      actor: { userId: actor.user.id, role: "salon" },
      now: actor.now,
    })).refundHalalas
    : 0;
  let applied = Math.min(collected, priced.totalHalalas);
  const onlineRows = [];
  for (const p of kept) {
    if (applied === 0) break;
    const amount = Math.min(applied, p.amount);
    onlineRows.push({ method: "online" as const, amountHalalas: amount, paymentId: p.payment.id });
    applied -= amount;
  }
  const balance = priced.totalHalalas - Math.min(collected, priced.totalHalalas);
  const counter = input.payments.filter((p) => p.amountHalalas > 0);
  const paid = counter.reduce((sum, p) => sum + p.amountHalalas, 0);
  if (paid !== balance) {
    throw new AppError(422, "checkout.paymentsMismatch", {
      balance: (balance / 100).toFixed(2),
      paid: (paid / 100).toFixed(2),
    });
  }

  const [customer] = await tx.query<{ name: string | null; phone: string | null }>(
    `SELECT nullif(${shownNameSql("u")}, '') AS name, ${shownPhoneSql("u")} AS phone
     FROM users u WHERE u.id = $1`,
    [booking.customer_id],
  );
  const invoice = await insertInvoice(tx, {
    salonId: input.salonId,
    bookingId: booking.id,
    kind: "invoice",
    invoiceId: null,
    issuedAt: actor.now,
    issuedBy: actor.user.id,
    customerId: booking.customer_id,
    customerName: customer?.name ?? null,
    customerPhone: customer?.phone ?? null,
    priced,
    drafts,
    discountReason: discount > 0 ? input.discount!.reason.trim() : null,
    reason: null,
    payments: [
      ...onlineRows,
      ...counter.map((p) => ({ ...p, paymentId: null })),
    ],
  });

  if (booking.status !== "completed") {
    await tx.query("UPDATE bookings SET status = 'completed', updated_at = $2 WHERE id = $1", [
      booking.id,
      actor.now,
    ]);
    await recordEvent(tx, booking.id, { userId: actor.user.id, role: "salon" }, actor.now, {
      kind: "status",
      from: booking.status,
      to: "completed",
      reason: "checkout",
    });
  }
  await audit(tx, {
    salonId: input.salonId,
    actorUserId: actor.user.id,
    actorRole: auditRole(access),
    action: "invoice.issue",
    entity: "invoice",
    entityId: invoice.id,
    after: {
      number: invoice.number,
      booking_id: booking.id,
      total_halalas: priced.totalHalalas,
      discount_halalas: discount,
      discount_reason: discount > 0 ? input.discount!.reason : null,
      payments: counter,
    },
    at: actor.now,
    requestId: actor.requestId,
  });
  await enqueueInvoiceMessage(tx, { invoiceId: invoice.id, now: actor.now });
  return {
    invoiceId: invoice.id,
    number: invoice.number,
    totalHalalas: priced.totalHalalas,
    vatHalalas: priced.vatHalalas,
    refundHalalas: refund,
  };
}

/** The discount in halalas (a percent of the subtotal, or an amount), checked. */
export function discountOf(d: CheckoutInput["discount"], subtotal: number): number {
  if (!d) return 0;
  const amount = d.percent !== undefined
    ? percentDiscount(subtotal, d.percent)
    : d.amountHalalas ?? 0;
  if (
    !Number.isSafeInteger(amount) || amount < 0 || amount > subtotal ||
    (d.percent !== undefined && (d.percent < 0 || d.percent > 100))
  ) {
    throw new ValidationError({ discount: ["checkout.error.discount"] });
  }
  if (amount > 0 && d.reason.trim().length === 0) {
    throw new ValidationError({ discount: ["checkout.error.discountReason"] });
  }
  return amount;
}

/**
 * Applies the item changes and returns the invoice's line drafts: every item still active, then
 * every service added, each at its booked (or catalog) VAT-inclusive price.
 */
async function applyItemChanges(
  tx: Tx,
  booking: BookingRow,
  changes: ItemAdjustment[],
  now: Date,
): Promise<InvoiceLineDraft[]> {
  const items = await itemsOfBooking(tx, booking.id);
  let removed = false;
  for (const change of changes) {
    if (!("id" in change)) continue;
    const item = items.find((it) => it.id === change.id && it.status === "active");
    if (!item) throw new ValidationError({ items: ["checkout.error.item"] });
    if (change.remove) {
      await tx.query(
        "UPDATE booking_items SET status = 'cancelled', cancelled_at = $2 WHERE id = $1",
        [item.id, now],
      );
      removed = true;
    } else if (change.staff !== undefined && change.staff !== item.staff_id) {
      if (!isUuid(change.staff)) throw new ValidationError({ staff: ["slots.error.staff"] });
      const moved = await tx.query(
        `UPDATE booking_items SET staff_id = $2 WHERE id = $1
           AND EXISTS (SELECT 1 FROM staff WHERE id = $2 AND salon_id = $3)
         RETURNING id`,
        [item.id, change.staff, booking.salon_id],
      );
      if (moved.length === 0) throw new ValidationError({ staff: ["slots.error.staff"] });
    }
  }
  if (removed) await refreshEnvelope(tx, booking.id);
  const current = (await itemsOfBooking(tx, booking.id)).filter((it) => it.status === "active");
  const drafts: InvoiceLineDraft[] = current.map((it) => ({
    bookingItemId: it.id,
    serviceId: it.service_id,
    staffId: it.staff_id,
    descriptionAr: it.service_name_ar,
    descriptionEn: it.service_name_en,
    staffNameAr: it.staff_name_ar,
    staffNameEn: it.staff_name_en,
    unitPriceHalalas: it.price_halalas,
  }));
  if (booking.home_surcharge_halalas > 0) {
    drafts.push({
      bookingItemId: null,
      serviceId: null,
      staffId: null,
      descriptionAr: `زيارة منزلية${
        booking.home_district_name ? ` (${booking.home_district_name})` : ""
      }`,
      descriptionEn: "Home visit",
      staffNameAr: null,
      staffNameEn: null,
      unitPriceHalalas: booking.home_surcharge_halalas,
    });
  }
  for (const change of changes) {
    if ("id" in change) continue;
    if (!isUuid(change.service) || !isUuid(change.staff)) {
      throw new ValidationError({ items: ["checkout.error.item"] });
    }
    const [row] = await tx.query<{
      name_ar: string;
      name_en: string;
      staff_ar: string;
      staff_en: string;
      price: number;
    }>(
      `SELECT v.name_ar, v.name_en, st.name_ar AS staff_ar, st.name_en AS staff_en,
              coalesce(ss.price_halalas, v.price_halalas) AS price
       FROM services v JOIN staff st ON st.id = $2 AND st.salon_id = v.salon_id
       LEFT JOIN staff_services ss ON ss.service_id = v.id AND ss.staff_id = st.id
       WHERE v.id = $1 AND v.salon_id = $3`,
      [change.service, change.staff, booking.salon_id],
    );
    if (!row) throw new ValidationError({ items: ["checkout.error.item"] });
    drafts.push({
      bookingItemId: null,
      serviceId: change.service,
      staffId: change.staff,
      descriptionAr: row.name_ar,
      descriptionEn: row.name_en,
      staffNameAr: row.staff_ar,
      staffNameEn: row.staff_en,
      unitPriceHalalas: row.price,
    });
  }
  return drafts;
}
