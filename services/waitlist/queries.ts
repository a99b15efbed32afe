import type { Queryable } from "@/db/types.ts";
import { NotFoundError } from "@/services/errors.ts";
import { entryColumns, type EntryRow, type OfferRow } from "./model.ts";

export interface OfferView extends OfferRow {
  salon_slug: string;
  salon_ar: string;
  salon_en: string;
  timezone: string;
  services_ar: string;
  services_en: string;
  staff_ar: string | null;
  staff_en: string | null;
}

/** An offer behind a link, for its own customer (anyone else: 404). */
export async function getOffer(
  db: Queryable,
  token: string,
  customerId: string,
): Promise<OfferView> {
  const [offer] = await db.query<OfferView>(
    `SELECT o.*, s.slug AS salon_slug, s.name_ar AS salon_ar, s.name_en AS salon_en, s.timezone,
       (SELECT string_agg(sv.name_ar, ' + ' ORDER BY array_position(e.service_ids, sv.id))
        FROM services sv WHERE sv.id = ANY(e.service_ids)) AS services_ar,
       (SELECT string_agg(sv.name_en, ' + ' ORDER BY array_position(e.service_ids, sv.id))
        FROM services sv WHERE sv.id = ANY(e.service_ids)) AS services_en,
       st.name_ar AS staff_ar, st.name_en AS staff_en
     FROM waitlist_offers o
     JOIN waitlist_entries e ON e.id = o.entry_id
     JOIN salons s ON s.id = o.salon_id
     LEFT JOIN staff st ON st.id = e.staff_id
     WHERE o.token = $1 AND o.customer_id = $2`,
    [token, customerId],
  );
  if (!offer) throw new NotFoundError();
  return offer;
}

export interface WaitlistDayEntry extends EntryRow {
  customer_name: string;
  customer_phone: string;
  services_ar: string;
  services_en: string;
  staff_ar: string | null;
  staff_en: string | null;
  offers: { starts_at: string; status: OfferRow["status"]; offered_by: OfferRow["offered_by"] }[];
}

/** The salon's waitlist for one local day, first come first served, with each wish's offers. */
export async function listWaitlistDay(
  db: Queryable,
  salonId: string,
  day: string,
): Promise<WaitlistDayEntry[]> {
  return await db.query<WaitlistDayEntry>(
    `SELECT ${entryColumns("e")},
       trim(u.first_name || ' ' || u.last_name) AS customer_name, u.phone_number AS customer_phone,
       (SELECT string_agg(sv.name_ar, ' + ' ORDER BY array_position(e.service_ids, sv.id))
        FROM services sv WHERE sv.id = ANY(e.service_ids)) AS services_ar,
       (SELECT string_agg(sv.name_en, ' + ' ORDER BY array_position(e.service_ids, sv.id))
        FROM services sv WHERE sv.id = ANY(e.service_ids)) AS services_en,
       st.name_ar AS staff_ar, st.name_en AS staff_en,
       COALESCE((SELECT json_agg(json_build_object('starts_at', o.starts_at, 'status', o.status,
                   'offered_by', o.offered_by) ORDER BY o.created_at)
                 FROM waitlist_offers o WHERE o.entry_id = e.id), '[]'::json) AS offers
     FROM waitlist_entries e
     JOIN users u ON u.id = e.customer_id
     LEFT JOIN staff st ON st.id = e.staff_id
     WHERE e.salon_id = $1 AND e.day = $2::date
     ORDER BY (e.status = 'waiting') DESC, e.created_at, e.id`,
    [salonId, day],
  );
}

/** A customer's waiting wishes at a salon (the waitlist page lists them with a way to leave). */
export async function listMyWaiting(
  db: Queryable,
  customerId: string,
  salonSlug: string,
): Promise<EntryRow[]> {
  return await db.query<EntryRow>(
    `SELECT ${entryColumns("e")} FROM waitlist_entries e JOIN salons s ON s.id = e.salon_id
     WHERE e.customer_id = $1 AND s.slug = $2 AND e.status = 'waiting' ORDER BY e.day`,
    [customerId, salonSlug],
  );
}

export interface WaitlistFormOptions {
  salon: { id: string; slug: string; name_ar: string; name_en: string; timezone: string };
  services: { id: string; name_ar: string; name_en: string }[];
  staff: { id: string; name_ar: string; name_en: string }[];
}

/** What the join form offers: the salon's bookable services and its active staff. */
export async function waitlistFormOptions(
  db: Queryable,
  slug: string,
): Promise<WaitlistFormOptions> {
  const [salon] = await db.query<WaitlistFormOptions["salon"]>(
    "SELECT id, slug, name_ar, name_en, timezone FROM salons WHERE active AND slug = $1",
    [slug],
  );
  if (!salon) throw new NotFoundError();
  const services = await db.query<WaitlistFormOptions["services"][number]>(
    `SELECT sv.id, sv.name_ar, sv.name_en FROM services sv
     WHERE sv.salon_id = $1 AND sv.active
       AND EXISTS (SELECT 1 FROM staff_services ss JOIN staff st ON st.id = ss.staff_id
                   WHERE ss.service_id = sv.id AND st.active)
     ORDER BY sv.sort_order, sv.name_en`,
    [salon.id],
  );
  const staff = await db.query<WaitlistFormOptions["staff"][number]>(
    "SELECT id, name_ar, name_en FROM staff WHERE salon_id = $1 AND active ORDER BY sort_order, name_en",
    [salon.id],
  );
  return { salon, services, staff };
}
