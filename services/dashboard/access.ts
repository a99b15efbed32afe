/**
 * Who may do what in a salon's dashboard. Every dashboard service calls {@link authorizeSalon}
 * itself (inside its transaction), whatever the route already checked: managers may do everything
 * in their salon, staff see their own calendar and bookings and record how they ended, platform
 * admins act as managers of every salon. Nothing here trusts the route.
 */
import type { Queryable } from "@/db/types.ts";
import type { SalonRole } from "@/services/auth/authorize.ts";
import type { SessionUser } from "@/services/auth/users.ts";
import type { Salon } from "@/services/catalog.ts";
import { ForbiddenError, NotFoundError } from "@/services/errors.ts";
import { isUuid } from "@/services/ids.ts";

/** What a route or service needs: a manager (or admin), or anyone working at the salon. */
export type Need = "manager" | "staff";

/** Who is acting on a dashboard service: the signed-in person, the clock, the request. */
export interface DashboardActor {
  user: SessionUser;
  now: Date;
  /** The HTTP request's id, kept in the audit log. */
  requestId?: string | null;
}

export interface SalonAccess {
  salonId: string;
  role: SalonRole;
  /** The caller's own staff row in this salon (staff.user_id), if any: what staff may see. */
  staffId: string | null;
  /** A platform admin acting as manager without a membership. */
  viaAdmin: boolean;
}

/** The capacity written in the audit log. */
export function auditRole(access: SalonAccess): "admin" | "manager" | "staff" {
  return access.viaAdmin ? "admin" : access.role;
}

/**
 * Checks that `user` may act in `salonId` with `need` (assertManagerOf / assertStaffOf) and
 * returns their role and own staff row. Call it inside the transaction that makes the change.
 * @throws ForbiddenError (403) otherwise.
 */
export async function authorizeSalon(
  db: Queryable,
  user: SessionUser,
  salonId: string,
  need: Need,
): Promise<SalonAccess> {
  if (!isUuid(salonId)) throw new ForbiddenError();
  // One round trip: the membership and the caller's own staff row.
  const [row] = await db.query<{ role: SalonRole | null; staff_id: string | null }>(
    `SELECT (SELECT role FROM salon_memberships WHERE user_id = $1 AND salon_id = $2) AS role,
            (SELECT id FROM staff WHERE salon_id = $2 AND user_id = $1) AS staff_id`,
    [user.id, salonId],
  );
  const { role, staff_id: staffId } = row;
  if (user.role === "admin" && role !== "manager") {
    return { salonId, role: "manager", staffId, viaAdmin: true };
  }
  if (role === null || (need === "manager" && role !== "manager")) throw new ForbiddenError();
  return { salonId, role, staffId, viaAdmin: false };
}

/** The salon columns the dashboard reads: the public ones plus whether it is listed. */
export type DashboardSalon = Salon & { active: boolean };

const SALON_COLUMNS = `id, slug, name_ar, name_en, description_ar, description_en, city, city_ar,
  city_en, district_ar, district_en, address_ar, address_en, latitude, longitude, phone, whatsapp,
  timezone, slot_step_minutes, min_notice_minutes, horizon_days, hold_minutes,
  cancellation_window_hours, payment_mode, deposit_percent, rating_avg, rating_count, active`;

/** A salon by id or slug, listed or not (its managers still run it). */
export async function findSalon(
  db: Queryable,
  by: { id?: string; slug?: string },
): Promise<DashboardSalon | null> {
  const uuid = by.id && isUuid(by.id) ? by.id : null;
  if (!uuid && !by.slug) return null;
  const [salon] = await db.query<DashboardSalon>(
    `SELECT ${SALON_COLUMNS} FROM salons WHERE ${uuid ? "id = $1::uuid" : "slug = $1"}`,
    [uuid ?? by.slug],
  );
  return salon ?? null;
}

/**
 * The guard every dashboard page uses: the salon named by `slug` and the caller's access to it.
 * Someone who does not work there gets a 404 whether or not it exists (its existence is not
 * revealed); staff asking for a manager's page get a 403.
 */
export async function dashboardAccess(
  db: Queryable,
  user: SessionUser,
  slug: string,
  need: Need,
): Promise<{ salon: DashboardSalon; access: SalonAccess }> {
  const salon = await findSalon(db, { slug });
  if (!salon) throw new NotFoundError();
  let access: SalonAccess;
  try {
    access = await authorizeSalon(db, user, salon.id, "staff");
  } catch (err) {
    if (err instanceof ForbiddenError) throw new NotFoundError();
    throw err;
  }
  if (need === "manager" && access.role !== "manager") throw new ForbiddenError();
  return { salon, access };
}

export interface MembershipSummary {
  salon_id: string;
  slug: string;
  name_ar: string;
  name_en: string;
  timezone: string;
  role: SalonRole;
}

/** The salons a person works at (the salon switcher), by name. */
export function salonsOf(db: Queryable, userId: string): Promise<MembershipSummary[]> {
  return db.query<MembershipSummary>(
    `SELECT s.id AS salon_id, s.slug, s.name_ar, s.name_en, s.timezone, m.role
     FROM salon_memberships m JOIN salons s ON s.id = m.salon_id
     WHERE m.user_id = $1 ORDER BY s.name_en, s.id`,
    [userId],
  );
}
