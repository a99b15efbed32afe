import type { Tx } from "@/db/types.ts";
import { ValidationError } from "@/services/errors.ts";
import type { StaffChoice } from "@/services/slots/load.ts";
import { expireHold } from "./expire.ts";
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

/**
 * Expires these staff members' lapsed holds (see `expireHold`: history, reminders, the customer
 * told). Call with their rows locked.
 */
export async function expireStaleHolds(tx: Tx, staffIds: string[], now: Date): Promise<number> {
  const lapsed = await tx.query<Pick<BookingRow, "id">>(
    `SELECT b.id FROM bookings b
     WHERE b.status = 'pending' AND b.hold_expires_at <= $2
       AND EXISTS (SELECT 1 FROM booking_items i
                   WHERE i.booking_id = b.id AND i.staff_id = ANY($1::uuid[]) AND i.blocking)
     ORDER BY b.id FOR UPDATE OF b`,
    [staffIds, now],
  );
  let expired = 0;
  for (const { id } of lapsed) if (await expireHold(tx, id, now)) expired++;
  return expired;
}
