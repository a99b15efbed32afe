import type { Queryable } from "@/db/types.ts";
import { ForbiddenError, UnauthorizedError } from "@/services/errors.ts";
import type { SessionUser } from "./users.ts";
import { isUuid } from "@/services/ids.ts";

/** Narrows a request state to a signed-in one; otherwise a 401 (a redirect to /login on pages). */
export function assertSignedIn<S extends { user: SessionUser | null }>(
  state: S,
): asserts state is S & { user: SessionUser } {
  if (!state.user) throw new UnauthorizedError();
}

/** Throws 403 unless the user is a platform admin. */
export function assertAdmin(user: SessionUser): void {
  if (user.role !== "admin") throw new ForbiddenError();
}

export type SalonRole = "manager" | "staff";

/** The user's role in a salon (from salon_memberships), or null when they have none. */
export async function salonRoleOf(
  db: Queryable,
  userId: string,
  salonId: string,
): Promise<SalonRole | null> {
  if (!isUuid(salonId) || !isUuid(userId)) return null;
  const [row] = await db.query<{ role: SalonRole }>(
    "SELECT role FROM salon_memberships WHERE user_id = $1 AND salon_id = $2",
    [userId, salonId],
  );
  return row?.role ?? null;
}

/** Every salon the user works at, with their role there. */
export async function salonRolesOf(
  db: Queryable,
  userId: string,
): Promise<{ salonId: string; role: SalonRole }[]> {
  const rows = await db.query<{ salon_id: string; role: SalonRole }>(
    "SELECT salon_id, role FROM salon_memberships WHERE user_id = $1 ORDER BY created_at, salon_id",
    [userId],
  );
  return rows.map((r) => ({ salonId: r.salon_id, role: r.role }));
}

/** Throws 403 unless the user manages `salonId` (platform admins may act as managers). */
export async function assertManagerOf(
  db: Queryable,
  user: SessionUser,
  salonId: string,
): Promise<void> {
  if (user.role === "admin") return;
  if (await salonRoleOf(db, user.id, salonId) !== "manager") throw new ForbiddenError();
}

/**
 * Throws 403 unless the user works at `salonId`: staff or manager (a manager can do what staff
 * can), or a platform admin.
 */
export async function assertStaffOf(
  db: Queryable,
  user: SessionUser,
  salonId: string,
): Promise<void> {
  if (user.role === "admin") return;
  if (await salonRoleOf(db, user.id, salonId) === null) throw new ForbiddenError();
}
