import type { Db } from "@/db/types.ts";
import { NotFoundError, ValidationError } from "@/services/errors.ts";
import { isUuid } from "@/services/ids.ts";
import { addDays, isIsoDate, localDateOf } from "@/services/slots/load.ts";
import { entryColumns, type EntryRow, MAX_WISH_SERVICES } from "./model.ts";

export interface JoinWaitlistInput {
  customerId: string;
  /** Salon by slug. */
  salon: string;
  serviceIds: string[];
  /** A staff id, or "any". */
  staff: string;
  day: string;
  fromMinute: number;
  toMinute: number;
  now: Date;
}

/**
 * Puts a signed-in customer on a salon's waitlist for a day (or updates their waiting wish for that
 * day: one per customer, salon and day). Checks that the services are the salon's and bookable, that
 * the staff member performs all of them, and that the day is today or later within the salon's
 * booking horizon. The salon is marked for the offer job in the same transaction.
 *
 * @throws ValidationError (400) for bad services, staff, day or range; NotFoundError for a salon.
 */
export async function joinWaitlist(db: Db, input: JoinWaitlistInput): Promise<EntryRow> {
  const fields: Record<
    string,
    (
      | "waitlist.error.service"
      | "waitlist.error.staff"
      | "waitlist.error.day"
      | "waitlist.error.range"
    )[]
  > = {};
  const serviceIds = [...new Set(input.serviceIds)];
  if (
    serviceIds.length < 1 || serviceIds.length > MAX_WISH_SERVICES || !serviceIds.every(isUuid)
  ) fields.service = ["waitlist.error.service"];
  if (input.staff !== "any" && !isUuid(input.staff)) fields.staff = ["waitlist.error.staff"];
  if (!isIsoDate(input.day)) fields.day = ["waitlist.error.day"];
  if (
    !Number.isInteger(input.fromMinute) || !Number.isInteger(input.toMinute) ||
    input.fromMinute < 0 || input.toMinute > 1440 || input.fromMinute >= input.toMinute
  ) fields.range = ["waitlist.error.range"];
  if (Object.keys(fields).length) throw new ValidationError(fields);

  return await db.transaction(async (tx) => {
    const [salon] = await tx.query<{ id: string; timezone: string; horizon_days: number }>(
      "SELECT id, timezone, horizon_days FROM salons WHERE active AND slug = $1",
      [input.salon],
    );
    if (!salon) throw new NotFoundError();
    const today = localDateOf(input.now, salon.timezone);
    if (input.day < today || input.day > addDays(today, salon.horizon_days)) {
      throw new ValidationError({ day: ["waitlist.error.day"] });
    }
    const services = await tx.query<{ id: string }>(
      "SELECT id FROM services WHERE salon_id = $1 AND id = ANY($2::uuid[]) AND active",
      [salon.id, serviceIds],
    );
    if (services.length !== serviceIds.length) {
      throw new ValidationError({ service: ["waitlist.error.service"] });
    }
    const staffId = input.staff === "any" ? null : input.staff;
    const [performers] = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM staff st WHERE st.salon_id = $1 AND st.active
         AND ($2::uuid IS NULL OR st.id = $2)
         AND (SELECT count(*) FROM staff_services ss
              WHERE ss.staff_id = st.id AND ss.service_id = ANY($3::uuid[])) = $4`,
      [salon.id, staffId, serviceIds, serviceIds.length],
    );
    if (performers.n === 0) throw new ValidationError({ staff: ["waitlist.error.staff"] });

    const [entry] = await tx.query<EntryRow>(
      `INSERT INTO waitlist_entries (salon_id, customer_id, service_ids, staff_id, day, from_minute,
         to_minute, created_at, updated_at)
       VALUES ($1, $2, $3::uuid[], $4, $5::date, $6, $7, $8, $8)
       ON CONFLICT (salon_id, customer_id, day) WHERE status = 'waiting' DO UPDATE SET
         service_ids = EXCLUDED.service_ids, staff_id = EXCLUDED.staff_id,
         from_minute = EXCLUDED.from_minute, to_minute = EXCLUDED.to_minute,
         updated_at = EXCLUDED.updated_at
       RETURNING ${entryColumns()}`,
      [
        salon.id,
        input.customerId,
        serviceIds,
        staffId,
        input.day,
        input.fromMinute,
        input.toMinute,
        input.now,
      ],
    );
    // The next round of the offer job looks at this salon at once.
    await tx.query(
      `INSERT INTO waitlist_scans (salon_id) VALUES ($1)
       ON CONFLICT (salon_id) DO UPDATE SET scanned_at = '-infinity'`,
      [salon.id],
    );
    return entry;
  });
}

/** Takes the customer's waiting wish off the list (their open offers lapse with it). */
export async function leaveWaitlist(
  db: Db,
  input: { customerId: string; entryId: string; now: Date },
): Promise<void> {
  if (!isUuid(input.entryId)) throw new NotFoundError();
  await db.transaction(async (tx) => {
    const [entry] = await tx.query<{ id: string }>(
      `UPDATE waitlist_entries SET status = 'left', updated_at = $3
       WHERE id = $1 AND customer_id = $2 AND status = 'waiting' RETURNING id`,
      [input.entryId, input.customerId, input.now],
    );
    if (!entry) throw new NotFoundError();
    await tx.query(
      `UPDATE waitlist_offers SET status = 'expired', updated_at = $2
       WHERE entry_id = $1 AND status = 'open'`,
      [entry.id, input.now],
    );
  });
}
