/**
 * Salons, their services, staff, hours and closures, and search. Rows keep the database's
 * snake_case names (they are what the JSON API returns); `_ar` / `_en` pairs are picked per
 * reader with {@link loc}.
 */
import type { Queryable } from "@/db/types.ts";
import type { Locale } from "@/i18n/mod.ts";
import { NotFoundError } from "@/services/errors.ts";
import type { WeeklyInterval } from "@/services/slots/engine.ts";
import { addDays, listSlots, localDateOf } from "@/services/slots/load.ts";

export const PAYMENT_MODES = ["at_salon", "deposit", "full"] as const;
export type PaymentMode = typeof PAYMENT_MODES[number];

export const SERVICE_CATEGORIES = [
  "hair",
  "color",
  "nails",
  "skin",
  "makeup",
  "henna",
  "bridal",
  "massage",
  "barber",
  "other",
] as const;
export type ServiceCategory = typeof SERVICE_CATEGORIES[number];

export interface Salon {
  id: string;
  slug: string;
  name_ar: string;
  name_en: string;
  description_ar: string;
  description_en: string;
  city: string;
  city_ar: string;
  city_en: string;
  district_ar: string;
  district_en: string;
  address_ar: string;
  address_en: string;
  latitude: number | null;
  longitude: number | null;
  phone: string | null;
  whatsapp: string | null;
  timezone: string;
  slot_step_minutes: number;
  min_notice_minutes: number;
  horizon_days: number;
  hold_minutes: number;
  cancellation_window_hours: number;
  payment_mode: PaymentMode;
  deposit_percent: number;
  rating_avg: number;
  rating_count: number;
  /** Prices include VAT and the salon issues tax invoices. */
  vat_registered: boolean;
  /** Home visits: each way's travel, the surcharge, the radius served (null: districts only). */
  home_travel_minutes: number;
  home_surcharge_halalas: number;
  home_radius_km: number | null;
}

export interface Service {
  id: string;
  salon_id: string;
  category: ServiceCategory;
  name_ar: string;
  name_en: string;
  description_ar: string;
  description_en: string;
  duration_minutes: number;
  price_halalas: number;
  buffer_before_minutes: number;
  buffer_after_minutes: number;
  sort_order: number;
  /** Offered at the customer's home too. */
  at_home: boolean;
  /** Range over the service's own values and the overrides of active staff who perform it. */
  min_price_halalas: number;
  max_price_halalas: number;
  min_duration_minutes: number;
  max_duration_minutes: number;
  /** Active staff members who perform it; 0 means it cannot be booked now. */
  staff_count: number;
}

export interface StaffService {
  service_id: string;
  /** null: the service's own value applies. */
  duration_minutes: number | null;
  price_halalas: number | null;
}

export interface StaffMember {
  id: string;
  name_ar: string;
  name_en: string;
  title_ar: string;
  title_en: string;
  sort_order: number;
  /** null: works the salon's hours. */
  hours: WeeklyInterval[] | null;
  services: StaffService[];
}

export interface Closure {
  id: string;
  starts_at: Date;
  ends_at: Date;
  reason_ar: string;
  reason_en: string;
}

export interface SalonBreak {
  weekday: number | null;
  start_minute: number;
  end_minute: number;
  label_ar: string;
  label_en: string;
}

export interface SalonCatalog {
  services: Service[];
  staff: StaffMember[];
  hours: WeeklyInterval[];
  breaks: SalonBreak[];
  /** Closures that have not ended yet, soonest first. */
  closures: Closure[];
}

type Localizable<F extends string> = { [K in `${F}_ar` | `${F}_en`]: string };

/** The reader's language version of a bilingual field: `loc(salon, "name", "ar")`. */
export function loc<F extends string>(row: Localizable<F>, field: F, locale: Locale): string {
  const key = `${field}_${locale}` as `${F}_ar` | `${F}_en`;
  return row[key];
}

const SALON_COLUMNS = `id, slug, name_ar, name_en, description_ar, description_en, city, city_ar,
  city_en, district_ar, district_en, address_ar, address_en, latitude, longitude, phone, whatsapp,
  timezone, slot_step_minutes, min_notice_minutes, horizon_days, hold_minutes,
  cancellation_window_hours, payment_mode, deposit_percent, rating_avg, rating_count,
  vat_registered, home_travel_minutes, home_surcharge_halalas,
  home_radius_km::float8 AS home_radius_km`;

/**
 * An active salon by its slug.
 * @throws NotFoundError when there is none.
 */
export async function getSalon(db: Queryable, slug: string): Promise<Salon> {
  const [salon] = await db.query<Salon>(
    `SELECT ${SALON_COLUMNS} FROM salons WHERE slug = $1 AND active`,
    [slug],
  );
  if (!salon) throw new NotFoundError();
  return salon;
}

/** Everything a salon page shows: active services and staff, hours, breaks, upcoming closures. */
export async function getSalonCatalog(
  db: Queryable,
  salonId: string,
  now: Date,
): Promise<SalonCatalog> {
  const [row] = await db.query<{
    services: Service[] | null;
    staff: (Omit<StaffMember, "hours"> & { custom_hours: boolean; hours: WeeklyInterval[] })[];
    hours: WeeklyInterval[];
    breaks: SalonBreak[];
    closures: (Omit<Closure, "starts_at" | "ends_at"> & { starts_ms: number; ends_ms: number })[];
  }>(
    `SELECT
      (SELECT coalesce(json_agg(v ORDER BY v.sort_order, v.name_en, v.id), '[]'::json) FROM (
         SELECT sv.id, sv.salon_id, sv.category, sv.name_ar, sv.name_en, sv.description_ar,
                sv.description_en, sv.duration_minutes, sv.price_halalas,
                sv.buffer_before_minutes, sv.buffer_after_minutes, sv.sort_order, sv.at_home,
                least(sv.price_halalas, min(ss.price_halalas)) AS min_price_halalas,
                greatest(sv.price_halalas, max(ss.price_halalas)) AS max_price_halalas,
                least(sv.duration_minutes, min(ss.duration_minutes)) AS min_duration_minutes,
                greatest(sv.duration_minutes, max(ss.duration_minutes)) AS max_duration_minutes,
                count(ss.staff_id)::int AS staff_count
         FROM services sv
         LEFT JOIN (staff_services ss JOIN staff st ON st.id = ss.staff_id AND st.active)
           ON ss.service_id = sv.id
         WHERE sv.salon_id = $1 AND sv.active
         GROUP BY sv.id) v) AS services,
      (SELECT coalesce(json_agg(json_build_object(
          'id', st.id, 'name_ar', st.name_ar, 'name_en', st.name_en,
          'title_ar', st.title_ar, 'title_en', st.title_en, 'sort_order', st.sort_order,
          'custom_hours', st.custom_hours,
          'hours', (SELECT coalesce(json_agg(json_build_object('weekday', h.weekday,
                      'startMinute', h.start_minute, 'endMinute', h.end_minute)
                      ORDER BY h.weekday, h.start_minute), '[]'::json)
                    FROM staff_hours h WHERE h.staff_id = st.id),
          'services', (SELECT coalesce(json_agg(json_build_object('service_id', ss.service_id,
                         'duration_minutes', ss.duration_minutes,
                         'price_halalas', ss.price_halalas)), '[]'::json)
                       FROM staff_services ss JOIN services sv ON sv.id = ss.service_id
                       WHERE ss.staff_id = st.id AND sv.active))
        ORDER BY st.sort_order, st.name_en, st.id), '[]'::json)
       FROM staff st WHERE st.salon_id = $1 AND st.active) AS staff,
      (SELECT coalesce(json_agg(json_build_object('weekday', weekday,
          'startMinute', start_minute, 'endMinute', end_minute)
          ORDER BY weekday, start_minute), '[]'::json)
       FROM salon_hours WHERE salon_id = $1) AS hours,
      (SELECT coalesce(json_agg(json_build_object('weekday', weekday,
          'start_minute', start_minute, 'end_minute', end_minute,
          'label_ar', label_ar, 'label_en', label_en)
          ORDER BY weekday NULLS FIRST, start_minute), '[]'::json)
       FROM salon_breaks WHERE salon_id = $1) AS breaks,
      (SELECT coalesce(json_agg(json_build_object('id', id,
          'starts_ms', extract(epoch FROM starts_at)::float8 * 1000,
          'ends_ms', extract(epoch FROM ends_at)::float8 * 1000,
          'reason_ar', reason_ar, 'reason_en', reason_en) ORDER BY starts_at), '[]'::json)
       FROM salon_closures WHERE salon_id = $1 AND ends_at > $2) AS closures`,
    [salonId, now],
  );
  return {
    services: row.services ?? [],
    staff: row.staff.map(({ custom_hours, hours, ...st }) => ({
      ...st,
      hours: custom_hours ? hours : null,
    })),
    hours: row.hours,
    breaks: row.breaks,
    closures: row.closures.map(({ starts_ms, ends_ms, ...c }) => ({
      ...c,
      starts_at: new Date(starts_ms),
      ends_at: new Date(ends_ms),
    })),
  };
}

export interface City {
  city: string;
  city_ar: string;
  city_en: string;
}

/** Cities that have at least one active salon, by English name. */
export function listCities(db: Queryable): Promise<City[]> {
  return db.query<City>(
    `SELECT DISTINCT ON (city) city, city_ar, city_en FROM salons WHERE active
     ORDER BY city, city_en`,
  ).then((rows) => rows.sort((a, b) => a.city_en.localeCompare(b.city_en)));
}

export interface SalonSearchResult {
  id: string;
  slug: string;
  name_ar: string;
  name_en: string;
  city: string;
  city_ar: string;
  city_en: string;
  district_ar: string;
  district_en: string;
  timezone: string;
  rating_avg: number;
  rating_count: number;
  /** Over bookable services (own prices and staff overrides); null when nothing is bookable. */
  min_price_halalas: number | null;
  max_price_halalas: number | null;
  /** The salon comes to customers' homes (services offered at home, districts or a radius). */
  home_service: boolean;
  /** The best-matching service when the query matched a service name. */
  matched_service: { id: string; name_ar: string; name_en: string } | null;
  /** Earliest bookable start in the next {@link NEXT_AVAILABLE_DAYS} local days, with "anyone". */
  next_available: { service_id: string; start: Date } | null;
}

export const SEARCH_MAX_QUERY = 100;
export const NEXT_AVAILABLE_DAYS = 14;
/** Word-similarity needed for a fuzzy match (pg_trgm's default, 0.6, misses common typos). */
const WORD_SIMILARITY_THRESHOLD = 0.4;

/**
 * Active salons whose name (Arabic or English) or whose active services' names match `q`,
 * typo-tolerantly (pg_trgm word similarity over normalized names, plus plain substring match for
 * very short queries), optionally in one `city`. Best matches first, then by rating. An empty `q`
 * lists every salon (in the city) by rating. Each result carries its price range and its next
 * available time for the matched service (or its shortest bookable one).
 */
export async function searchSalons(
  db: Queryable,
  params: { q?: string; city?: string; home?: boolean; now: Date; limit?: number },
): Promise<SalonSearchResult[]> {
  const q = (params.q ?? "").trim().replace(/\s+/g, " ").slice(0, SEARCH_MAX_QUERY);
  const city = params.city ?? "";
  const limit = Math.min(Math.max(params.limit ?? 20, 1), 50);
  type Row = Omit<SalonSearchResult, "next_available"> & { default_service_id: string | null };
  const rows = await db.transaction(async (tx) => {
    await tx.query("SELECT set_config('pg_trgm.word_similarity_threshold', $1, true)", [
      String(WORD_SIMILARITY_THRESHOLD),
    ]);
    return await tx.query<Row>(
      `WITH q AS (SELECT search_normalize($1::text) AS q)
      SELECT s.id, s.slug, s.name_ar, s.name_en, s.city, s.city_ar, s.city_en, s.district_ar,
             s.district_en, s.timezone, s.rating_avg, s.rating_count,
             p.min_price_halalas, p.max_price_halalas, h.home_service,
             CASE WHEN m.id IS NULL THEN NULL
                  ELSE json_build_object('id', m.id, 'name_ar', m.name_ar, 'name_en', m.name_en)
             END AS matched_service,
             (SELECT v.id FROM services v
              WHERE v.salon_id = s.id AND v.active AND EXISTS (
                SELECT 1 FROM staff_services ss JOIN staff st ON st.id = ss.staff_id AND st.active
                WHERE ss.service_id = v.id)
              ORDER BY v.duration_minutes, v.sort_order, v.id LIMIT 1) AS default_service_id
      FROM salons s CROSS JOIN q
      LEFT JOIN LATERAL (
        SELECT v.id, v.name_ar, v.name_en,
               word_similarity(q.q, v.search_name) + (strpos(v.search_name, q.q) > 0)::int AS score
        FROM services v
        WHERE q.q <> '' AND v.salon_id = s.id AND v.active AND (NOT $4::boolean OR v.at_home)
          AND (q.q <% v.search_name OR strpos(v.search_name, q.q) > 0)
        ORDER BY score DESC, v.sort_order, v.id
        LIMIT 1
      ) m ON true
      LEFT JOIN LATERAL (
        SELECT min(price) AS min_price_halalas, max(price) AS max_price_halalas
        FROM services v
        JOIN staff_services ss ON ss.service_id = v.id
        JOIN staff st ON st.id = ss.staff_id AND st.active
        CROSS JOIN LATERAL (VALUES (coalesce(ss.price_halalas, v.price_halalas))) AS x(price)
        WHERE v.salon_id = s.id AND v.active
      ) p ON true
      -- Comes to customers' homes: a service offered at home, and districts or a radius served.
      CROSS JOIN LATERAL (
        SELECT EXISTS (SELECT 1 FROM services v WHERE v.salon_id = s.id AND v.active AND v.at_home)
               AND (s.home_radius_km IS NOT NULL
                    OR EXISTS (SELECT 1 FROM salon_home_districts d WHERE d.salon_id = s.id))
                 AS home_service
      ) h
      WHERE s.active AND ($2::text = '' OR s.city = $2::text)
        AND (NOT $4::boolean OR h.home_service)
        AND (q.q = '' OR q.q <% s.search_name OR strpos(s.search_name, q.q) > 0
             OR m.id IS NOT NULL)
      ORDER BY greatest(
                 CASE WHEN q.q = '' THEN 0
                      ELSE word_similarity(q.q, s.search_name)
                           + (strpos(s.search_name, q.q) > 0)::int END,
                 coalesce(m.score, 0)) DESC,
               s.rating_avg DESC, s.rating_count DESC, s.slug
      LIMIT $3`,
      [q, city, limit, params.home ?? false],
    );
  });

  // One slot query per salon, in flight together (a pool runs them side by side).
  return await Promise.all(rows.map(async ({ default_service_id, ...row }) => {
    const serviceId = row.matched_service?.id ?? default_service_id;
    return {
      ...row,
      next_available: serviceId
        ? await nextAvailable(db, row.id, row.timezone, serviceId, params.now)
        : null,
    };
  }));
}

/** The first bookable start with "anyone" in the next {@link NEXT_AVAILABLE_DAYS} local days. */
async function nextAvailable(
  db: Queryable,
  salonId: string,
  timeZone: string,
  serviceId: string,
  now: Date,
): Promise<SalonSearchResult["next_available"]> {
  const today = localDateOf(now, timeZone);
  // Most salons have a time within days; look one week first, then the next.
  for (const fromDate of [today, addDays(today, 7)]) {
    const { days } = await listSlots(db, {
      salonId,
      serviceId,
      staff: "any",
      fromDate,
      days: NEXT_AVAILABLE_DAYS / 2,
      now,
    });
    for (const day of days) {
      if (day.slots.length) return { service_id: serviceId, start: new Date(day.slots[0].startMs) };
    }
  }
  return null;
}
