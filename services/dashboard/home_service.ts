import type { Db, Queryable } from "@/db/types.ts";
import { NotFoundError, ValidationError } from "@/services/errors.ts";
import { isUuid } from "@/services/ids.ts";
import { authorizeSalon, type DashboardActor } from "./access.ts";
import { asManager } from "./catalog.ts";

export interface HomeDistrict {
  key: string;
  name_ar: string;
  name_en: string;
}

export interface HomeServiceSettings {
  home_travel_minutes: number;
  home_surcharge_halalas: number;
  /** Kilometres, or null: only the listed districts. */
  home_radius_km: number | null;
  districts: HomeDistrict[];
  services: { id: string; name_ar: string; name_en: string; at_home: boolean }[];
}

/** The home-service page: the terms, the districts served and which services go to homes. */
export async function getHomeService(
  db: Queryable,
  actor: DashboardActor,
  salonId: string,
): Promise<HomeServiceSettings> {
  await authorizeSalon(db, actor.user, salonId, "manager");
  const [salon] = await db.query<Omit<HomeServiceSettings, "districts" | "services">>(
    `SELECT home_travel_minutes, home_surcharge_halalas, home_radius_km::float8 AS home_radius_km
     FROM salons WHERE id = $1`,
    [salonId],
  );
  return {
    ...salon,
    districts: await db.query<HomeDistrict>(
      "SELECT key, name_ar, name_en FROM salon_home_districts WHERE salon_id = $1 ORDER BY name_en",
      [salonId],
    ),
    services: await db.query(
      `SELECT id, name_ar, name_en, at_home FROM services
       WHERE salon_id = $1 AND active ORDER BY sort_order, name_en`,
      [salonId],
    ),
  };
}

/** Travel time, surcharge and radius (audited). */
export function updateHomeTerms(
  db: Db,
  actor: DashboardActor,
  salonId: string,
  terms: { travelMinutes: number; surchargeHalalas: number; radiusKm: number | null },
): Promise<void> {
  return asManager(db, actor, salonId, async (tx) => {
    const [before] = await tx.query(
      `SELECT home_travel_minutes, home_surcharge_halalas, home_radius_km::float8 AS home_radius_km
       FROM salons WHERE id = $1 FOR UPDATE`,
      [salonId],
    );
    const [after] = await tx.query(
      `UPDATE salons SET home_travel_minutes = $2, home_surcharge_halalas = $3,
         home_radius_km = $4, updated_at = $5
       WHERE id = $1
       RETURNING home_travel_minutes, home_surcharge_halalas, home_radius_km::float8 AS home_radius_km`,
      [salonId, terms.travelMinutes, terms.surchargeHalalas, terms.radiusKm, actor.now],
    );
    return {
      result: undefined,
      audit: {
        action: "home_service.update",
        entity: "salon",
        entityId: salonId,
        before,
        after,
      },
    };
  });
}

/** A key from the English name: "Al Malqa" → "al-malqa". */
export function districtKey(nameEn: string): string {
  return nameEn.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(
    /^-+|-+$/g,
    "",
  ).slice(0, 80);
}

/** Adds a district the salon comes to (audited); the same English name twice is refused. */
export function addHomeDistrict(
  db: Db,
  actor: DashboardActor,
  salonId: string,
  district: { name_ar: string; name_en: string },
): Promise<HomeDistrict> {
  const key = districtKey(district.name_en);
  if (!key) throw new ValidationError({ district_en: ["home.error.districtName"] });
  return asManager(db, actor, salonId, async (tx) => {
    const [row] = await tx.query<HomeDistrict>(
      `INSERT INTO salon_home_districts (salon_id, key, name_ar, name_en)
       VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING
       RETURNING key, name_ar, name_en`,
      [salonId, key, district.name_ar.trim(), district.name_en.trim()],
    );
    if (!row) throw new ValidationError({ district_en: ["home.error.districtTwice"] });
    return {
      result: row,
      audit: {
        action: "home_district.create",
        entity: "home_district",
        entityId: key,
        before: null,
        after: row,
      },
    };
  });
}

/** Removes one of the salon's districts (bookings already made keep their address). */
export function removeHomeDistrict(
  db: Db,
  actor: DashboardActor,
  salonId: string,
  key: string,
): Promise<void> {
  return asManager(db, actor, salonId, async (tx) => {
    const [row] = await tx.query<HomeDistrict>(
      `DELETE FROM salon_home_districts WHERE salon_id = $1 AND key = $2
       RETURNING key, name_ar, name_en`,
      [salonId, key],
    );
    if (!row) throw new NotFoundError();
    return {
      result: undefined,
      audit: {
        action: "home_district.delete",
        entity: "home_district",
        entityId: key,
        before: row,
        after: null,
      },
    };
  });
}

/** Which of the salon's services are offered at home (audited, one row per change). */
export function setServicesAtHome(
  db: Db,
  actor: DashboardActor,
  salonId: string,
  atHome: string[],
): Promise<void> {
  if (!atHome.every(isUuid)) throw new ValidationError({ services: ["validation.invalid"] });
  return asManager(db, actor, salonId, async (tx) => {
    const changed = await tx.query<{ id: string; at_home: boolean }>(
      `UPDATE services SET at_home = (id = ANY($2::uuid[])), updated_at = $3
       WHERE salon_id = $1 AND at_home IS DISTINCT FROM (id = ANY($2::uuid[]))
       RETURNING id, at_home`,
      [salonId, atHome, actor.now],
    );
    return {
      result: undefined,
      audit: changed.length
        ? {
          action: "home_service.services",
          entity: "salon",
          entityId: salonId,
          before: null,
          after: changed,
        }
        : null,
    };
  });
}
