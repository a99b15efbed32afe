import type { Queryable } from "@/db/types.ts";
import { NotFoundError } from "@/services/errors.ts";
import { type BookingRow, PAY_AT_SALON_FALLBACK, shownStatus } from "./model.ts";
import { isUuid } from "@/services/ids.ts";
import { type CustomerColumns, customerColumnsSql } from "@/services/people.ts";

/** A booking with what pages show about it: salon, service, staff and customer names. */
export interface BookingDetails extends BookingRow, CustomerColumns {
  salon_slug: string;
  salon_name_ar: string;
  salon_name_en: string;
  salon_timezone: string;
  salon_city_ar: string;
  salon_city_en: string;
  salon_address_ar: string;
  salon_address_en: string;
  salon_latitude: number | null;
  salon_longitude: number | null;
  salon_phone: string | null;
  service_name_ar: string;
  service_name_en: string;
  staff_name_ar: string;
  staff_name_en: string;
  /** The visit's services in order, cancelled ones included (see `status`). */
  items: VisitItemView[];
  /**
   * The visit's invoice, then its credit notes (empty until it is checked out); read in the same
   * query by getBookingDetails and listCustomerBookings, absent from the dashboard's lists.
   */
  invoices?: VisitDocumentView[];
}

/** An issued invoice or credit note of a visit, as booking pages link it. */
export interface VisitDocumentView {
  id: string;
  kind: "invoice" | "credit_note";
  number: number;
  total_halalas: number;
}

/** One service of a visit as pages show it. */
export interface VisitItemView {
  id: string;
  guest: number;
  /** A named guest's name (null for the customer's own services). */
  guest_name: string | null;
  staff_id: string;
  service_id: string;
  service_name_ar: string;
  service_name_en: string;
  staff_name_ar: string;
  staff_name_en: string;
  starts_at: Date;
  ends_at: Date;
  price_halalas: number;
  status: "active" | "cancelled";
}

/** SQL: the visit's items of booking `b` as a JSON array (see {@link VisitItemView}), `items`. */
export const ITEMS_SQL = `(SELECT json_agg(json_build_object(
             'id', i.id, 'guest', i.guest, 'guest_name', g.name, 'staff_id', i.staff_id,
             'service_id', i.service_id,
             'service_name_ar', iv.name_ar, 'service_name_en', iv.name_en,
             'staff_name_ar', ist.name_ar, 'staff_name_en', ist.name_en,
             'starts_at', i.starts_at, 'ends_at', i.ends_at, 'price_halalas', i.price_halalas,
             'status', i.status) ORDER BY i.position)
          FROM booking_items i
          JOIN services iv ON iv.id = i.service_id
          JOIN staff ist ON ist.id = i.staff_id
          LEFT JOIN booking_guests g ON g.booking_id = i.booking_id AND g.position = i.guest
          WHERE i.booking_id = b.id) AS items`;

/** SQL: the visit's invoice then its credit notes (see {@link VisitDocumentView}), `invoices`. */
const INVOICES_SQL = `(SELECT coalesce(json_agg(json_build_object(
             'id', d.id, 'kind', d.kind, 'number', d.number, 'total_halalas', d.total_halalas)
             ORDER BY d.kind DESC, d.number), '[]'::json)
          FROM invoices d WHERE d.booking_id = b.id) AS invoices`;

const DETAILS_SQL = `
  SELECT b.*, s.slug AS salon_slug, s.name_ar AS salon_name_ar, s.name_en AS salon_name_en,
         s.timezone AS salon_timezone, s.city_ar AS salon_city_ar, s.city_en AS salon_city_en,
         s.address_ar AS salon_address_ar,
         s.address_en AS salon_address_en, s.latitude AS salon_latitude,
         s.longitude AS salon_longitude, s.phone AS salon_phone,
         v.name_ar AS service_name_ar, v.name_en AS service_name_en,
         st.name_ar AS staff_name_ar, st.name_en AS staff_name_en,
         ${customerColumnsSql("u")},
         ${ITEMS_SQL},
         ${INVOICES_SQL}
  FROM bookings b
  JOIN salons s ON s.id = b.salon_id
  JOIN services v ON v.id = b.service_id
  JOIN staff st ON st.id = b.staff_id
  LEFT JOIN users u ON u.id = b.customer_id`;

/** One booking; `scope.customerId` limits it to that customer's own (another's → 404). */
export async function getBookingDetails(
  db: Queryable,
  bookingId: string,
  scope: { customerId?: string; salonId?: string } = {},
): Promise<BookingDetails> {
  if (!isUuid(bookingId)) {
    throw new NotFoundError();
  }
  const [row] = await db.query<BookingDetails>(
    `${DETAILS_SQL} WHERE b.id = $1 AND ($2::uuid IS NULL OR b.customer_id = $2)
       AND ($3::uuid IS NULL OR b.salon_id = $3)`,
    [bookingId, scope.customerId ?? null, scope.salonId ?? null],
  );
  if (!row) throw new NotFoundError();
  return withItemDates(row);
}

/** JSON-aggregated item times become Dates, like the row's own. */
export function withItemDates(b: BookingDetails): BookingDetails {
  const items = (b.items ?? []).map((i) => ({
    ...i,
    starts_at: new Date(i.starts_at),
    ends_at: new Date(i.ends_at),
  }));
  return { ...b, items };
}

/**
 * A customer's bookings: upcoming (soonest first), called off (cancelled or expired bookings whose
 * time has not come, soonest first) and past (latest first).
 */
export async function listCustomerBookings(
  db: Queryable,
  customerId: string,
  now: Date,
): Promise<{ upcoming: BookingDetails[]; calledOff: BookingDetails[]; past: BookingDetails[] }> {
  const rows = (await db.query<BookingDetails>(
    `${DETAILS_SQL} WHERE b.customer_id = $1 ORDER BY b.starts_at`,
    [customerId],
  )).map((b) => ({ ...withItemDates(b), status: shownStatus(b, now) }));
  const active = (b: BookingDetails) => b.status === "pending" || b.status === "confirmed";
  const upcoming = rows.filter((b) => b.ends_at.getTime() > now.getTime() && active(b));
  const calledOff = rows.filter((b) => b.starts_at.getTime() > now.getTime() && !active(b));
  const past = rows.filter((b) => !upcoming.includes(b) && !calledOff.includes(b)).reverse();
  return { upcoming, calledOff, past };
}

/** The history of a booking, oldest first. */
export function listBookingEvents(db: Queryable, bookingId: string) {
  return db.query<{
    at: Date;
    actor_role: string;
    kind: string;
    from_status: string | null;
    to_status: string;
    reason: string | null;
  }>(
    "SELECT at, actor_role, kind, from_status, to_status, reason FROM booking_events WHERE booking_id = $1 ORDER BY at, id",
    [bookingId],
  );
}

/**
 * Whether the booking was taken as pay-at-salon because online payment was unavailable when it was
 * made, although its salon asked for a deposit or prepayment (its `created` event says so).
 */
export async function isPayAtSalonFallback(db: Queryable, bookingId: string): Promise<boolean> {
  return await payAtSalonReason(db, bookingId) === PAY_AT_SALON_FALLBACK;
}

/** Why a booking at a salon that asks for money online is paid at the salon, or null. */
export async function payAtSalonReason(db: Queryable, bookingId: string): Promise<string | null> {
  const [row] = await db.query<{ reason: string | null }>(
    `SELECT data->>'at_salon_reason' AS reason FROM booking_events
     WHERE booking_id = $1 AND kind = 'created'`,
    [bookingId],
  );
  return row?.reason ?? null;
}
