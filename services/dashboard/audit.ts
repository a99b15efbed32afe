/**
 * The audit log: one row per dashboard (and /admin) mutation, written by the service that makes
 * the change, in its transaction. Pages read it through {@link listAudit}, managers only.
 */
import type { Queryable, Tx } from "@/db/types.ts";
import { NotFoundError } from "@/services/errors.ts";
import { deletedSql, shownNameSql, shownPhoneSql } from "@/services/people.ts";
import { addDays } from "@/services/slots/load.ts";
import { authorizeSalon, type DashboardActor } from "./access.ts";

export type AuditRole = "admin" | "manager" | "staff" | "system";

export interface AuditEntry {
  salonId: string | null;
  actorUserId: string | null;
  actorRole: AuditRole;
  /** `<entity>.<verb>`: booking.cancel, service.update, team.invite, … */
  action: string;
  entity: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
  at: Date;
  requestId?: string | null;
}

/** Plain JSON for the log: dates as ISO strings, undefined dropped, generated columns left out. */
export function snapshot(row: unknown): unknown {
  if (row === null || row === undefined) return null;
  return JSON.parse(JSON.stringify(row, (key, value) => {
    if (key === "search_name" || key === "updated_at" || key === "created_at") return undefined;
    return value;
  }));
}

/**
 * Writes one audit row in the caller's transaction (a rollback takes it away with the change).
 * `before`/`after` are the changed row around the change (null for a creation or a removal).
 */
export async function audit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.query(
    `INSERT INTO audit_log (salon_id, actor_user_id, actor_role, action, entity, entity_id, before,
       after, at, request_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      entry.salonId,
      entry.actorUserId,
      entry.actorRole,
      entry.action,
      entry.entity,
      entry.entityId,
      snapshot(entry.before),
      snapshot(entry.after),
      entry.at,
      entry.requestId?.slice(0, 64) ?? null,
    ],
  );
}

export interface AuditRow {
  id: string;
  salon_id: string | null;
  actor_user_id: string | null;
  actor_role: AuditRole;
  /** E.164; null for the system and for a deleted account. */
  actor_phone: string | null;
  /** Name, else phone, else '' (the system, a deleted account). */
  actor_name: string;
  /** The actor's account was deleted since. */
  actor_deleted: boolean;
  action: string;
  entity: string;
  entity_id: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  at: Date;
  request_id: string | null;
}

export interface AuditFilter {
  /** Local dates (salon's zone), inclusive. */
  from?: string;
  to?: string;
  /** An exact action (booking.cancel) or an entity (booking). */
  action?: string;
  entityId?: string;
  actorUserId?: string;
  limit?: number;
}

/** Local midnight of `date` in `timeZone` as an instant. */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const zdt = Temporal.PlainDate.from(date).toZonedDateTime({ timeZone });
  return new Date(zdt.epochMilliseconds);
}

/**
 * A salon's audit rows, newest first, filtered by local date range, action or entity, entity id
 * and person. Managers (and admins) only.
 * @throws ForbiddenError for anyone else.
 */
export async function listAudit(
  db: Queryable,
  actor: DashboardActor,
  salonId: string,
  filter: AuditFilter = {},
): Promise<AuditRow[]> {
  await authorizeSalon(db, actor.user, salonId, "manager");
  const [salon] = await db.query<{ timezone: string }>(
    "SELECT timezone FROM salons WHERE id = $1",
    [salonId],
  );
  if (!salon) throw new NotFoundError();
  const from = filter.from ? startOfLocalDay(filter.from, salon.timezone) : null;
  const to = filter.to ? startOfLocalDay(addDays(filter.to, 1), salon.timezone) : null;
  const action = filter.action ?? null;
  return await db.query<AuditRow>(
    `SELECT a.id, a.salon_id, a.actor_user_id, a.actor_role, ${shownPhoneSql("u")} AS actor_phone,
            ${shownNameSql("u")} AS actor_name, ${deletedSql("u")} AS actor_deleted,
            a.action, a.entity, a.entity_id, a.before, a.after, a.at, a.request_id
     FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id
     WHERE a.salon_id = $1
       AND ($2::timestamptz IS NULL OR a.at >= $2)
       AND ($3::timestamptz IS NULL OR a.at < $3)
       AND ($4::text IS NULL OR a.action = $4 OR a.entity = $4)
       AND ($5::text IS NULL OR a.entity_id = $5)
       AND ($6::uuid IS NULL OR a.actor_user_id = $6)
     ORDER BY a.at DESC, a.id
     LIMIT $7`,
    [
      salonId,
      from,
      to,
      action,
      filter.entityId ?? null,
      filter.actorUserId ?? null,
      Math.min(Math.max(filter.limit ?? 200, 1), 1000),
    ],
  );
}

/** The people who appear in a salon's audit log (the page's "who" filter). */
export function auditActors(
  db: Queryable,
  salonId: string,
): Promise<{ id: string; name: string; phone: string | null; deleted: boolean }[]> {
  return db.query(
    `SELECT DISTINCT u.id, ${shownNameSql("u")} AS name, ${shownPhoneSql("u")} AS phone,
            ${deletedSql("u")} AS deleted
     FROM audit_log a JOIN users u ON u.id = a.actor_user_id
     WHERE a.salon_id = $1 ORDER BY deleted, name, u.id`,
    [salonId],
  );
}
