/**
 * What managers change about their salon: services, staff (what they do, their hours, time off)
 * and the salon's settings, hours, closures and breaks. Every function checks that the caller
 * manages the salon (in its own transaction), changes rows of that salon only, and writes an
 * audit row with the row before and after. Inputs arrive parsed (routes use zod); the database's
 * CHECK constraints stay the last word.
 *
 * Services and staff are never deleted (bookings point at them): they are switched off.
 */
import type { Db, Queryable, Tx } from "@/db/types.ts";
import type { PaymentMode, ServiceCategory } from "@/services/catalog.ts";
import { NotFoundError, ValidationError } from "@/services/errors.ts";
import type { WeeklyInterval } from "@/services/slots/engine.ts";
import { auditRole, authorizeSalon, type DashboardActor, type SalonAccess } from "./access.ts";
import { audit } from "./audit.ts";
import { isUuid } from "@/services/ids.ts";
import { type Audience, AUDIENCES } from "@/services/search/salons.ts";

interface AuditEntry {
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
}

/** Runs `fn` in a transaction as a manager of `salonId` and audits what it returns. */
export async function asManager<T>(
  db: Db,
  actor: DashboardActor,
  salonId: string,
  fn: (tx: Tx, access: SalonAccess) => Promise<{ result: T; audit: AuditEntry | null }>,
): Promise<T> {
  return await db.transaction(async (tx) => {
    const access = await authorizeSalon(tx, actor.user, salonId, "manager");
    const { result, audit: entry } = await fn(tx, access);
    if (entry) {
      await audit(tx, {
        salonId,
        actorUserId: actor.user.id,
        actorRole: auditRole(access),
        ...entry,
        at: actor.now,
        requestId: actor.requestId,
      });
    }
    return result;
  });
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** `SET a = $2, b = $3` over the whitelisted columns present in `values`. */
function setClause(
  values: Record<string, unknown>,
  columns: readonly string[],
  offset: number,
): { sql: string; params: unknown[] } {
  const keys = columns.filter((k) => values[k] !== undefined);
  return {
    sql: keys.map((k, i) => `${k} = $${i + offset}`).join(", "),
    params: keys.map((k) => values[k]),
  };
}

/**
 * The shared update: lock and read the row, set the whitelisted columns present in `input` (and
 * `updated_at`), run `also` (child rows), read it again; audited as `action` unless nothing changed.
 */
async function updateAudited<T>(
  tx: Tx,
  now: Date,
  spec: {
    table: "services" | "staff" | "salons";
    columns: readonly string[];
    id: string;
    input: object;
    read: (lock?: boolean) => Promise<T>;
    action: string;
    entity: string;
    also?: () => Promise<void>;
  },
): Promise<{ result: T; audit: AuditEntry | null }> {
  const before = await spec.read(true);
  const set = setClause({ ...spec.input }, spec.columns, 3);
  await tx.query(`UPDATE ${spec.table} SET ${set.sql}, updated_at = $2 WHERE id = $1`, [
    spec.id,
    now,
    ...set.params,
  ]);
  await spec.also?.();
  const after = await spec.read();
  return {
    result: after,
    audit: sameJson(before, after)
      ? null
      : { action: spec.action, entity: spec.entity, entityId: spec.id, before, after },
  };
}

/**
 * The shared create: insert the whitelisted columns present in `input` for the salon (created and
 * updated now), run `also` (child rows), read the row back; audited as `action`.
 */
async function insertAudited<T>(
  tx: Tx,
  salonId: string,
  now: Date,
  spec: {
    table: "services" | "staff";
    columns: readonly string[];
    input: object;
    read: (id: string) => Promise<T>;
    action: string;
    entity: string;
    also?: (id: string) => Promise<void>;
  },
): Promise<{ result: T; audit: AuditEntry }> {
  const values: Record<string, unknown> = { ...spec.input };
  const keys = spec.columns.filter((k) => values[k] !== undefined);
  const [{ id }] = await tx.query<{ id: string }>(
    `INSERT INTO ${spec.table} (salon_id, created_at, updated_at, ${keys.join(", ")})
     VALUES ($1, $2, $2, ${keys.map((_, i) => `$${i + 3}`).join(", ")}) RETURNING id`,
    [salonId, now, ...keys.map((k) => values[k])],
  );
  await spec.also?.(id);
  const after = await spec.read(id);
  return {
    result: after,
    audit: { action: spec.action, entity: spec.entity, entityId: id, before: null, after },
  };
}

/** A period must end after it starts (closures, time off). */
function checkPeriod(input: { startsAt: Date; endsAt: Date }): void {
  if (!(input.startsAt.getTime() < input.endsAt.getTime())) {
    throw new ValidationError({ ends_at: ["dash.error.endBeforeStart"] });
  }
}

// ---------------------------------------------------------------------------------------------
// Services

export interface ServiceInput {
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
  active: boolean;
}

const SERVICE_COLUMNS = [
  "category",
  "name_ar",
  "name_en",
  "description_ar",
  "description_en",
  "duration_minutes",
  "price_halalas",
  "buffer_before_minutes",
  "buffer_after_minutes",
  "sort_order",
  "active",
] as const;

export interface AdminService extends ServiceInput {
  id: string;
  salon_id: string;
  staff_count: number;
}

/** Every service of the salon, switched off ones too, with how many active staff perform it. */
export async function listSalonServices(
  db: Queryable,
  actor: DashboardActor,
  salonId: string,
): Promise<AdminService[]> {
  await authorizeSalon(db, actor.user, salonId, "manager");
  return await db.query<AdminService>(
    `SELECT v.id, v.salon_id, ${SERVICE_COLUMNS.map((c) => `v.${c}`).join(", ")},
            (SELECT count(*)::int FROM staff_services ss JOIN staff st ON st.id = ss.staff_id
             WHERE ss.service_id = v.id AND st.active) AS staff_count
     FROM services v WHERE v.salon_id = $1
     ORDER BY v.active DESC, v.sort_order, v.name_en, v.id`,
    [salonId],
  );
}

/** One service of the salon (404 for another salon's). */
export async function getSalonService(
  db: Queryable,
  actor: DashboardActor,
  salonId: string,
  serviceId: string,
): Promise<AdminService> {
  await authorizeSalon(db, actor.user, salonId, "manager");
  return await readService(db, salonId, serviceId);
}

async function readService(db: Queryable, salonId: string, serviceId: string, lock = false) {
  if (!isUuid(serviceId)) throw new NotFoundError();
  const [row] = await db.query<AdminService>(
    `SELECT v.id, v.salon_id, ${SERVICE_COLUMNS.map((c) => `v.${c}`).join(", ")},
            (SELECT count(*)::int FROM staff_services ss JOIN staff st ON st.id = ss.staff_id
             WHERE ss.service_id = v.id AND st.active) AS staff_count
     FROM services v WHERE v.id = $1 AND v.salon_id = $2 ${lock ? "FOR UPDATE OF v" : ""}`,
    [serviceId, salonId],
  );
  if (!row) throw new NotFoundError();
  return row;
}

/** Adds a service (audited as service.create). */
export function createService(
  db: Db,
  actor: DashboardActor,
  salonId: string,
  input: ServiceInput,
): Promise<AdminService> {
  return asManager(db, actor, salonId, (tx) =>
    insertAudited(tx, salonId, actor.now, {
      table: "services",
      columns: SERVICE_COLUMNS,
      input,
      read: (id) => readService(tx, salonId, id),
      action: "service.create",
      entity: "service",
    }));
}

/** Changes a service of the salon (audited as service.update; no change → no row). */
export function updateService(
  db: Db,
  actor: DashboardActor,
  salonId: string,
  serviceId: string,
  input: ServiceInput,
): Promise<AdminService> {
  return asManager(db, actor, salonId, (tx) =>
    updateAudited(tx, actor.now, {
      table: "services",
      columns: SERVICE_COLUMNS,
      id: serviceId,
      input,
      read: (lock) => readService(tx, salonId, serviceId, lock),
      action: "service.update",
      entity: "service",
    }));
}

// ---------------------------------------------------------------------------------------------
// Staff

export interface StaffServiceInput {
  service_id: string;
  duration_minutes: number | null;
  price_halalas: number | null;
}

export interface StaffInput {
  name_ar: string;
  name_en: string;
  title_ar: string;
  title_en: string;
  sort_order: number;
  active: boolean;
  /** As the staff member states it (null: not stated); absent leaves it as it is. */
  gender?: "female" | "male" | null;
  services: StaffServiceInput[];
}

const STAFF_COLUMNS = [
  "name_ar",
  "name_en",
  "title_ar",
  "title_en",
  "gender",
  "sort_order",
  "active",
] as const;

export interface AdminStaff {
  id: string;
  salon_id: string;
  name_ar: string;
  name_en: string;
  title_ar: string;
  title_en: string;
  gender: "female" | "male" | null;
  sort_order: number;
  active: boolean;
  custom_hours: boolean;
  user_id: string | null;
  user_phone: string | null;
  services: StaffServiceInput[];
  hours: WeeklyInterval[];
}

async function readStaff(db: Queryable, salonId: string, staffId: string, lock = false) {
  if (!isUuid(staffId)) throw new NotFoundError();
  if (lock) {
    const locked = await db.query(
      "SELECT id FROM staff WHERE id = $1 AND salon_id = $2 FOR UPDATE",
      [
        staffId,
        salonId,
      ],
    );
    if (!locked.length) throw new NotFoundError();
  }
  const [row] = await db.query<AdminStaff>(`${STAFF_SQL} WHERE st.id = $1 AND st.salon_id = $2`, [
    staffId,
    salonId,
  ]);
  if (!row) throw new NotFoundError();
  return row;
}

const STAFF_SQL = `
  SELECT st.id, st.salon_id, st.name_ar, st.name_en, st.title_ar, st.title_en, st.gender,
         st.sort_order, st.active, st.custom_hours, st.user_id, u.phone_number AS user_phone,
         (SELECT coalesce(json_agg(json_build_object('service_id', ss.service_id,
                   'duration_minutes', ss.duration_minutes, 'price_halalas', ss.price_halalas)
                   ORDER BY ss.service_id), '[]'::json)
          FROM staff_services ss WHERE ss.staff_id = st.id) AS services,
         (SELECT coalesce(json_agg(json_build_object('weekday', h.weekday,
                   'startMinute', h.start_minute, 'endMinute', h.end_minute)
                   ORDER BY h.weekday, h.start_minute), '[]'::json)
          FROM staff_hours h WHERE h.staff_id = st.id) AS hours
  FROM staff st LEFT JOIN users u ON u.id = st.user_id`;

/** Every staff member of the salon, switched off ones too. */
export async function listSalonStaff(
  db: Queryable,
  actor: DashboardActor,
  salonId: string,
): Promise<AdminStaff[]> {
  await authorizeSalon(db, actor.user, salonId, "manager");
  return await db.query<AdminStaff>(
    `${STAFF_SQL} WHERE st.salon_id = $1 ORDER BY st.active DESC, st.sort_order, st.name_en, st.id`,
    [salonId],
  );
}

export interface TimeOff {
  id: string;
  starts_at: Date;
  ends_at: Date;
  reason: string;
}

/** One staff member with their upcoming (and current) time off. */
export async function getSalonStaff(
  db: Queryable,
  actor: DashboardActor,
  salonId: string,
  staffId: string,
): Promise<AdminStaff & { timeOff: TimeOff[] }> {
  await authorizeSalon(db, actor.user, salonId, "manager");
  const staff = await readStaff(db, salonId, staffId);
  const timeOff = await db.query<TimeOff>(
    `SELECT id, starts_at, ends_at, reason FROM staff_time_off
     WHERE staff_id = $1 AND ends_at > $2 ORDER BY starts_at`,
    [staffId, actor.now],
  );
  return { ...staff, timeOff };
}

async function writeStaffServices(
  tx: Tx,
  salonId: string,
  staffId: string,
  services: StaffServiceInput[],
): Promise<void> {
  const ids = services.map((s) => s.service_id);
  if (ids.some((id) => !isUuid(id))) {
    throw new ValidationError({ services: ["validation.invalid"] });
  }
  if (ids.length) {
    const known = await tx.query<{ id: string }>(
      "SELECT id FROM services WHERE salon_id = $1 AND id = ANY($2::uuid[])",
      [salonId, ids],
    );
    if (known.length !== new Set(ids).size) {
      throw new ValidationError({ services: ["validation.invalid"] });
    }
  }
  await tx.query("DELETE FROM staff_services WHERE staff_id = $1", [staffId]);
  for (const s of services) {
    await tx.query(
      `INSERT INTO staff_services (staff_id, service_id, salon_id, duration_minutes, price_halalas)
       VALUES ($1, $2, $3, $4, $5)`,
      [staffId, s.service_id, salonId, s.duration_minutes, s.price_halalas],
    );
  }
}

/** Adds a staff member with the services they perform (audited as staff.create). */
export function createStaff(
  db: Db,
  actor: DashboardActor,
  salonId: string,
  input: StaffInput,
): Promise<AdminStaff> {
  return asManager(db, actor, salonId, (tx) =>
    insertAudited(tx, salonId, actor.now, {
      table: "staff",
      columns: STAFF_COLUMNS,
      input,
      read: (id) => readStaff(tx, salonId, id),
      action: "staff.create",
      entity: "staff",
      also: (id) => writeStaffServices(tx, salonId, id, input.services),
    }));
}

/**
 * Changes a staff member's names, order, whether they take bookings and which services they
 * perform (with their own duration or price). Their row is locked first, as booking creation
 * does, so a booking being made for them waits for (and then sees) the change.
 */
export function updateStaff(
  db: Db,
  actor: DashboardActor,
  salonId: string,
  staffId: string,
  input: StaffInput,
): Promise<AdminStaff> {
  return asManager(db, actor, salonId, (tx) =>
    updateAudited(tx, actor.now, {
      table: "staff",
      columns: STAFF_COLUMNS,
      id: staffId,
      input,
      read: (lock) => readStaff(tx, salonId, staffId, lock),
      action: "staff.update",
      entity: "staff",
      also: () => writeStaffServices(tx, salonId, staffId, input.services),
    }));
}

/** Checks a week of hours: each interval inside a day, none overlapping another that day. */
export function validateWeek(hours: WeeklyInterval[], field = "hours"): void {
  const sorted = [...hours].sort((a, b) => a.weekday - b.weekday || a.startMinute - b.startMinute);
  for (let i = 0; i < sorted.length; i++) {
    const h = sorted[i];
    const ok = Number.isInteger(h.weekday) && h.weekday >= 1 && h.weekday <= 7 &&
      Number.isInteger(h.startMinute) && Number.isInteger(h.endMinute) &&
      h.startMinute >= 0 && h.endMinute <= 1440 && h.startMinute < h.endMinute;
    if (!ok) throw new ValidationError({ [field]: ["dash.error.hoursOrder"] });
    const prev = sorted[i - 1];
    if (prev && prev.weekday === h.weekday && prev.endMinute > h.startMinute) {
      throw new ValidationError({ [field]: ["dash.error.hoursOverlap"] });
    }
  }
}

/**
 * Sets a staff member's working hours: their own week (`custom`), or the salon's hours. Existing
 * bookings stay; only new ones follow the new hours.
 */
export function setStaffHours(
  db: Db,
  actor: DashboardActor,
  salonId: string,
  staffId: string,
  input: { custom: boolean; hours: WeeklyInterval[] },
): Promise<AdminStaff> {
  validateWeek(input.hours);
  return asManager(db, actor, salonId, async (tx) => {
    const before = await readStaff(tx, salonId, staffId, true);
    await tx.query("UPDATE staff SET custom_hours = $2, updated_at = $3 WHERE id = $1", [
      staffId,
      input.custom,
      actor.now,
    ]);
    await tx.query("DELETE FROM staff_hours WHERE staff_id = $1", [staffId]);
    if (input.custom) {
      for (const h of input.hours) {
        await tx.query(
          "INSERT INTO staff_hours (staff_id, weekday, start_minute, end_minute) VALUES ($1, $2, $3, $4)",
          [staffId, h.weekday, h.startMinute, h.endMinute],
        );
      }
    }
    const after = await readStaff(tx, salonId, staffId);
    return {
      result: after,
      audit: sameJson(before, after) ? null : {
        action: "staff.hours",
        entity: "staff",
        entityId: staffId,
        before: { custom_hours: before.custom_hours, hours: before.hours },
        after: { custom_hours: after.custom_hours, hours: after.hours },
      },
    };
  });
}

/** Adds time off for a staff member (their row locked, like a booking for them). */
export function addTimeOff(
  db: Db,
  actor: DashboardActor,
  salonId: string,
  staffId: string,
  input: { startsAt: Date; endsAt: Date; reason: string },
): Promise<TimeOff> {
  checkPeriod(input);
  return asManager(db, actor, salonId, async (tx) => {
    await readStaff(tx, salonId, staffId, true);
    const [row] = await tx.query<TimeOff>(
      `INSERT INTO staff_time_off (staff_id, starts_at, ends_at, reason) VALUES ($1, $2, $3, $4)
       RETURNING id, starts_at, ends_at, reason`,
      [staffId, input.startsAt, input.endsAt, input.reason.trim().slice(0, 200)],
    );
    return {
      result: row,
      audit: {
        action: "time_off.create",
        entity: "time_off",
        entityId: row.id,
        before: null,
        after: { staff_id: staffId, ...row },
      },
    };
  });
}

/** Removes a time off entry of one of the salon's staff (404 for anyone else's). */
export function removeTimeOff(
  db: Db,
  actor: DashboardActor,
  salonId: string,
  staffId: string,
  timeOffId: string,
): Promise<void> {
  if (!isUuid(timeOffId)) throw new NotFoundError();
  return asManager(db, actor, salonId, async (tx) => {
    await readStaff(tx, salonId, staffId, true);
    const [row] = await tx.query<TimeOff>(
      `DELETE FROM staff_time_off WHERE id = $1 AND staff_id = $2
       RETURNING id, starts_at, ends_at, reason`,
      [timeOffId, staffId],
    );
    if (!row) throw new NotFoundError();
    return {
      result: undefined,
      audit: {
        action: "time_off.delete",
        entity: "time_off",
        entityId: row.id,
        before: { staff_id: staffId, ...row },
        after: null,
      },
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Salon settings, hours, closures, breaks

export interface SettingsInput {
  name_ar: string;
  name_en: string;
  description_ar: string;
  description_en: string;
  district_ar: string;
  district_en: string;
  address_ar: string;
  address_en: string;
  phone: string | null;
  whatsapp: string | null;
  /** Whom the salon serves (at least one); absent leaves it as it is. */
  audience?: Audience[];
  slot_step_minutes: number;
  min_notice_minutes: number;
  horizon_days: number;
  hold_minutes: number;
  cancellation_window_hours: number;
  payment_mode: PaymentMode;
  deposit_percent: number;
}

const SETTINGS_COLUMNS = [
  "name_ar",
  "name_en",
  "description_ar",
  "description_en",
  "district_ar",
  "district_en",
  "address_ar",
  "address_en",
  "phone",
  "whatsapp",
  "audience",
  "slot_step_minutes",
  "min_notice_minutes",
  "horizon_days",
  "hold_minutes",
  "cancellation_window_hours",
  "payment_mode",
  "deposit_percent",
] as const;

export interface Closure {
  id: string;
  starts_at: Date;
  ends_at: Date;
  reason_ar: string;
  reason_en: string;
}

export interface BreakRow {
  id: string;
  weekday: number | null;
  start_minute: number;
  end_minute: number;
  label_ar: string;
  label_en: string;
}

export interface SalonSettings extends SettingsInput {
  hours: WeeklyInterval[];
  closures: Closure[];
  breaks: BreakRow[];
}

async function readSettings(db: Queryable, salonId: string, lock = false): Promise<SettingsInput> {
  const [row] = await db.query<SettingsInput>(
    `SELECT ${SETTINGS_COLUMNS.join(", ")} FROM salons WHERE id = $1 ${lock ? "FOR UPDATE" : ""}`,
    [salonId],
  );
  if (!row) throw new NotFoundError();
  return row;
}

async function readHours(db: Queryable, salonId: string): Promise<WeeklyInterval[]> {
  return await db.query<WeeklyInterval>(
    `SELECT weekday, start_minute AS "startMinute", end_minute AS "endMinute" FROM salon_hours
     WHERE salon_id = $1 ORDER BY weekday, start_minute`,
    [salonId],
  );
}

/** The settings page: settings, weekly hours, closures not over yet, breaks. */
export async function getSalonSettings(
  db: Queryable,
  actor: DashboardActor,
  salonId: string,
): Promise<SalonSettings> {
  await authorizeSalon(db, actor.user, salonId, "manager");
  return {
    ...await readSettings(db, salonId),
    hours: await readHours(db, salonId),
    closures: await db.query<Closure>(
      `SELECT id, starts_at, ends_at, reason_ar, reason_en FROM salon_closures
       WHERE salon_id = $1 AND ends_at > $2 ORDER BY starts_at`,
      [salonId, actor.now],
    ),
    breaks: await db.query<BreakRow>(
      `SELECT id, weekday, start_minute, end_minute, label_ar, label_en FROM salon_breaks
       WHERE salon_id = $1 ORDER BY weekday NULLS FIRST, start_minute`,
      [salonId],
    ),
  };
}

/**
 * Changes the salon's names, address, contact numbers and booking rules. New rules apply to new
 * bookings; each booking keeps the cancellation window and payment terms it was made with.
 */
export function updateSalonSettings(
  db: Db,
  actor: DashboardActor,
  salonId: string,
  input: SettingsInput,
): Promise<SettingsInput> {
  if (
    input.audience !== undefined &&
    (input.audience.length === 0 || input.audience.some((a) => !AUDIENCES.includes(a)))
  ) {
    throw new ValidationError({ audience: ["dash.error.audience"] });
  }
  if (input.payment_mode === "deposit" && input.deposit_percent < 1) {
    throw new ValidationError({ deposit_percent: ["dash.error.depositPercent"] });
  }
  return asManager(db, actor, salonId, (tx) =>
    updateAudited(tx, actor.now, {
      table: "salons",
      columns: SETTINGS_COLUMNS,
      id: salonId,
      input,
      read: (lock) => readSettings(tx, salonId, lock),
      action: "salon.update",
      entity: "salon",
    }));
}

/** Replaces the salon's weekly opening hours (a day without intervals is closed). */
export function setSalonHours(
  db: Db,
  actor: DashboardActor,
  salonId: string,
  hours: WeeklyInterval[],
): Promise<WeeklyInterval[]> {
  validateWeek(hours);
  return asManager(db, actor, salonId, async (tx) => {
    await tx.query("SELECT id FROM salons WHERE id = $1 FOR UPDATE", [salonId]);
    const before = await readHours(tx, salonId);
    await tx.query("DELETE FROM salon_hours WHERE salon_id = $1", [salonId]);
    for (const h of hours) {
      await tx.query(
        "INSERT INTO salon_hours (salon_id, weekday, start_minute, end_minute) VALUES ($1, $2, $3, $4)",
        [salonId, h.weekday, h.startMinute, h.endMinute],
      );
    }
    const after = await readHours(tx, salonId);
    return {
      result: after,
      audit: sameJson(before, after)
        ? null
        : { action: "salon.hours", entity: "salon", entityId: salonId, before, after },
    };
  });
}

/** Closes the whole salon for a while (Eid, renovation), with the reason customers see. */
export function addClosure(
  db: Db,
  actor: DashboardActor,
  salonId: string,
  input: { startsAt: Date; endsAt: Date; reason_ar: string; reason_en: string },
): Promise<Closure> {
  checkPeriod(input);
  return asManager(db, actor, salonId, async (tx) => {
    const [row] = await tx.query<Closure>(
      `INSERT INTO salon_closures (salon_id, starts_at, ends_at, reason_ar, reason_en)
       VALUES ($1, $2, $3, $4, $5) RETURNING id, starts_at, ends_at, reason_ar, reason_en`,
      [salonId, input.startsAt, input.endsAt, input.reason_ar.trim(), input.reason_en.trim()],
    );
    return {
      result: row,
      audit: {
        action: "closure.create",
        entity: "closure",
        entityId: row.id,
        before: null,
        after: row,
      },
    };
  });
}

/** Removes one of the salon's closures (404 for another salon's). */
export function removeClosure(
  db: Db,
  actor: DashboardActor,
  salonId: string,
  closureId: string,
): Promise<void> {
  if (!isUuid(closureId)) throw new NotFoundError();
  return asManager(db, actor, salonId, async (tx) => {
    const [row] = await tx.query<Closure>(
      `DELETE FROM salon_closures WHERE id = $1 AND salon_id = $2
       RETURNING id, starts_at, ends_at, reason_ar, reason_en`,
      [closureId, salonId],
    );
    if (!row) throw new NotFoundError();
    return {
      result: undefined,
      audit: {
        action: "closure.delete",
        entity: "closure",
        entityId: row.id,
        before: row,
        after: null,
      },
    };
  });
}

/** Adds a salon-wide break in local time (every day, or one weekday). */
export function addBreak(
  db: Db,
  actor: DashboardActor,
  salonId: string,
  input: Omit<BreakRow, "id">,
): Promise<BreakRow> {
  if (!(input.start_minute < input.end_minute)) {
    throw new ValidationError({ end: ["dash.error.endBeforeStart"] });
  }
  return asManager(db, actor, salonId, async (tx) => {
    const [row] = await tx.query<BreakRow>(
      `INSERT INTO salon_breaks (salon_id, weekday, start_minute, end_minute, label_ar, label_en)
       VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING id, weekday, start_minute, end_minute, label_ar, label_en`,
      [
        salonId,
        input.weekday,
        input.start_minute,
        input.end_minute,
        input.label_ar.trim(),
        input.label_en.trim(),
      ],
    );
    return {
      result: row,
      audit: {
        action: "break.create",
        entity: "break",
        entityId: row.id,
        before: null,
        after: row,
      },
    };
  });
}

/** Removes one of the salon's breaks (404 for another salon's). */
export function removeBreak(
  db: Db,
  actor: DashboardActor,
  salonId: string,
  breakId: string,
): Promise<void> {
  if (!isUuid(breakId)) throw new NotFoundError();
  return asManager(db, actor, salonId, async (tx) => {
    const [row] = await tx.query<BreakRow>(
      `DELETE FROM salon_breaks WHERE id = $1 AND salon_id = $2
       RETURNING id, weekday, start_minute, end_minute, label_ar, label_en`,
      [breakId, salonId],
    );
    if (!row) throw new NotFoundError();
    return {
      result: undefined,
      audit: {
        action: "break.delete",
        entity: "break",
        entityId: row.id,
        before: row,
        after: null,
      },
    };
  });
}
