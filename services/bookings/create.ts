import type { Db, Tx } from "@/db/types.ts";
import { DbError, PG_EXCLUSION_VIOLATION } from "@/db/types.ts";
import { AppError, ConflictError, NotFoundError, ValidationError } from "@/services/errors.ts";
import {
  createdBookingMessages,
  enqueueMessages,
  randomCode,
} from "@/services/messages/enqueue.ts";
import { resolveSlot, resolveVisit, type StaffChoice } from "@/services/slots/load.ts";
import type { VisitItemRequest, VisitSlot } from "@/services/slots/visit_engine.ts";
import {
  type BookingGuest,
  type BookingItemRow,
  type CatalogTerms,
  catalogTermsFor,
  type GuestInput,
  itemsOfBooking,
  normalizeVisit,
  type VisitItemInput,
} from "./items.ts";
import { refreshEnvelope } from "./envelope.ts";
import {
  type Candidate,
  LAPSED_SQL,
  LOCK_SQL,
  messageContext,
  type People,
  PEOPLE_SQL,
  SALON_SQL,
  type SalonTerms,
  settle,
} from "./create_reads.ts";
import { type HomeLocationInput, homeTerms, withTravel } from "./home.ts";
import { recordEvent } from "./events.ts";
import { expireStaleHolds } from "./locks.ts";
import { MIN_AMOUNT_HALALAS } from "@/services/payments/model.ts";
import {
  type Actor,
  type BookingRow,
  PAY_AT_SALON_BELOW_MINIMUM,
  PAY_AT_SALON_FALLBACK,
} from "./model.ts";
import { isPayAtSalonFallback } from "./queries.ts";
import { isUuid } from "@/services/ids.ts";

export interface CreateBookingInput {
  customerId: string;
  /** Salon by id or slug. */
  salon: string;
  /** The visit's items; without them, the one service `serviceId` with `staff`. */
  items?: VisitItemInput[];
  /** Guests by number: 0 is the customer (nothing to give), 1.. named guests. */
  guests?: GuestInput[];
  serviceId?: string;
  staff?: StaffChoice;
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
  /** Countries whose mobile numbers guests may give (the app's phone countries). */
  phoneCountries?: readonly string[];
  /** A visit at the customer's home instead of the salon. */
  home?: HomeLocationInput;
}

export interface CreateBookingResult {
  booking: BookingRow;
  items: BookingItemRow[];
  replayed: boolean;
  /**
   * The salon asks for payment online but online payment was unavailable, so the booking was taken
   * as pay-at-salon (also on a replay of such a booking).
   */
  payAtSalonFallback: boolean;
}

export type { CatalogTerms };

/** The price (the staff member's own, else the service's) and buffers an item copies. */
export async function catalogTerms(
  tx: Tx,
  serviceId: string,
  staffId: string,
): Promise<CatalogTerms> {
  return (await catalogTermsFor(tx, [{ serviceId, staffId }]))[0];
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

/** The visit's items from the input (the single-service form is a one-item visit). */
function requestedItems(input: CreateBookingInput): VisitItemInput[] {
  if (input.items) return input.items;
  return [{ serviceId: input.serviceId ?? "", staff: input.staff ?? "any", guest: 0 }];
}

/**
 * Books a visit. In one transaction: replays an idempotent retry; locks the candidate staff rows
 * (`FOR UPDATE`, in id order so concurrent "anyone" requests cannot deadlock); expires their stale
 * holds; re-checks the exact start with the slot engine (`resolveSlot` for one item,
 * `resolveVisit` for several), so nothing the page did not offer can be booked; inserts the
 * booking, its guests and its items with prices, durations and buffers copied from the catalog.
 * The `booking_items_no_overlap` exclusion constraint is the second guard.
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
  const visit = normalizeVisit(requestedItems(input), input.guests, input.phoneCountries ?? ["SA"]);
  try {
    return await db.transaction((tx) => createInTx(tx, input, visit));
  } catch (err) {
    if (err instanceof DbError && err.code === PG_EXCLUSION_VIOLATION) {
      throw new ConflictError("booking.slotTaken");
    }
    throw err;
  }
}

/** Where each item of the visit goes, by one rule for one item or several. */
async function resolveStart(
  tx: Tx,
  salonId: string | undefined,
  salonSlug: string,
  items: VisitItemRequest[],
  input: CreateBookingInput,
): Promise<VisitSlot | null> {
  // A walk-in or phone booking is made by the salon: its online notice does not apply.
  const common = {
    salonId,
    salonSlug,
    startMs: input.start.getTime(),
    now: input.now,
    ignoreNotice: input.source === "salon",
  };
  // A home visit's travel widens buffers the one-service rule does not know: the visit rule it is.
  if (items.length > 1 || input.home) return await resolveVisit(tx, { ...common, items });
  const only = items[0];
  const slot = await resolveSlot(tx, { ...common, serviceId: only.serviceId, staff: only.staff });
  return slot && {
    startMs: slot.startMs,
    endMs: slot.endMs,
    items: [{ ...slot, serviceId: only.serviceId, guest: 0 }],
  };
}

/**
 * Three round trips in the common case, whatever the visit's size: (1) the idempotency key, the
 * salon, the candidate staff locked, the schedule the slot engine re-checks against, the catalog
 * terms and who hears about it, sent together (each a statement of its own, so the schedule is
 * read after the locks are held); (2) every write and the answer's items, sent together; and the
 * transaction's COMMIT. A home visit reads its terms first (one more), and lapsed holds of the
 * candidates are expired before writing (only when there are any).
 */
async function createInTx(
  tx: Tx,
  input: CreateBookingInput,
  visit: ReturnType<typeof normalizeVisit>,
): Promise<CreateBookingResult> {
  const salonRef = [isUuid(input.salon) ? input.salon : null, input.salon];
  const serviceIds = [...new Set(visit.items.map((it) => it.serviceId))];
  const anyone = visit.items.some((it) => it.staff === "any");
  const named = anyone ? null : [...new Set(visit.items.map((it) => it.staff))];

  let home: Awaited<ReturnType<typeof homeTerms>> | null = null;
  let salonRead: Promise<SalonTerms[]>;
  if (input.home) {
    // The travel time widens the buffers the re-check uses: read the home terms first.
    const [found] = await tx.query<SalonTerms>(SALON_SQL, salonRef);
    if (!found) throw new NotFoundError();
    home = await homeTerms(tx, found.id, serviceIds, input.home);
    salonRead = Promise.resolve([found]);
  }
  const items = home ? withTravel(visit.items, home.travelMinutes) : visit.items;

  // Sent in this order without waiting: one round trip.
  const claim = input.idempotency
    ? claimIdempotencyKey(tx, input.customerId, input.idempotency)
    : Promise.resolve(null);
  salonRead ??= tx.query<SalonTerms>(SALON_SQL, salonRef);
  const lockParams = [...salonRef, serviceIds, named, input.now];
  const locked = tx.query<Candidate>(LOCK_SQL, lockParams.slice(0, 4));
  const lapsed = tx.query<{ n: number }>(LAPSED_SQL, lockParams);
  const people = tx.query<People>(PEOPLE_SQL, [...salonRef, serviceIds, named, input.customerId]);
  const resolved = resolveStart(tx, salonRef[0] ?? undefined, input.salon, items, input);

  const [replay] = await settle([claim]).catch(async (err) => {
    await Promise.allSettled([salonRead, locked, lapsed, people, resolved]);
    throw err;
  });
  if (replay) {
    await Promise.allSettled([salonRead, locked, lapsed, people, resolved]);
    const [replayItems, fallback] = await Promise.all([
      itemsOfBooking(tx, replay.id),
      isPayAtSalonFallback(tx, replay.id),
    ]);
    return { booking: replay, items: replayItems, replayed: true, payAtSalonFallback: fallback };
  }
  const [[salon], candidates, [stale], [who]] = await settle([salonRead, locked, lapsed, people])
    .catch(async (err) => {
      await Promise.allSettled([resolved]);
      throw err;
    });
  if (!salon) {
    await Promise.allSettled([resolved]);
    throw new NotFoundError();
  }
  if (candidates.length === 0) {
    await Promise.allSettled([resolved]);
    throw new ValidationError({
      [named ? "staff" : "service"]: [named ? "slots.error.staff" : "slots.error.service"],
    });
  }
  const slot = await resolved;
  if (!slot) throw new ConflictError("booking.slotTaken");
  // The re-check ignores lapsed holds; their rows go before this booking's are written.
  if (stale.n > 0) await expireStaleHolds(tx, candidates.map((c) => c.id), input.now);

  const terms = slot.items.map((it, i) => {
    const t = who.terms.find((r) => r.service_id === it.serviceId && r.staff_id === it.staffId);
    if (!t) throw new ValidationError({ staff: ["slots.error.staff"] });
    return {
      price_halalas: t.price_halalas,
      buffer_before_minutes: t.buffer_before_minutes + (items[i].extraBeforeMinutes ?? 0),
      buffer_after_minutes: t.buffer_after_minutes + (items[i].extraAfterMinutes ?? 0),
    };
  });
  const surcharge = home?.surchargeHalalas ?? 0;
  const total = terms.reduce((sum, t) => sum + t.price_halalas, 0) + surcharge;
  const asksOnline = salon.payment_mode !== "at_salon" && (input.source ?? "online") === "online";
  // A hold for a payment nobody can make would only block the slot until it expires: without
  // online payment the customer pays at the salon instead, and the booking is confirmed now.
  const fallback = asksOnline && input.onlinePayment !== true;
  // Nor for an amount no card payment can take (a free service, a deposit under SAR 1).
  const belowMinimum = asksOnline && !fallback &&
    depositFor(total, salon.payment_mode, salon.deposit_percent) < MIN_AMOUNT_HALALAS;
  const online = asksOnline && !fallback && !belowMinimum;
  const paymentMode = online ? salon.payment_mode : "at_salon";
  const status = online ? "pending" : "confirmed";
  const holdExpiresAt = online ? new Date(input.now.getTime() + salon.hold_minutes * 60_000) : null;

  // Every write goes out together (one round trip): the booking row carries the lead item (a
  // trigger inserts it and guest 0), then the guests, the other items, the envelope, history,
  // the short link, messages and reminders, the idempotency key, and the items to answer with.
  const bookingId = crypto.randomUUID();
  const lead = slot.items[0];
  const code = randomCode();
  const writes: Promise<unknown>[] = [];
  const inserted = tx.query<BookingRow>(
    `INSERT INTO bookings (
       id, salon_id, service_id, staff_id, customer_id, starts_at, ends_at, block_start, block_end,
       duration_minutes, buffer_before_minutes, buffer_after_minutes, status, hold_expires_at,
       price_halalas, deposit_halalas, payment_mode, cancellation_window_hours, source,
       created_at, updated_at, location, home_district_key, home_district_name, home_address,
       home_map_url, home_notes, home_surcharge_halalas)
     VALUES ($25, $1, $2, $3, $4, $5, $6,
       $5::timestamptz - make_interval(mins => $8), $6::timestamptz + make_interval(mins => $9),
       $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18, $19, $20, $21, $22, $23,
       $24)
     RETURNING *`,
    [
      salon.id,
      lead.serviceId,
      lead.staffId,
      input.customerId,
      new Date(lead.startMs),
      new Date(lead.endMs),
      Math.round((lead.endMs - lead.startMs) / 60_000),
      terms[0].buffer_before_minutes,
      terms[0].buffer_after_minutes,
      status,
      holdExpiresAt,
      terms[0].price_halalas,
      depositFor(total, paymentMode, salon.deposit_percent),
      paymentMode,
      salon.cancellation_window_hours,
      input.source ?? "online",
      input.now,
      home ? "home" : "salon",
      home ? input.home!.district : null,
      home?.districtName ?? null,
      home ? input.home!.address.trim() : null,
      home ? input.home!.mapUrl || null : null,
      home ? input.home!.notes?.trim().slice(0, 500) || null : null,
      surcharge,
      bookingId,
    ],
  );
  writes.push(inserted);
  let refreshed: Promise<BookingRow> | null = null;
  if (slot.items.length > 1 || home) {
    if (slot.items.length > 1) {
      writes.push(insertOtherItems(tx, bookingId, salon.id, visit.guests, slot, terms));
    }
    refreshed = refreshEnvelope(tx, bookingId);
    writes.push(refreshed);
  }
  writes.push(recordEvent(tx, bookingId, input.actor, input.now, {
    kind: "created",
    from: null,
    to: status,
    data: fallback || belowMinimum
      ? {
        at_salon_reason: fallback ? PAY_AT_SALON_FALLBACK : PAY_AT_SALON_BELOW_MINIMUM,
        salon_payment_mode: salon.payment_mode,
      }
      : undefined,
  }));
  writes.push(tx.query("INSERT INTO booking_links (code, booking_id) VALUES ($1, $2)", [
    code,
    bookingId,
  ]));
  const context = messageContext(
    bookingId,
    salon,
    status,
    input,
    slot,
    visit.guests,
    candidates,
    who,
    home,
  );
  const users = new Map(who.users.map((u) => [u.id, {
    phone: u.phone,
    locale: u.lang === "en" ? "en" as const : "ar" as const,
  }]));
  writes.push(enqueueMessages(
    tx,
    createdBookingMessages(context, users, who.managers, code, input.actor, input.now),
  ));
  if (input.idempotency) {
    writes.push(tx.query(
      "UPDATE idempotency_keys SET booking_id = $1 WHERE user_id = $2 AND scope = 'booking.create' AND key = $3",
      [bookingId, input.customerId, input.idempotency.key],
    ));
  }
  const answer = itemsOfBooking(tx, bookingId);
  writes.push(answer);
  await settle(writes);
  return {
    booking: refreshed ? await refreshed : (await inserted)[0],
    items: await answer,
    replayed: false,
    payAtSalonFallback: fallback,
  };
}

/** The named guests and every item after the lead, in one statement each. */
async function insertOtherItems(
  tx: Tx,
  bookingId: string,
  salonId: string,
  guests: BookingGuest[],
  slot: VisitSlot,
  terms: CatalogTerms[],
): Promise<void> {
  const named = guests.filter((g) => g.position > 0);
  const guestRows = named.length
    ? tx.query(
      `INSERT INTO booking_guests (booking_id, salon_id, position, name, phone)
       SELECT $1, $2, g.position, g.name, g.phone
       FROM json_to_recordset($3::json) AS g(position smallint, name text, phone text)`,
      [bookingId, salonId, named],
    )
    : null;
  const rest = slot.items.slice(1).map((it, i) => ({
    position: i + 1,
    guest: it.guest,
    service_id: it.serviceId,
    staff_id: it.staffId,
    starts_at: new Date(it.startMs).toISOString(),
    ends_at: new Date(it.endMs).toISOString(),
    minutes: Math.round((it.endMs - it.startMs) / 60_000),
    before: terms[i + 1].buffer_before_minutes,
    after: terms[i + 1].buffer_after_minutes,
    price: terms[i + 1].price_halalas,
  }));
  const itemRows = tx.query(
    `INSERT INTO booking_items (
       booking_id, salon_id, guest, position, service_id, staff_id, starts_at, ends_at,
       block_start, block_end, duration_minutes, buffer_before_minutes, buffer_after_minutes,
       price_halalas)
     SELECT $1, $2, r.guest, r.position, r.service_id, r.staff_id, r.starts_at, r.ends_at,
       r.starts_at - make_interval(mins => r.before), r.ends_at + make_interval(mins => r.after),
       r.minutes, r.before, r.after, r.price
     FROM json_to_recordset($3::json) AS r(
       position smallint, guest smallint, service_id uuid, staff_id uuid, starts_at timestamptz,
       ends_at timestamptz, minutes integer, before integer, after integer, price integer)`,
    [bookingId, salonId, rest],
  );
  await settle([guestRows ?? Promise.resolve([]), itemRows]);
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
  // Sent together: the second statement starts after the first (and any wait on its key) is done.
  const [inserted, [existing]] = await settle([
    tx.query(
      `INSERT INTO idempotency_keys (user_id, scope, key, request_hash, created_at)
       VALUES ($1, 'booking.create', $2, $3, now())
       ON CONFLICT DO NOTHING RETURNING key`,
      [userId, key, requestHash],
    ),
    tx.query<BookingRow & { idem_hash: string; idem_booking: string | null }>(
      `SELECT k.request_hash AS idem_hash, k.booking_id AS idem_booking, b.*
       FROM idempotency_keys k LEFT JOIN bookings b ON b.id = k.booking_id
       WHERE k.user_id = $1 AND k.scope = 'booking.create' AND k.key = $2`,
      [userId, key],
    ),
  ]);
  if (inserted.length) return null;
  const { idem_hash, idem_booking: _, ...booking } = existing;
  if (idem_hash !== requestHash) throw new AppError(422, "booking.idempotencyMismatch");
  if (!booking.id) throw new ConflictError("booking.slotTaken");
  return booking as BookingRow;
}
