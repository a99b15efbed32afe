import type { Queryable } from "@/db/types.ts";
import { ValidationError } from "@/services/errors.ts";
import type { VisitItemRequest } from "@/services/slots/visit_engine.ts";

/** Where the customer wants the visit when it is at home. */
export interface HomeLocationInput {
  /** One of the salon's home districts (its key). */
  district: string;
  address: string;
  /** A map pin link (https), optional; its coordinates count for a salon serving a radius. */
  mapUrl?: string | null;
  notes?: string | null;
}

/** A salon's home-service terms. */
export interface HomeTerms {
  travelMinutes: number;
  surchargeHalalas: number;
  districtName: string;
}

/**
 * Every guest's first item starts after the staff member's travel and their last item ends before
 * it: travel widens those items' buffers (inside a guest's sequence nobody travels).
 */
export function withTravel(items: VisitItemRequest[], minutes: number): VisitItemRequest[] {
  if (minutes === 0) return items;
  return items.map((it, i) => {
    const first = items.findIndex((o) => o.guest === it.guest) === i;
    const last = items.findLastIndex((o) => o.guest === it.guest) === i;
    return {
      ...it,
      ...(first ? { extraBeforeMinutes: minutes } : {}),
      ...(last ? { extraAfterMinutes: minutes } : {}),
    };
  });
}

/** Latitude and longitude in a map link ("…?q=24.71,46.67", "…@24.71,46.67,15z", "…ll=…"). */
export function coordinatesIn(url: string): { lat: number; lng: number } | null {
  const m = /(?:[?&](?:q|ll|query)=|@)(-?\d{1,2}(?:\.\d+)?),\s*(-?\d{1,3}(?:\.\d+)?)/.exec(
    decodeURIComponent(url),
  );
  if (!m) return null;
  const lat = Number(m[1]);
  const lng = Number(m[2]);
  return Math.abs(lat) <= 90 && Math.abs(lng) <= 180 ? { lat, lng } : null;
}

/** Great-circle distance in km (haversine). */
export function distanceKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }) {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/**
 * Checks a home visit against the salon's terms: every service offered at home, the district one
 * the salon lists, or the pin within its radius. Returns the travel time and surcharge.
 *
 * @throws ValidationError (`location`, `service`) otherwise.
 */
export async function homeTerms(
  db: Queryable,
  salonId: string,
  serviceIds: string[],
  location: HomeLocationInput,
): Promise<HomeTerms> {
  const address = location.address?.trim() ?? "";
  if (address.length < 5 || address.length > 300) {
    throw new ValidationError({ location: ["home.error.address"] });
  }
  if (location.mapUrl && !/^https:\/\/\S{1,490}$/.test(location.mapUrl)) {
    throw new ValidationError({ location: ["home.error.mapUrl"] });
  }
  const [salon] = await db.query<{
    home_travel_minutes: number;
    home_surcharge_halalas: number;
    home_radius_km: string | null;
    latitude: number | null;
    longitude: number | null;
    district_name: string | null;
    not_at_home: number;
  }>(
    `SELECT s.home_travel_minutes, s.home_surcharge_halalas, s.home_radius_km::text,
            s.latitude, s.longitude,
            (SELECT d.name_ar || ' / ' || d.name_en FROM salon_home_districts d
             WHERE d.salon_id = s.id AND d.key = $3) AS district_name,
            (SELECT count(*)::int FROM services v
             WHERE v.salon_id = s.id AND v.id = ANY($2::uuid[]) AND NOT v.at_home) AS not_at_home
     FROM salons s WHERE s.id = $1`,
    [salonId, serviceIds, location.district ?? ""],
  );
  if (!salon || salon.not_at_home > 0) {
    throw new ValidationError({ service: ["home.error.service"] });
  }
  let districtName = salon.district_name;
  if (districtName === null) {
    const pin = location.mapUrl ? coordinatesIn(location.mapUrl) : null;
    const radius = salon.home_radius_km === null ? null : Number(salon.home_radius_km);
    const within = pin && radius !== null && salon.latitude !== null && salon.longitude !== null &&
      distanceKm(pin, { lat: salon.latitude, lng: salon.longitude }) <= radius;
    if (!within) throw new ValidationError({ location: ["home.error.area"] });
    districtName = location.district?.trim().slice(0, 120) || "";
  }
  return {
    travelMinutes: salon.home_travel_minutes,
    surchargeHalalas: salon.home_surcharge_halalas,
    districtName,
  };
}

/** The salon's travel time for home visits, in minutes (0 for an unknown salon). */
export async function salonTravelMinutes(db: Queryable, salonId: string): Promise<number> {
  const [row] = await db.query<{ home_travel_minutes: number }>(
    "SELECT home_travel_minutes FROM salons WHERE id = $1",
    [salonId],
  );
  return row?.home_travel_minutes ?? 0;
}

/** The districts a salon comes to, by English name. */
export async function homeDistricts(
  db: Queryable,
  salonId: string,
): Promise<{ key: string; name_ar: string; name_en: string }[]> {
  return await db.query(
    "SELECT key, name_ar, name_en FROM salon_home_districts WHERE salon_id = $1 ORDER BY name_en",
    [salonId],
  );
}
