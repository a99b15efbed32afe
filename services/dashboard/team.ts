/**
 * Who works at a salon: managers (everything) and staff (their own calendar and bookings).
 *
 * Inviting is by phone number and needs no invitation table: in one transaction the person's
 * account is found or created (not verified; they log in with the normal code flow, which
 * verifies the number), their membership is written (or their role changed), optionally linked to
 * a staff row (what "their own bookings" means), and a text telling them is queued in the
 * messages outbox. Removing access deletes the membership (effective on their next request: every
 * dashboard request reads memberships) and unlinks their staff row. The last manager cannot be
 * removed or demoted, so a salon never locks itself out.
 */
import type { Db, Queryable, Tx } from "@/db/types.ts";
import type { Locale } from "@/i18n/mod.ts";
import type { SalonRole } from "@/services/auth/authorize.ts";
import { ConflictError, NotFoundError, ValidationError } from "@/services/errors.ts";
import { CHANNEL_FOR, enqueueMessage } from "@/services/messages/enqueue.ts";
import { auditRole, authorizeSalon, type DashboardActor } from "./access.ts";
import { audit } from "./audit.ts";
import { isUuid } from "@/services/ids.ts";

export interface TeamMember {
  user_id: string;
  phone_number: string;
  name: string;
  role: SalonRole;
  created_at: Date;
  is_phone_verified: boolean;
  staff_id: string | null;
  staff_name_ar: string | null;
  staff_name_en: string | null;
}

const TEAM_SQL = `
  SELECT m.user_id, u.phone_number, trim(u.first_name || ' ' || u.last_name) AS name, m.role,
         m.created_at, u.is_phone_verified, st.id AS staff_id, st.name_ar AS staff_name_ar,
         st.name_en AS staff_name_en
  FROM salon_memberships m
  JOIN users u ON u.id = m.user_id
  LEFT JOIN staff st ON st.salon_id = m.salon_id AND st.user_id = m.user_id`;

/** The salon's team, managers first. Managers only. */
export async function listTeam(
  db: Queryable,
  actor: DashboardActor,
  salonId: string,
): Promise<TeamMember[]> {
  await authorizeSalon(db, actor.user, salonId, "manager");
  return await db.query<TeamMember>(
    `${TEAM_SQL} WHERE m.salon_id = $1 ORDER BY m.role, m.created_at, m.user_id`,
    [salonId],
  );
}

async function readMember(tx: Queryable, salonId: string, userId: string) {
  const [row] = await tx.query<TeamMember>(`${TEAM_SQL} WHERE m.salon_id = $1 AND m.user_id = $2`, [
    salonId,
    userId,
  ]);
  return row ?? null;
}

const memberAudit = (m: TeamMember | null) =>
  m && { user_id: m.user_id, phone_number: m.phone_number, role: m.role, staff_id: m.staff_id };

async function managerCount(tx: Tx, salonId: string): Promise<number> {
  // Locks the managers' rows: two managers removing each other at once cannot both succeed.
  const rows = await tx.query(
    "SELECT user_id FROM salon_memberships WHERE salon_id = $1 AND role = 'manager' FOR UPDATE",
    [salonId],
  );
  return rows.length;
}

export interface InviteInput {
  /** E.164 (the route parses what was typed). */
  phone: string;
  role: SalonRole;
  /** Links the person to this staff row of the salon (their calendar). */
  staffId?: string | null;
  /** For a new account only. */
  firstName?: string;
  language?: Locale;
}

/**
 * Adds a person to the salon's team by phone number (or changes the role of someone already in
 * it), and queues an SMS telling them to log in. Audited as team.invite / team.update.
 * @throws ConflictError when nothing would change or the last manager would be demoted;
 *   ValidationError for a staff row that is not the salon's or is someone else's.
 */
export async function inviteMember(
  db: Db | Tx,
  actor: DashboardActor,
  salonId: string,
  input: InviteInput,
): Promise<{ member: TeamMember; userCreated: boolean; joined: boolean }> {
  if (!/^\+[1-9][0-9]{7,14}$/.test(input.phone)) {
    throw new ValidationError({ phone: ["auth.phone.invalid"] });
  }
  const staffId = input.staffId || null;
  if (staffId !== null && !isUuid(staffId)) {
    throw new ValidationError({ staff_id: ["validation.invalid"] });
  }
  return await db.transaction(async (tx) => {
    const access = await authorizeSalon(tx, actor.user, salonId, "manager");
    const [salon] = await tx.query<{ name_ar: string; name_en: string; timezone: string }>(
      "SELECT name_ar, name_en, timezone FROM salons WHERE id = $1 FOR UPDATE",
      [salonId],
    );
    const [created] = await tx.query<{ id: string }>(
      `INSERT INTO users (phone_number, first_name, preferred_language, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $4) ON CONFLICT (phone_number) DO NOTHING RETURNING id`,
      [
        input.phone,
        (input.firstName ?? "").trim().slice(0, 150),
        input.language ?? "ar",
        actor.now,
      ],
    );
    const [user] = await tx.query<{ id: string; preferred_language: Locale; is_active: boolean }>(
      "SELECT id, preferred_language, is_active FROM users WHERE phone_number = $1",
      [input.phone],
    );
    if (!user.is_active) throw new ValidationError({ phone: ["dash.team.inactive"] });

    const before = await readMember(tx, salonId, user.id);
    if (before && before.role === "manager" && input.role !== "manager") {
      if (await managerCount(tx, salonId) <= 1) throw new ConflictError("dash.team.lastManager");
    }
    if (before) {
      await tx.query(
        "UPDATE salon_memberships SET role = $3 WHERE salon_id = $1 AND user_id = $2",
        [salonId, user.id, input.role],
      );
    } else {
      await tx.query(
        "INSERT INTO salon_memberships (user_id, salon_id, role, created_at) VALUES ($1, $2, $3, $4)",
        [user.id, salonId, input.role, actor.now],
      );
    }
    if (staffId) {
      const [st] = await tx.query<{ user_id: string | null }>(
        "SELECT user_id FROM staff WHERE id = $1 AND salon_id = $2 FOR UPDATE",
        [staffId, salonId],
      );
      if (!st) throw new ValidationError({ staff_id: ["validation.invalid"] });
      if (st.user_id && st.user_id !== user.id) {
        throw new ValidationError({ staff_id: ["dash.team.staffTaken"] });
      }
      await tx.query("UPDATE staff SET user_id = NULL WHERE salon_id = $1 AND user_id = $2", [
        salonId,
        user.id,
      ]);
      await tx.query("UPDATE staff SET user_id = $2, updated_at = $3 WHERE id = $1", [
        staffId,
        user.id,
        actor.now,
      ]);
    }
    const member = (await readMember(tx, salonId, user.id))!;
    if (before && JSON.stringify(memberAudit(before)) === JSON.stringify(memberAudit(member))) {
      throw new ConflictError("dash.team.already");
    }
    await audit(tx, {
      salonId,
      actorUserId: actor.user.id,
      actorRole: auditRole(access),
      action: before ? "team.update" : "team.invite",
      entity: "membership",
      entityId: user.id,
      before: memberAudit(before),
      after: memberAudit(member),
      at: actor.now,
      requestId: actor.requestId,
    });
    if (!before) {
      const locale: Locale = user.preferred_language === "en" ? "en" : "ar";
      await enqueueMessage(tx, {
        dedupeKey: `team:${salonId}:${user.id}:invited:${actor.now.getTime()}`,
        kind: "event",
        bookingId: null,
        event: "team_invited",
        recipient: { userId: user.id, role: input.role, phone: input.phone, locale },
        channel: CHANNEL_FOR[input.role],
        template: input.role === "manager" ? "msg.team.invitedManager" : "msg.team.invitedStaff",
        params: {
          salon: locale === "ar" ? salon.name_ar : salon.name_en,
          service: "",
          staff: "",
          startsAt: actor.now.toISOString(),
          timeZone: salon.timezone,
          linkPath: "/dashboard",
        },
        runAt: actor.now,
        now: actor.now,
      });
    }
    return { member, userCreated: Boolean(created), joined: !before };
  });
}

/**
 * Takes a person's access to the salon away (their staff row stays, unlinked, with its bookings).
 * Audited as team.remove.
 * @throws NotFoundError for someone not in the team; ConflictError for the last manager.
 */
export async function removeMember(
  db: Db,
  actor: DashboardActor,
  salonId: string,
  userId: string,
): Promise<void> {
  if (!isUuid(userId)) throw new NotFoundError();
  await db.transaction(async (tx) => {
    const access = await authorizeSalon(tx, actor.user, salonId, "manager");
    const before = await readMember(tx, salonId, userId);
    if (!before) throw new NotFoundError();
    if (before.role === "manager" && await managerCount(tx, salonId) <= 1) {
      throw new ConflictError("dash.team.lastManager");
    }
    await tx.query("DELETE FROM salon_memberships WHERE salon_id = $1 AND user_id = $2", [
      salonId,
      userId,
    ]);
    await tx.query(
      "UPDATE staff SET user_id = NULL, updated_at = $3 WHERE salon_id = $1 AND user_id = $2",
      [salonId, userId, actor.now],
    );
    await audit(tx, {
      salonId,
      actorUserId: actor.user.id,
      actorRole: auditRole(access),
      action: "team.remove",
      entity: "membership",
      entityId: userId,
      before: memberAudit(before),
      after: null,
      at: actor.now,
      requestId: actor.requestId,
    });
  });
}
