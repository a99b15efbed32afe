import { DbError } from "@/db/types.ts";
import type { BookingContext } from "@/services/messages/enqueue.ts";
import type { VisitSlot } from "@/services/slots/visit_engine.ts";
import type { CreateBookingInput } from "./create.ts";
import type { BookingGuest, CatalogTerms } from "./items.ts";
import type { HomeTerms } from "./home.ts";
import type { BookingRow } from "./model.ts";

/**
 * What booking creation reads in its first round trip (statements sent together, each with its
 * own snapshot) and how it turns that into what messages say. See docs/performance.md, "Booking
 * creation in 4 round trips".
 */

/** Salon settings the booking copies and messages name. */
export interface SalonTerms {
  id: string;
  hold_minutes: number;
  payment_mode: BookingRow["payment_mode"];
  deposit_percent: number;
  cancellation_window_hours: number;
  timezone: string;
  name_ar: string;
  name_en: string;
}

/** A lockable candidate: its names and account say who hears about the booking. */
export interface Candidate {
  id: string;
  name_ar: string;
  name_en: string;
  user_id: string | null;
}

/** Who messages about a new booking can go to, read before anything is written. */
export interface People {
  managers: string[];
  users: { id: string; phone: string; lang: string }[];
  services: { id: string; name_ar: string; name_en: string }[];
  terms: (CatalogTerms & { service_id: string; staff_id: string })[];
}

/**
 * The salon by id or slug (with the names messages use), then the visit's candidate staff rows
 * locked `FOR UPDATE` in id order (one, or every active performer of the visit's services for
 * "anyone", so two transactions never wait on each other in a cycle).
 */
export const SALON_SQL =
  `SELECT id, hold_minutes, payment_mode, deposit_percent, cancellation_window_hours,
  timezone, name_ar, name_en
  FROM salons WHERE active AND (id = $1::uuid OR slug = $2)`;

export const LOCK_SQL = `SELECT st.id, st.name_ar, st.name_en, st.user_id FROM staff st
  WHERE st.salon_id = (SELECT id FROM salons WHERE active AND (id = $1::uuid OR slug = $2) LIMIT 1)
    AND st.active AND ($4::uuid[] IS NULL OR st.id = ANY($4::uuid[]))
    AND EXISTS (SELECT 1 FROM staff_services ss
                WHERE ss.staff_id = st.id AND ss.service_id = ANY($3::uuid[]))
  ORDER BY st.id
  FOR UPDATE OF st`;

/** Lapsed holds of the (now locked) candidates: rare, expired before anything is written. */
export const LAPSED_SQL = `SELECT count(*)::int AS n FROM bookings b
  WHERE b.status = 'pending' AND b.hold_expires_at <= $5
    AND b.salon_id = (SELECT id FROM salons WHERE active AND (id = $1::uuid OR slug = $2) LIMIT 1)
    AND EXISTS (SELECT 1 FROM booking_items i JOIN staff st ON st.id = i.staff_id
                WHERE i.booking_id = b.id AND i.blocking AND st.active
                  AND ($4::uuid[] IS NULL OR st.id = ANY($4::uuid[]))
                  AND EXISTS (SELECT 1 FROM staff_services ss
                              WHERE ss.staff_id = st.id AND ss.service_id = ANY($3::uuid[])))`;

/** Catalog terms of every candidate pair, names, managers and the accounts messages go to. */
export const PEOPLE_SQL = `WITH s AS (
    SELECT id FROM salons WHERE active AND (id = $1::uuid OR slug = $2) LIMIT 1
  ), mgr AS (
    SELECT user_id, created_at FROM salon_memberships
    WHERE salon_id = (SELECT id FROM s) AND role = 'manager'
  )
  SELECT
    (SELECT coalesce(json_agg(user_id ORDER BY created_at, user_id), '[]'::json) FROM mgr)
      AS managers,
    (SELECT coalesce(json_agg(json_build_object(
         'id', u.id, 'phone', u.phone_number, 'lang', u.preferred_language)), '[]'::json)
     FROM users u
     WHERE u.is_active AND (u.id = $5::uuid OR u.id IN (SELECT user_id FROM mgr)
       OR u.id IN (SELECT user_id FROM staff WHERE salon_id = (SELECT id FROM s)))) AS users,
    (SELECT coalesce(json_agg(json_build_object(
         'id', v.id, 'name_ar', v.name_ar, 'name_en', v.name_en)), '[]'::json)
     FROM services v WHERE v.salon_id = (SELECT id FROM s) AND v.id = ANY($3::uuid[])) AS services,
    (SELECT coalesce(json_agg(json_build_object(
         'service_id', v.id, 'staff_id', ss.staff_id,
         'price_halalas', coalesce(ss.price_halalas, v.price_halalas),
         'buffer_before_minutes', v.buffer_before_minutes,
         'buffer_after_minutes', v.buffer_after_minutes)), '[]'::json)
     FROM services v JOIN staff_services ss ON ss.service_id = v.id
     WHERE v.salon_id = (SELECT id FROM s) AND v.id = ANY($3::uuid[])
       AND ($4::uuid[] IS NULL OR ss.staff_id = ANY($4::uuid[]))) AS terms`;

/**
 * Settles a batch of statements sent together, then throws the first error that is not a
 * consequence of an earlier one (a statement after a failed one only reports the aborted
 * transaction), or returns the values.
 */
export async function settle<T extends readonly unknown[]>(
  batch: { [K in keyof T]: Promise<T[K]> },
): Promise<T> {
  const results = await Promise.allSettled(batch);
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed.length) {
    const root = failed.find((r) => !(r.reason instanceof DbError && r.reason.code === "25P02"));
    throw (root ?? failed[0]).reason;
  }
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** What messages say about the new booking, from what the first round trip read. */
export function messageContext(
  id: string,
  salon: SalonTerms,
  status: string,
  input: CreateBookingInput,
  slot: VisitSlot,
  guests: BookingGuest[],
  candidates: Candidate[],
  who: People,
  home: HomeTerms | null,
): BookingContext {
  const staffOf = (staffId: string) => candidates.find((c) => c.id === staffId)!;
  const serviceOf = (serviceId: string) => who.services.find((v) => v.id === serviceId)!;
  const lead = slot.items[0];
  return {
    id,
    salon_id: salon.id,
    status,
    starts_at: new Date(Math.min(...slot.items.map((it) => it.startMs))),
    customer_id: input.customerId,
    staff_user_id: staffOf(lead.staffId).user_id,
    timezone: salon.timezone,
    salon_ar: salon.name_ar,
    salon_en: salon.name_en,
    service_ar: serviceOf(lead.serviceId).name_ar,
    service_en: serviceOf(lead.serviceId).name_en,
    staff_ar: staffOf(lead.staffId).name_ar,
    staff_en: staffOf(lead.staffId).name_en,
    home_address: home ? `${input.home!.address.trim()}, ${home.districtName}` : null,
    items: slot.items.map((it) => ({
      service_ar: serviceOf(it.serviceId).name_ar,
      service_en: serviceOf(it.serviceId).name_en,
      staff_ar: staffOf(it.staffId).name_ar,
      staff_en: staffOf(it.staffId).name_en,
      staff_user_id: staffOf(it.staffId).user_id,
      guest: guests.find((g) => g.position === it.guest)?.name ?? null,
      starts_at: new Date(it.startMs).toISOString(),
      ends_at: new Date(it.endMs).toISOString(),
    })),
  };
}
