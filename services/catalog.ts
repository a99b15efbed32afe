/**
 * Salons, their services, staff, hours and closures, and search. Rows keep the database's
 * snake_case names (they are what the JSON API returns); `_ar` / `_en` pairs are picked per
 * reader with {@link loc}.
 */
import type { Queryable } from "@/db/types.ts";
import type { Locale } from "@/i18n/mod.ts";
import { NotFoundError } from "@/services/errors.ts";
import type { WeeklyInterval } from "@/services/slots/engine.ts";
import type { Audience } from "@/services/search/salons.ts";

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
  /** District key for filtering ("al-olaya"), derived from the English name. */
  district: string;
  district_ar: string;
  district_en: string;
  /** Whom the salon serves: at least one of ladies, gents, children. */
  audience: Audience[];
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
  /** As the staff member states it; null when not stated. */
  gender: "female" | "male" | null;
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
  city_en, district, district_ar, district_en, audience, address_ar, address_en, latitude, longitude, phone, whatsapp,
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
          'title_ar', st.title_ar, 'title_en', st.title_en, 'gender', st.gender,
          'sort_order', st.sort_order,
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

export interface District {
  city: string;
  district: string;
  district_ar: string;
  district_en: string;
}

/** Districts (by city) that have at least one active salon, by English name. */
export function listDistricts(db: Queryable): Promise<District[]> {
  return db.query<District>(
    `SELECT DISTINCT ON (city, district) city, district, district_ar, district_en FROM salons
     WHERE active AND district <> '' ORDER BY city, district, district_en`,
  ).then((rows) => rows.sort((a, b) => a.district_en.localeCompare(b.district_en)));
}
