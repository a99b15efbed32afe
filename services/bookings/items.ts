import type { Queryable, Tx } from "@/db/types.ts";
import { ValidationError } from "@/services/errors.ts";
import { isUuid } from "@/services/ids.ts";
import { parsePhone } from "@/services/auth/phone.ts";
import type { StaffChoice } from "@/services/slots/load.ts";
import { MAX_VISIT_GUESTS, MAX_VISIT_ITEMS } from "@/services/slots/load.ts";
import type { VisitItemRequest } from "@/services/slots/visit_engine.ts";

/** One service of a visit, for one guest, done by one staff member. */
export interface BookingItemRow {
  id: string;
  booking_id: string;
  guest: number;
  position: number;
  service_id: string;
  staff_id: string;
  starts_at: Date;
  ends_at: Date;
  block_start: Date;
  block_end: Date;
  duration_minutes: number;
  buffer_before_minutes: number;
  buffer_after_minutes: number;
  price_halalas: number;
  status: "active" | "cancelled";
  cancelled_at: Date | null;
}

/** An item with the names pages show. */
export interface BookingItemDetails extends BookingItemRow {
  service_name_ar: string;
  service_name_en: string;
  staff_name_ar: string;
  staff_name_en: string;
}

/** A guest of a visit: 0 is the customer (no name here: the account's), 1.. are named guests. */
export interface BookingGuest {
  position: number;
  name: string | null;
  phone: string | null;
}

/** What a caller asks for: a service, who does it ("any" or a staff id) and for which guest. */
export interface VisitItemInput {
  serviceId: string;
  staff: StaffChoice;
  guest: number;
}

export interface GuestInput {
  name?: string | null;
  phone?: string | null;
}

/**
 * A visit as the engine and the database take it: guest 0 first, then each guest in turn, every
 * guest's items in the order chosen (the order they run in). Checks the guests: every guest has
 * at least one item, every item's guest is listed, named guests have a name and, if given, a
 * mobile number.
 *
 * @throws ValidationError (`items`, `guests`).
 */
export function normalizeVisit(
  items: VisitItemInput[],
  guests: GuestInput[] | undefined,
  allowedCountries: readonly string[],
): { items: VisitItemRequest[]; guests: BookingGuest[] } {
  if (!Array.isArray(items) || items.length < 1 || items.length > MAX_VISIT_ITEMS) {
    throw new ValidationError({ items: ["visit.error.items"] });
  }
  const listed = guests?.length ? guests.length : 1;
  if (listed > MAX_VISIT_GUESTS) throw new ValidationError({ guests: ["visit.error.guest"] });
  for (const it of items) {
    if (!Number.isInteger(it.guest) || it.guest < 0 || it.guest >= listed) {
      throw new ValidationError({ items: ["visit.error.guest"] });
    }
    if (!isUuid(it.serviceId)) throw new ValidationError({ service: ["slots.error.service"] });
    if (it.staff !== "any" && !isUuid(it.staff)) {
      throw new ValidationError({ staff: ["slots.error.staff"] });
    }
  }
  const shaped: BookingGuest[] = [{ position: 0, name: null, phone: null }];
  for (let g = 1; g < listed; g++) {
    const guest = guests![g] ?? {};
    const name = typeof guest.name === "string" ? guest.name.trim() : "";
    if (name.length < 1 || name.length > 80) {
      throw new ValidationError({ guests: ["visit.error.guestName"] });
    }
    let phone: string | null = null;
    if (typeof guest.phone === "string" && guest.phone.trim() !== "") {
      const parsed = parsePhone(guest.phone, allowedCountries);
      if (!parsed.ok) throw new ValidationError({ guests: ["visit.error.guestPhone"] });
      phone = parsed.e164;
    }
    shaped.push({ position: g, name, phone });
  }
  for (let g = 0; g < listed; g++) {
    if (!items.some((it) => it.guest === g)) {
      throw new ValidationError({ items: ["visit.error.guest"] });
    }
  }
  const ordered = items
    .map((it, i) => ({ it, i }))
    .sort((a, b) => a.it.guest - b.it.guest || a.i - b.i)
    .map(({ it }) => ({ serviceId: it.serviceId, staff: it.staff, guest: it.guest }));
  return { items: ordered, guests: shaped };
}

/**
 * Locks the staff rows a visit could go to (each named member, or every active performer of the
 * visit's services when any item says "anyone"), always in id order so two transactions never
 * wait on each other in a cycle.
 */
export async function lockVisitStaff(
  tx: Tx,
  salonId: string,
  items: readonly { serviceId: string; staff: StaffChoice }[],
): Promise<string[]> {
  const anyone = items.some((it) => it.staff === "any");
  const named = anyone ? null : [...new Set(items.map((it) => it.staff))];
  const rows = await tx.query<{ id: string }>(
    `SELECT st.id FROM staff st
     WHERE st.salon_id = $1 AND st.active AND ($3::uuid[] IS NULL OR st.id = ANY($3::uuid[]))
       AND EXISTS (SELECT 1 FROM staff_services ss
                   WHERE ss.staff_id = st.id AND ss.service_id = ANY($2::uuid[]))
     ORDER BY st.id
     FOR UPDATE OF st`,
    [salonId, [...new Set(items.map((it) => it.serviceId))], named],
  );
  if (rows.length === 0) {
    throw new ValidationError({
      [named ? "staff" : "service"]: [named ? "slots.error.staff" : "slots.error.service"],
    });
  }
  return rows.map((r) => r.id);
}

/** What an item copies from the catalog for one staff member doing one service. */
export interface CatalogTerms {
  price_halalas: number;
  buffer_before_minutes: number;
  buffer_after_minutes: number;
}

/** The price (the staff member's own, else the service's) and buffers for each pair, in order. */
export async function catalogTermsFor(
  tx: Queryable,
  pairs: readonly { serviceId: string; staffId: string }[],
): Promise<CatalogTerms[]> {
  const rows = await tx.query<CatalogTerms & { service_id: string; staff_id: string }>(
    `SELECT v.id AS service_id, ss.staff_id,
            coalesce(ss.price_halalas, v.price_halalas) AS price_halalas,
            v.buffer_before_minutes, v.buffer_after_minutes
     FROM services v JOIN staff_services ss ON ss.service_id = v.id
     WHERE v.id = ANY($1::uuid[]) AND ss.staff_id = ANY($2::uuid[])`,
    [[...new Set(pairs.map((p) => p.serviceId))], [...new Set(pairs.map((p) => p.staffId))]],
  );
  return pairs.map((p) => {
    const row = rows.find((r) => r.service_id === p.serviceId && r.staff_id === p.staffId);
    if (!row) throw new ValidationError({ staff: ["slots.error.staff"] });
    return row;
  });
}

const ITEM_DETAILS_SQL = `
  SELECT i.id, i.booking_id, i.guest, i.position, i.service_id, i.staff_id, i.starts_at,
         i.ends_at, i.block_start, i.block_end, i.duration_minutes, i.buffer_before_minutes,
         i.buffer_after_minutes, i.price_halalas, i.status, i.cancelled_at,
         v.name_ar AS service_name_ar, v.name_en AS service_name_en,
         st.name_ar AS staff_name_ar, st.name_en AS staff_name_en
  FROM booking_items i
  JOIN services v ON v.id = i.service_id
  JOIN staff st ON st.id = i.staff_id`;

/** The items of these bookings with names, each booking's in visit order. */
export async function itemsOfBookings(
  db: Queryable,
  bookingIds: readonly string[],
): Promise<Map<string, BookingItemDetails[]>> {
  const out = new Map<string, BookingItemDetails[]>();
  if (bookingIds.length === 0) return out;
  const rows = await db.query<BookingItemDetails>(
    `${ITEM_DETAILS_SQL} WHERE i.booking_id = ANY($1::uuid[]) ORDER BY i.booking_id, i.position`,
    [bookingIds],
  );
  for (const row of rows) {
    const list = out.get(row.booking_id);
    if (list) list.push(row);
    else out.set(row.booking_id, [row]);
  }
  return out;
}

/** One booking's items with names, in visit order. */
export async function itemsOfBooking(
  db: Queryable,
  bookingId: string,
): Promise<BookingItemDetails[]> {
  return (await itemsOfBookings(db, [bookingId])).get(bookingId) ?? [];
}

/** One booking's guests, the customer (0) first. */
export async function guestsOfBooking(db: Queryable, bookingId: string): Promise<BookingGuest[]> {
  return await db.query<BookingGuest>(
    "SELECT position, name, phone FROM booking_guests WHERE booking_id = $1 ORDER BY position",
    [bookingId],
  );
}

/** The item as the JSON API shows it. */
export function itemJson(i: BookingItemRow) {
  return {
    id: i.id,
    service: i.service_id,
    staff: i.staff_id,
    guest: i.guest,
    start: i.starts_at.toISOString(),
    end: i.ends_at.toISOString(),
    duration_minutes: i.duration_minutes,
    price_halalas: i.price_halalas,
    status: i.status,
  };
}
