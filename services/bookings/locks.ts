import type { Tx } from "@/db/types.ts";
import { ValidationError } from "@/services/errors.ts";
import type { StaffChoice } from "@/services/slots/load.ts";
import { recordEvent } from "./events.ts";
import type { BookingRow } from "./model.ts";

/**
 * Locks the staff rows a booking could go to (one, or every active performer of the service for
 * "anyone"), always in id order so two transactions never wait on each other in a cycle.
 */
export async function lockStaff(
  tx: Tx,
  salonId: string,
  serviceId: string,
  staff: StaffChoice | string[],
): Promise<string[]> {
  const ids = Array.isArray(staff) ? staff : staff === "any" ? null : [staff];
  const rows = await tx.query<{ id: string }>(
    `SELECT st.id FROM staff st
     JOIN staff_services ss ON ss.staff_id = st.id AND ss.service_id = $2::uuid
     WHERE st.salon_id = $1 AND st.active AND ($3::uuid[] IS NULL OR st.id = ANY($3::uuid[]))
     ORDER BY st.id
     FOR UPDATE OF st`,
    [salonId, serviceId, ids],
  );
  if (rows.length === 0) {
    throw new ValidationError({
      [ids ? "staff" : "service"]: [ids ? "slots.error.staff" : "slots.error.service"],
    });
  }
  return rows.map((r) => r.id);
}

/** Moves these staff members' lapsed holds to `expired` (with a history row each). Call with their rows locked. */
export async function expireStaleHolds(tx: Tx, staffIds: string[], now: Date): Promise<number> {
  const expired = await tx.query<Pick<BookingRow, "id">>(
    `UPDATE bookings SET status = 'expired', updated_at = $2
     WHERE staff_id = ANY($1::uuid[]) AND status = 'pending' AND hold_expires_at <= $2
     RETURNING id`,
    [staffIds, now],
  );
  for (const { id } of expired) {
    await recordEvent(tx, id, { userId: null, role: "system" }, now, {
      kind: "status",
      from: "pending",
      to: "expired",
      reason: "hold_expired",
    });
  }
  return expired.length;
}
