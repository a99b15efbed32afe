/**
 * Platform administration (/admin): every salon at a glance, and creating a salon with its first
 * manager. Platform admins only (users.is_admin), checked here as well as in the route.
 */
import type { Db, Queryable } from "@/db/types.ts";
import { DbError, PG_UNIQUE_VIOLATION } from "@/db/types.ts";
import { assertAdmin } from "@/services/auth/authorize.ts";
import { ValidationError } from "@/services/errors.ts";
import type { DashboardActor } from "./access.ts";
import { audit } from "./audit.ts";
import { inviteMember } from "./team.ts";

export interface AdminSalonRow {
  id: string;
  slug: string;
  name_ar: string;
  name_en: string;
  city_ar: string;
  city_en: string;
  active: boolean;
  managers: number;
  staff: number;
}

/** Every salon, newest first, with its number of managers and active staff. */
export async function listAllSalons(
  db: Queryable,
  actor: DashboardActor,
): Promise<AdminSalonRow[]> {
  assertAdmin(actor.user);
  return await db.query<AdminSalonRow>(
    `SELECT s.id, s.slug, s.name_ar, s.name_en, s.city_ar, s.city_en, s.active,
            (SELECT count(*)::int FROM salon_memberships m
             WHERE m.salon_id = s.id AND m.role = 'manager') AS managers,
            (SELECT count(*)::int FROM staff st WHERE st.salon_id = s.id AND st.active) AS staff
     FROM salons s ORDER BY s.created_at DESC, s.slug`,
  );
}

export interface NewSalonInput {
  slug: string;
  name_ar: string;
  name_en: string;
  city: string;
  city_ar: string;
  city_en: string;
  timezone: string;
  /** E.164: the first manager (their account is created when missing). */
  managerPhone: string;
}

/**
 * Creates a salon (default booking rules, no opening hours yet: its manager sets them) and makes
 * the owner of `managerPhone` its manager, who is told by SMS. Audited as salon.create (and
 * team.invite). A slug already in use is a ValidationError on `slug`.
 */
export async function createSalon(
  db: Db,
  actor: DashboardActor,
  input: NewSalonInput,
): Promise<{ id: string; slug: string }> {
  assertAdmin(actor.user);
  try {
    return await db.transaction(async (tx) => {
      const [salon] = await tx.query<{ id: string; slug: string }>(
        `INSERT INTO salons (slug, name_ar, name_en, city, city_ar, city_en, timezone, created_at,
           updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id, slug`,
        [
          input.slug,
          input.name_ar,
          input.name_en,
          input.city,
          input.city_ar,
          input.city_en,
          input.timezone,
          actor.now,
        ],
      );
      await audit(tx, {
        salonId: salon.id,
        actorUserId: actor.user.id,
        actorRole: "admin",
        action: "salon.create",
        entity: "salon",
        entityId: salon.id,
        before: null,
        after: { ...input },
        at: actor.now,
        requestId: actor.requestId,
      });
      await inviteMember(tx, actor, salon.id, { phone: input.managerPhone, role: "manager" });
      return salon;
    });
  } catch (err) {
    if (
      err instanceof DbError && err.code === PG_UNIQUE_VIOLATION &&
      err.constraint === "salons_slug_key"
    ) {
      throw new ValidationError({ slug: ["dash.admin.slugTaken"] });
    }
    throw err;
  }
}
