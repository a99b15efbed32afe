/**
 * Salon search: text (typo-tolerant), city and district, audience, service category, price range,
 * minimum rating, and availability on a day (optionally after a time), sorted by relevance,
 * rating, price or soonest availability. SQL narrows and orders the candidates with indexed
 * filters; the slot engine ({@link listSlots}) then decides availability for a bounded number of
 * them, so the page stays fast however many salons match.
 */
import type { Queryable } from "@/db/types.ts";
import type { ServiceCategory } from "@/services/catalog.ts";
import { addDays, listSlots, localDateOf } from "@/services/slots/load.ts";

export const AUDIENCES = ["ladies", "gents", "children"] as const;
export type Audience = typeof AUDIENCES[number];

export const SEARCH_SORTS = ["relevance", "soonest", "rating", "price"] as const;
export type SearchSort = typeof SEARCH_SORTS[number];

export const SEARCH_MAX_QUERY = 100;
export const NEXT_AVAILABLE_DAYS = 14;
/**
 * At most this many salons go through the slot engine for one search (availability filter or
 * soonest sort): the best candidates by the chosen order, checked side by side.
 */
export const AVAILABILITY_CANDIDATES = 40;
/** Word-similarity needed for a fuzzy match (pg_trgm's default, 0.6, misses common typos). */
const WORD_SIMILARITY_THRESHOLD = 0.4;

export interface SalonFilters {
  q?: string;
  /** City key ("riyadh"); "" or absent = any. */
  city?: string;
  /** District key ("al-olaya"); "" or absent = any. */
  district?: string;
  audience?: Audience;
  /** Only salons that come to customers' homes (and, for the shown service, one offered there). */
  home?: boolean;
  category?: ServiceCategory;
  /** A bookable service's price (a staff member's own price counts) within these, in halalas. */
  priceMin?: number;
  priceMax?: number;
  /** Average rating at least this (0–5). */
  minRating?: number;
  /** Bookable on this local date ("YYYY-MM-DD", in each salon's zone); today when only `after`. */
  date?: string;
  /** ...at or after this minute of that day (0–1439). */
  afterMinute?: number;
  sort?: SearchSort;
  now: Date;
  limit?: number;
}

export interface SalonSearchResult {
  id: string;
  slug: string;
  name_ar: string;
  name_en: string;
  city: string;
  city_ar: string;
  city_en: string;
  district: string;
  district_ar: string;
  district_en: string;
  audience: Audience[];
  timezone: string;
  rating_avg: number;
  rating_count: number;
  /** Over bookable services (own prices and staff overrides); null when nothing is bookable. */
  min_price_halalas: number | null;
  max_price_halalas: number | null;
  /** The salon comes to customers' homes (services offered at home, districts or a radius). */
  home_service: boolean;
  /** The lowest price among the services that meet the category and price filters. */
  price_from_halalas: number | null;
  /** The best-matching service when the query matched a service name. */
  matched_service: { id: string; name_ar: string; name_en: string } | null;
  /**
   * Earliest bookable start with "anyone" for the shown service: on the chosen day (after the
   * chosen time) when filtering by availability, else in the next {@link NEXT_AVAILABLE_DAYS} days.
   */
  next_available: { service_id: string; start: Date } | null;
}

const ORDER: Record<SearchSort, string> = {
  relevance: `greatest(
      CASE WHEN q.q = '' THEN 0
           ELSE word_similarity(q.q, s.search_name) + (strpos(s.search_name, q.q) > 0)::int END,
      coalesce(m.score, 0)) DESC, s.rating_avg DESC, s.rating_count DESC, s.slug`,
  rating: "s.rating_avg DESC, s.rating_count DESC, s.slug",
  price: "f.price_from_halalas ASC NULLS LAST, s.rating_avg DESC, s.slug",
  // Ordered by the slot engine's answers afterwards; rating picks which salons are asked.
  soonest: "s.rating_avg DESC, s.rating_count DESC, s.slug",
};

type Row = Omit<SalonSearchResult, "next_available"> & {
  service_id: string | null;
  day: string | null;
};

/**
 * Active salons matching every given filter. An empty `q` lists every salon by rating (or the
 * chosen sort). With `date` or `afterMinute`, only salons the slot engine finds a time for (for
 * the matched or shortest service meeting the category and price filters, with "anyone") are
 * returned; only the first {@link AVAILABILITY_CANDIDATES} candidates are asked.
 */
export async function searchSalons(
  db: Queryable,
  filters: SalonFilters,
): Promise<SalonSearchResult[]> {
  const q = (filters.q ?? "").trim().replace(/\s+/g, " ").slice(0, SEARCH_MAX_QUERY);
  const limit = Math.min(Math.max(filters.limit ?? 20, 1), 50);
  const sort = filters.sort ?? (q ? "relevance" : "rating");
  const byAvailability = filters.date !== undefined || filters.afterMinute !== undefined;
  const askEngine = byAvailability || sort === "soonest";
  const afterMinute = filters.afterMinute ?? 0;
  const rows = await db.transaction(async (tx) => {
    await tx.query("SELECT set_config('pg_trgm.word_similarity_threshold', $1, true)", [
      String(WORD_SIMILARITY_THRESHOLD),
    ]);
    return await tx.query<Row>(
      `WITH q AS (SELECT search_normalize($1::text) AS q)
      SELECT s.id, s.slug, s.name_ar, s.name_en, s.city, s.city_ar, s.city_en, s.district,
             s.district_ar, s.district_en, s.audience, s.timezone, s.rating_avg, s.rating_count,
             p.min_price_halalas, p.max_price_halalas, h.home_service, f.price_from_halalas,
             CASE WHEN m.id IS NULL THEN NULL
                  ELSE json_build_object('id', m.id, 'name_ar', m.name_ar, 'name_en', m.name_en)
             END AS matched_service,
             (SELECT v.id FROM services v
              WHERE v.salon_id = s.id AND v.active AND (NOT $14::boolean OR v.at_home)
                AND ($5::text IS NULL OR v.category = $5::text)
                AND EXISTS (
                  SELECT 1 FROM staff_services ss
                  JOIN staff st ON st.id = ss.staff_id AND st.active
                  WHERE ss.service_id = v.id
                    AND ($6::int IS NULL OR coalesce(ss.price_halalas, v.price_halalas) >= $6::int)
                    AND ($7::int IS NULL OR coalesce(ss.price_halalas, v.price_halalas) <= $7::int))
              ORDER BY CASE WHEN v.id = m.id THEN 0 ELSE 1 END, v.duration_minutes, v.sort_order,
                       v.id
              LIMIT 1) AS service_id,
             CASE WHEN $10::boolean THEN d.day::text END AS day
      FROM salons s CROSS JOIN q
      CROSS JOIN LATERAL (
        SELECT coalesce($9::date, ($11::timestamptz AT TIME ZONE s.timezone)::date) AS day
      ) d
      LEFT JOIN LATERAL (
        SELECT v.id, v.name_ar, v.name_en,
               word_similarity(q.q, v.search_name) + (strpos(v.search_name, q.q) > 0)::int AS score
        FROM services v
        WHERE q.q <> '' AND v.salon_id = s.id AND v.active AND (NOT $14::boolean OR v.at_home)
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
      LEFT JOIN LATERAL (
        SELECT min(price) AS price_from_halalas
        FROM services v
        JOIN staff_services ss ON ss.service_id = v.id
        JOIN staff st ON st.id = ss.staff_id AND st.active
        CROSS JOIN LATERAL (VALUES (coalesce(ss.price_halalas, v.price_halalas))) AS x(price)
        WHERE v.salon_id = s.id AND v.active AND (NOT $14::boolean OR v.at_home)
          AND ($5::text IS NULL OR v.category = $5::text)
          AND ($6::int IS NULL OR price >= $6::int)
          AND ($7::int IS NULL OR price <= $7::int)
      ) f ON true
      -- Comes to customers' homes: a service offered at home, and districts or a radius served.
      CROSS JOIN LATERAL (
        SELECT EXISTS (SELECT 1 FROM services v WHERE v.salon_id = s.id AND v.active AND v.at_home)
               AND (s.home_radius_km IS NOT NULL
                    OR EXISTS (SELECT 1 FROM salon_home_districts d WHERE d.salon_id = s.id))
                 AS home_service
      ) h
      WHERE s.active AND (NOT $14::boolean OR h.home_service)
        AND ($2::text = '' OR s.city = $2::text)
        AND ($3::text = '' OR s.district = $3::text)
        AND ($4::text IS NULL OR s.audience @> ARRAY[$4::text])
        AND ($8::numeric IS NULL OR s.rating_avg >= $8::numeric)
        AND (f.price_from_halalas IS NOT NULL
             OR ($5::text IS NULL AND $6::int IS NULL AND $7::int IS NULL AND NOT $14::boolean))
        AND (q.q = '' OR q.q <% s.search_name OR strpos(s.search_name, q.q) > 0
             OR m.id IS NOT NULL)
        -- Availability, before the engine: a day within the salon's horizon, open after the time.
        AND (NOT $10::boolean OR (
          d.day >= ($11::timestamptz AT TIME ZONE s.timezone)::date
          AND d.day <= ($11::timestamptz AT TIME ZONE s.timezone)::date + s.horizon_days
          AND EXISTS (SELECT 1 FROM salon_hours h
                      WHERE h.salon_id = s.id AND h.weekday = extract(isodow FROM d.day)::int
                        AND h.end_minute > $12::int)))
      ORDER BY ${ORDER[sort]}
      LIMIT $13`,
      [
        q,
        filters.city ?? "",
        filters.district ?? "",
        filters.audience ?? null,
        filters.category ?? null,
        filters.priceMin ?? null,
        filters.priceMax ?? null,
        filters.minRating ?? null,
        filters.date ?? null,
        byAvailability,
        filters.now,
        afterMinute,
        askEngine ? Math.max(limit, AVAILABILITY_CANDIDATES) : limit,
        filters.home ?? false,
      ],
    );
  });

  const timeOf = ({ service_id, day, ...row }: Row): Promise<SalonSearchResult> =>
    (service_id
      ? day === null
        ? nextAvailable(db, row.id, row.timezone, service_id, filters.now)
        : availableOn(db, row.id, row.timezone, service_id, day, afterMinute, filters.now)
      : Promise.resolve(null)).then((next_available) => ({ ...row, next_available }));
  // Batches of `limit` salons, side by side; in the chosen order, the first `limit` with a time
  // are the answer, so later batches are asked only when needed ("soonest" needs them all).
  const withTimes: SalonSearchResult[] = [];
  for (let i = 0; i < rows.length; i += limit) {
    withTimes.push(...await Promise.all(rows.slice(i, i + limit).map(timeOf)));
    const found = byAvailability
      ? withTimes.filter((r) => r.next_available).length
      : withTimes.length;
    if (sort !== "soonest" && found >= limit) break;
  }
  const shown = byAvailability ? withTimes.filter((r) => r.next_available) : withTimes;
  if (sort === "soonest") {
    const at = (r: SalonSearchResult) => r.next_available?.start.getTime() ?? Infinity;
    shown.sort((a, b) => at(a) - at(b)); // stable: equal times keep the rating order
  }
  return shown.slice(0, limit);
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

/** The first bookable start with "anyone" on local date `day` at or after `afterMinute`. */
async function availableOn(
  db: Queryable,
  salonId: string,
  timeZone: string,
  serviceId: string,
  day: string,
  afterMinute: number,
  now: Date,
): Promise<SalonSearchResult["next_available"]> {
  const from = Temporal.PlainDate.from(day).toZonedDateTime({
    timeZone,
    plainTime: new Temporal.PlainTime(Math.floor(afterMinute / 60), afterMinute % 60),
  }).epochMilliseconds;
  const { days } = await listSlots(db, {
    salonId,
    serviceId,
    staff: "any",
    fromDate: day,
    days: 1,
    now,
  });
  for (const d of days) {
    const slot = d.slots.find((s) => s.startMs >= from);
    if (slot) return { service_id: serviceId, start: new Date(slot.startMs) };
  }
  return null;
}
