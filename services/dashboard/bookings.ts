/**
 * Bookings as the salon sees them: search, one booking, and every action the front desk takes.
 * Each action checks the caller's role in the salon itself, then goes through the booking
 * services (actor role `salon`) inside one transaction that also writes its audit row, so the
 * locking, slot re-checks and exclusion constraint that guard customers' bookings guard these too.
 *
 * Staff see and act on their own bookings only (`staff.user_id` is them): completing and marking
 * no-shows. Confirming, cancelling, moving and creating bookings are the managers'.
 */
import type { Db, Queryable, Tx } from "@/db/types.ts";
import {
  type Actor,
  type BookingDetails,
  type BookingRow,
  type BookingStatus,
  cancelBooking,
  changeBookingStatus,
  createBooking,
  getBookingDetails,
  rescheduleBooking,
} from "@/services/bookings/mod.ts";
import { ITEMS_SQL, withItemDates } from "@/services/bookings/queries.ts";
import type { Locale } from "@/i18n/mod.ts";
import { NotFoundError, ValidationError } from "@/services/errors.ts";
import { addDays } from "@/services/slots/load.ts";
import { auditRole, authorizeSalon, type DashboardActor, type SalonAccess } from "./access.ts";
import { audit, startOfLocalDay } from "./audit.ts";
import { isUuid } from "@/services/ids.ts";
import { customerColumnsSql, shownPhoneSql } from "@/services/people.ts";

export interface BookingFilter {
  /** Local dates in the salon's zone, inclusive. */
  from: string;
  to: string;
  staffId?: string | null;
  status?: BookingStatus | null;
  /** Digits of the customer's phone number (any part of it). */
  phone?: string | null;
  limit?: number;
}

const DASHBOARD_SQL = `
  SELECT b.*, s.slug AS salon_slug, s.name_ar AS salon_name_ar, s.name_en AS salon_name_en,
         s.timezone AS salon_timezone, s.city_ar AS salon_city_ar, s.city_en AS salon_city_en,
         s.address_ar AS salon_address_ar, s.address_en AS salon_address_en,
         s.latitude AS salon_latitude, s.longitude AS salon_longitude, s.phone AS salon_phone,
         v.name_ar AS service_name_ar, v.name_en AS service_name_en,
         st.name_ar AS staff_name_ar, st.name_en AS staff_name_en,
         ${customerColumnsSql("u")}, ${ITEMS_SQL}
  FROM bookings b
  JOIN salons s ON s.id = b.salon_id
  JOIN services v ON v.id = b.service_id
  JOIN staff st ON st.id = b.staff_id
  LEFT JOIN users u ON u.id = b.customer_id`;

/** Only the digits of what was typed (Arabic-Indic digits count). */
export function phoneDigits(value: string): string {
  return value.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => {
    const code = d.charCodeAt(0);
    return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
  }).replace(/\D/g, "");
}

/**
 * A salon's bookings starting within the local date range, soonest first, filtered by staff
 * member, status and (part of) the customer's phone number; a leading 0 of a local number is
 * ignored, so "0512…" finds "+966512…". Staff get their own bookings only.
 * @throws ForbiddenError for someone who does not work at the salon.
 */
export async function listSalonBookings(
  db: Queryable,
  actor: DashboardActor,
  salonId: string,
  filter: BookingFilter,
): Promise<{ rows: BookingDetails[]; more: boolean }> {
  const access = await authorizeSalon(db, actor.user, salonId, "staff");
  if (access.role === "staff" && !access.staffId) return { rows: [], more: false };
  const [salon] = await db.query<{ timezone: string }>(
    "SELECT timezone FROM salons WHERE id = $1",
    [salonId],
  );
  const from = startOfLocalDay(filter.from, salon.timezone);
  const to = startOfLocalDay(addDays(filter.to, 1), salon.timezone);
  const staffId = access.role === "staff"
    ? access.staffId
    : filter.staffId && isUuid(filter.staffId)
    ? filter.staffId
    : null;
  const digits = phoneDigits(filter.phone ?? "").replace(/^0+/, "");
  const limit = Math.min(Math.max(filter.limit ?? 200, 1), 5000);
  const rows = await db.query<BookingDetails>(
    `${DASHBOARD_SQL}
     WHERE b.salon_id = $1 AND b.starts_at >= $2 AND b.starts_at < $3
       AND ($4::uuid IS NULL OR EXISTS (SELECT 1 FROM booking_items x
                                        WHERE x.booking_id = b.id AND x.staff_id = $4))
       AND ($5::text IS NULL OR b.status = $5)
       AND ($6::text = '' OR strpos(${shownPhoneSql("u")}, $6) > 0)
     ORDER BY b.starts_at, b.id
     LIMIT $7`,
    [salonId, from, to, staffId, filter.status ?? null, digits, limit + 1],
  );
  return { rows: rows.slice(0, limit).map(withItemDates), more: rows.length > limit };
}

/** Throws NotFoundError unless staff `access` may see this booking (managers see all). */
export function assertInScope(
  access: SalonAccess,
  booking: Pick<BookingRow, "staff_id"> & { items?: { staff_id: string }[] },
): void {
  // Staff see a visit in which they do any service.
  const theirs = booking.staff_id === access.staffId ||
    (booking.items ?? []).some((i) => i.staff_id === access.staffId);
  if (access.role === "staff" && !theirs) throw new NotFoundError();
}

/**
 * One booking of the salon with its names, for the dashboard's booking page. Staff only see
 * their own (others → 404, like a booking of another salon).
 */
export async function getSalonBooking(
  db: Queryable,
  actor: DashboardActor,
  salonId: string,
  bookingId: string,
): Promise<{ booking: BookingDetails; access: SalonAccess }> {
  const access = await authorizeSalon(db, actor.user, salonId, "staff");
  const booking = await getBookingDetails(db, bookingId, { salonId });
  assertInScope(access, booking);
  return { booking, access };
}

/** The columns of a booking worth keeping in the audit log. */
export function bookingAudit(b: BookingRow) {
  return {
    status: b.status,
    starts_at: b.starts_at,
    ends_at: b.ends_at,
    staff_id: b.staff_id,
    service_id: b.service_id,
    customer_id: b.customer_id,
    price_halalas: b.price_halalas,
    source: b.source,
    cancel_reason: b.cancel_reason,
  };
}

async function readForAction(tx: Tx, access: SalonAccess, bookingId: string): Promise<BookingRow> {
  if (!isUuid(bookingId)) throw new NotFoundError();
  const [booking] = await tx.query<BookingRow>(
    "SELECT * FROM bookings WHERE id = $1 AND salon_id = $2",
    [bookingId, access.salonId],
  );
  if (!booking) throw new NotFoundError();
  assertInScope(access, booking);
  return booking;
}

const salonActor = (actor: DashboardActor): Actor => ({ userId: actor.user.id, role: "salon" });

export type DashboardStatus = "confirmed" | "completed" | "no_show";

const STATUS_ACTION: Record<DashboardStatus, string> = {
  confirmed: "booking.confirm",
  completed: "booking.complete",
  no_show: "booking.no_show",
};

/**
 * Confirms a pending (or lapsed) booking (managers), or records that an appointment happened or
 * the customer did not come (staff on their own bookings, managers on any; only after the start).
 * @throws ConflictError when the lifecycle does not allow it; NotFoundError outside the caller's
 *   scope; ForbiddenError for staff confirming.
 */
export async function setBookingStatus(
  db: Db,
  actor: DashboardActor,
  salonId: string,
  input: { bookingId: string; to: DashboardStatus },
): Promise<BookingRow> {
  return await db.transaction(async (tx) => {
    const access = await authorizeSalon(
      tx,
      actor.user,
      salonId,
      input.to === "confirmed" ? "manager" : "staff",
    );
    const before = await readForAction(tx, access, input.bookingId);
    const after = await changeBookingStatus(tx, {
      bookingId: before.id,
      to: input.to,
      actor: salonActor(actor),
      now: actor.now,
      scope: { salonId },
    });
    await audit(tx, {
      salonId,
      actorUserId: actor.user.id,
      actorRole: auditRole(access),
      action: STATUS_ACTION[input.to],
      entity: "booking",
      entityId: before.id,
      before: bookingAudit(before),
      after: bookingAudit(after),
      at: actor.now,
      requestId: actor.requestId,
    });
    return after;
  });
}

/**
 * Cancels a booking for the salon, with the reason the customer is told. Managers only.
 * Cancelling a cancelled booking changes nothing (and writes no audit row).
 */
export async function cancelSalonBooking(
  db: Db,
  actor: DashboardActor,
  salonId: string,
  input: { bookingId: string; reason: string },
): Promise<BookingRow> {
  const reason = input.reason.trim();
  if (!reason) throw new ValidationError({ reason: ["validation.required"] });
  if (reason.length > 500) throw new ValidationError({ reason: ["validation.tooLong"] });
  return await db.transaction(async (tx) => {
    const access = await authorizeSalon(tx, actor.user, salonId, "manager");
    const before = await readForAction(tx, access, input.bookingId);
    const after = await cancelBooking(tx, {
      bookingId: before.id,
      actor: salonActor(actor),
      now: actor.now,
      reason,
      scope: { salonId },
    });
    if (before.status !== after.status) {
      await audit(tx, {
        salonId,
        actorUserId: actor.user.id,
        actorRole: auditRole(access),
        action: "booking.cancel",
        entity: "booking",
        entityId: before.id,
        before: bookingAudit(before),
        after: bookingAudit(after),
        at: actor.now,
        requestId: actor.requestId,
      });
    }
    return after;
  });
}

/**
 * Moves a booking to another time and/or staff member (managers), through rescheduleBooking: the
 * staff rows and the booking are locked and the new time re-checked by the slot engine, as for a
 * customer's own move; the salon's minimum notice for online bookings does not apply.
 */
export async function rescheduleSalonBooking(
  db: Db,
  actor: DashboardActor,
  salonId: string,
  input: { bookingId: string; start: Date; staffId?: string; itemId?: string },
): Promise<BookingRow> {
  return await db.transaction(async (tx) => {
    const access = await authorizeSalon(tx, actor.user, salonId, "manager");
    const before = await readForAction(tx, access, input.bookingId);
    const after = await rescheduleBooking(tx, {
      bookingId: before.id,
      start: input.start,
      staff: input.staffId,
      itemId: input.itemId,
      actor: salonActor(actor),
      now: actor.now,
      scope: { salonId },
    });
    await audit(tx, {
      salonId,
      actorUserId: actor.user.id,
      actorRole: auditRole(access),
      action: "booking.reschedule",
      entity: "booking",
      entityId: before.id,
      before: bookingAudit(before),
      after: bookingAudit(after),
      at: actor.now,
      requestId: actor.requestId,
    });
    return after;
  });
}

export interface WalkInInput {
  /** E.164 (the route parses what was typed). */
  phone: string;
  /** Used only when the phone number has no account yet. */
  firstName?: string;
  language?: Locale;
  serviceId: string;
  /** A staff id or "any". */
  staff: string;
  start: Date;
  /** A visit of several services (and guests); without it, the one service above. */
  items?: { serviceId: string; staff: string; guest: number }[];
  guests?: { name?: string | null; phone?: string | null }[];
}

/**
 * Books a walk-in or phone customer (managers): finds the customer by phone number or creates
 * their account (not verified; they can log in later with a code to that number), then books
 * through createBooking with source `salon` (confirmed at once, paid at the salon), with the same
 * locks and re-checks as an online booking. Audited as booking.create (and customer.create for a
 * new account).
 * @throws ConflictError when the time is not free; ValidationError for a bad phone number.
 */
export async function createWalkInBooking(
  db: Db,
  actor: DashboardActor,
  salonId: string,
  input: WalkInInput,
): Promise<{ booking: BookingRow; customerCreated: boolean }> {
  if (!/^\+[1-9][0-9]{7,14}$/.test(input.phone)) {
    throw new ValidationError({ phone: ["auth.phone.invalid"] });
  }
  const firstName = (input.firstName ?? "").trim().slice(0, 150);
  return await db.transaction(async (tx) => {
    const access = await authorizeSalon(tx, actor.user, salonId, "manager");
    const [inserted] = await tx.query<{ id: string; phone_number: string; first_name: string }>(
      `INSERT INTO users (phone_number, first_name, preferred_language, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $4)
       ON CONFLICT (phone_number) DO NOTHING
       RETURNING id, phone_number, first_name`,
      [input.phone, firstName, input.language ?? "ar", actor.now],
    );
    let customerId: string;
    if (inserted) {
      customerId = inserted.id;
      await audit(tx, {
        salonId,
        actorUserId: actor.user.id,
        actorRole: auditRole(access),
        action: "customer.create",
        entity: "user",
        entityId: inserted.id,
        before: null,
        after: { phone_number: inserted.phone_number, first_name: inserted.first_name },
        at: actor.now,
        requestId: actor.requestId,
      });
    } else {
      const [existing] = await tx.query<{ id: string }>(
        "SELECT id FROM users WHERE phone_number = $1",
        [input.phone],
      );
      customerId = existing.id;
    }
    const { booking } = await createBooking(tx, {
      customerId,
      salon: salonId,
      serviceId: input.serviceId,
      staff: input.staff,
      ...(input.items && input.items.length > 1
        ? { items: input.items, guests: input.guests }
        : {}),
      start: input.start,
      now: actor.now,
      actor: salonActor(actor),
      source: "salon",
    });
    await audit(tx, {
      salonId,
      actorUserId: actor.user.id,
      actorRole: auditRole(access),
      action: "booking.create",
      entity: "booking",
      entityId: booking.id,
      before: null,
      after: bookingAudit(booking),
      at: actor.now,
      requestId: actor.requestId,
    });
    return { booking, customerCreated: Boolean(inserted) };
  });
}
