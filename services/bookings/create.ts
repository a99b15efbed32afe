import type { Db, Tx } from "@/db/types.ts";
import { DbError, PG_EXCLUSION_VIOLATION } from "@/db/types.ts";
import { AppError, ConflictError, NotFoundError } from "@/services/errors.ts";
import { resolveSlot, type StaffChoice } from "@/services/slots/load.ts";
import { recordEvent } from "./events.ts";
import { expireStaleHolds, lockStaff } from "./locks.ts";
import { MIN_AMOUNT_HALALAS } from "@/services/payments/model.ts";
import {
  type Actor,
  type BookingRow,
  PAY_AT_SALON_BELOW_MINIMUM,
  PAY_AT_SALON_FALLBACK,
} from "./model.ts";
import { notifyBookingEvent } from "./notify.ts";
import { isPayAtSalonFallback } from "./queries.ts";
import { isUuid } from "@/services/ids.ts";

export interface CreateBookingInput {
  customerId: string;
  /** Salon by id or slug. */
  salon: string;
  serviceId: string;
  staff: StaffChoice;
  start: Date;
  now: Date;
  actor: Actor;
  /** Who made it: the customer online, or the salon for a walk-in or phone booking. */
  source?: "online" | "salon";
  /** With its request hash: the same key and body replay the booking, another body is refused. */
  idempotency?: { key: string; requestHash: string };
  /**
   * Whether customers can pay online right now (routes pass `c.var.deps.payments != null`: a
   * Moyasar client is configured). Without it (the default), a salon that asks for a deposit or
   * full prepayment takes an online booking as pay-at-salon, confirmed at once, instead of holding
   * the slot for a payment nobody can make.
   */
  onlinePayment?: boolean;
}

export interface CreateBookingResult {
  booking: BookingRow;
  replayed: boolean;
  /**
   * The salon asks for payment online but online payment was unavailable, so the booking was taken
   * as pay-at-salon (also on a replay of such a booking).
   */
  payAtSalonFallback: boolean;
}

/** What a booking copies from the catalog for one staff member doing one service. */
export interface CatalogTerms {
  price_halalas: number;
  buffer_before_minutes: number;
  buffer_after_minutes: number;
}

/** The price (the staff member's own, else the service's) and buffers booking copies. */
export async function catalogTerms(
  tx: Tx,
  serviceId: string,
  staffId: string,
): Promise<CatalogTerms> {
  const [terms] = await tx.query<CatalogTerms>(
    `SELECT coalesce(ss.price_halalas, v.price_halalas) AS price_halalas,
            v.buffer_before_minutes, v.buffer_after_minutes
     FROM services v JOIN staff_services ss ON ss.service_id = v.id AND ss.staff_id = $2
     WHERE v.id = $1`,
    [serviceId, staffId],
  );
  return terms;
}

/** Deposit in whole halalas: the salon's percent of the price, rounded half up. */
export function depositFor(
  priceHalalas: number,
  mode: BookingRow["payment_mode"],
  percent: number,
): number {
  if (mode === "full") return priceHalalas;
  if (mode === "deposit") return Math.round((priceHalalas * percent) / 100);
  return 0;
}

/**
 * Books a time. In one transaction: replays an idempotent retry; locks the candidate staff rows
 * (`FOR UPDATE`, in id order so concurrent "anyone" requests cannot deadlock); expires their stale
 * holds; re-checks the exact start with the slot engine (`resolveSlot`), so nothing the page did
 * not offer can be booked; inserts with price and duration copied from the catalog. The
 * `bookings_no_overlap` exclusion constraint is the second guard.
 *
 * Online payment modes create a `pending` booking holding the slot until `hold_expires_at`;
 * pay-at-salon bookings are `confirmed` at once. When online payment is unavailable
 * (`onlinePayment` not set), a booking at a deposit or prepayment salon is pay-at-salon too
 * (`payment_mode` 'at_salon', nothing due online), and its `created` event records why
 * (`data.at_salon_reason`: {@link PAY_AT_SALON_FALLBACK}).
 *
 * @throws ConflictError (409) when the time is no longer free.
 * @throws AppError 422 when the idempotency key was used with a different request.
 * @throws NotFoundError / ValidationError for an unknown salon, service or staff member.
 */
export async function createBooking(
  db: Db | Tx,
  input: CreateBookingInput,
): Promise<CreateBookingResult> {
  try {
    return await db.transaction((tx) => createInTx(tx, input));
  } catch (err) {
    if (err instanceof DbError && err.code === PG_EXCLUSION_VIOLATION) {
      throw new ConflictError("booking.slotTaken");
    }
    throw err;
  }
}

async function createInTx(tx: Tx, input: CreateBookingInput): Promise<CreateBookingResult> {
  if (input.idempotency) {
    const replay = await claimIdempotencyKey(tx, input.customerId, input.idempotency);
    if (replay) {
      return {
        booking: replay,
        replayed: true,
        payAtSalonFallback: await isPayAtSalonFallback(tx, replay.id),
      };
    }
  }

  const [salon] = await tx.query<{
    id: string;
    hold_minutes: number;
    payment_mode: BookingRow["payment_mode"];
    deposit_percent: number;
    cancellation_window_hours: number;
  }>(
    `SELECT id, hold_minutes, payment_mode, deposit_percent, cancellation_window_hours
     FROM salons WHERE active AND (id = $1::uuid OR slug = $2)`,
    [isUuid(input.salon) ? input.salon : null, input.salon],
  );
  if (!salon) throw new NotFoundError();

  const candidates = await lockStaff(tx, salon.id, input.serviceId, input.staff);
  await expireStaleHolds(tx, candidates, input.now);

  const slot = await resolveSlot(tx, {
    salonId: salon.id,
    serviceId: input.serviceId,
    staff: input.staff,
    startMs: input.start.getTime(),
    now: input.now,
    // A walk-in or phone booking is made by the salon: its online notice does not apply.
    ignoreNotice: input.source === "salon",
  });
  if (!slot) throw new ConflictError("booking.slotTaken");

  const pricing = await catalogTerms(tx, input.serviceId, slot.staffId);
  const asksOnline = salon.payment_mode !== "at_salon" && (input.source ?? "online") === "online";
  // A hold for a payment nobody can make would only block the slot until it expires: without
  // online payment the customer pays at the salon instead, and the booking is confirmed now.
  const fallback = asksOnline && input.onlinePayment !== true;
  // Nor for an amount no card payment can take (a free service, a deposit under SAR 1).
  const belowMinimum = asksOnline && !fallback &&
    depositFor(pricing.price_halalas, salon.payment_mode, salon.deposit_percent) <
      MIN_AMOUNT_HALALAS;
  const online = asksOnline && !fallback && !belowMinimum;
  const paymentMode = online ? salon.payment_mode : "at_salon";
  const status = online ? "pending" : "confirmed";
  const holdExpiresAt = online ? new Date(input.now.getTime() + salon.hold_minutes * 60_000) : null;

  const [booking] = await tx.query<BookingRow>(
    `INSERT INTO bookings (
       salon_id, service_id, staff_id, customer_id, starts_at, ends_at, block_start, block_end,
       duration_minutes, buffer_before_minutes, buffer_after_minutes, status, hold_expires_at,
       price_halalas, deposit_halalas, payment_mode, cancellation_window_hours, source,
       created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6,
       $5::timestamptz - make_interval(mins => $8), $6::timestamptz + make_interval(mins => $9),
       $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)
     RETURNING *`,
    [
      salon.id,
      input.serviceId,
      slot.staffId,
      input.customerId,
      new Date(slot.startMs),
      new Date(slot.endMs),
      Math.round((slot.endMs - slot.startMs) / 60_000),
      pricing.buffer_before_minutes,
      pricing.buffer_after_minutes,
      status,
      holdExpiresAt,
      pricing.price_halalas,
      depositFor(pricing.price_halalas, paymentMode, salon.deposit_percent),
      paymentMode,
      salon.cancellation_window_hours,
      input.source ?? "online",
      input.now,
    ],
  );

  await recordEvent(tx, booking.id, input.actor, input.now, {
    kind: "created",
    from: null,
    to: status,
    data: fallback || belowMinimum
      ? {
        at_salon_reason: fallback ? PAY_AT_SALON_FALLBACK : PAY_AT_SALON_BELOW_MINIMUM,
        salon_payment_mode: salon.payment_mode,
      }
      : undefined,
  });
  await notifyBookingEvent(tx, booking, "created", input.actor, input.now);
  if (input.idempotency) {
    await tx.query(
      "UPDATE idempotency_keys SET booking_id = $1 WHERE user_id = $2 AND scope = 'booking.create' AND key = $3",
      [booking.id, input.customerId, input.idempotency.key],
    );
  }
  return { booking, replayed: false, payAtSalonFallback: fallback };
}

/**
 * Takes the key for this request, or returns the booking an earlier identical request made.
 * A concurrent request with the same key waits on the key's row until the first commits.
 */
async function claimIdempotencyKey(
  tx: Tx,
  userId: string,
  { key, requestHash }: { key: string; requestHash: string },
): Promise<BookingRow | null> {
  const inserted = await tx.query(
    `INSERT INTO idempotency_keys (user_id, scope, key, request_hash, created_at)
     VALUES ($1, 'booking.create', $2, $3, now())
     ON CONFLICT DO NOTHING RETURNING key`,
    [userId, key, requestHash],
  );
  if (inserted.length) return null;
  const [existing] = await tx.query<{ request_hash: string; booking_id: string | null }>(
    "SELECT request_hash, booking_id FROM idempotency_keys WHERE user_id = $1 AND scope = 'booking.create' AND key = $2",
    [userId, key],
  );
  if (existing.request_hash !== requestHash) throw new AppError(422, "booking.idempotencyMismatch");
  const [booking] = await tx.query<BookingRow>("SELECT * FROM bookings WHERE id = $1", [
    existing.booking_id,
  ]);
  if (!booking) throw new ConflictError("booking.slotTaken");
  return booking;
}
