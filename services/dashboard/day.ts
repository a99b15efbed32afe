import type { Queryable } from "@/db/types.ts";
import { itemJson, itemsOfBookings } from "@/services/bookings/items.ts";
import { bookingJson, type BookingRow } from "@/services/bookings/model.ts";
import { addDays } from "@/services/slots/load.ts";
import { customerColumnsSql } from "@/services/people.ts";
import { authorizeSalon, type DashboardActor } from "./access.ts";
import { startOfLocalDay } from "./audit.ts";

/**
 * One local day's visits of a salon for its team (`GET /api/salons/{slug}/bookings/?date=`): every
 * booking with an item that day, each with its customer and items, earliest first. Staff who are
 * not managers see the visits in which they do an item.
 */
export async function dayBookingsJson(
  db: Queryable,
  actor: DashboardActor,
  salon: { id: string; timezone: string },
  date: string,
) {
  const access = await authorizeSalon(db, actor.user, salon.id, "staff");
  const from = startOfLocalDay(date, salon.timezone);
  const to = startOfLocalDay(addDays(date, 1), salon.timezone);
  const rows = await db.query<
    BookingRow & { customer_name: string; customer_phone: string | null }
  >(
    `SELECT b.*, ${customerColumnsSql("u")}
     FROM bookings b LEFT JOIN users u ON u.id = b.customer_id
     WHERE b.salon_id = $1 AND b.id IN (
       SELECT booking_id FROM booking_items
       WHERE salon_id = $1 AND starts_at >= $2 AND starts_at < $3
         AND ($4::uuid IS NULL OR staff_id = $4))
     ORDER BY b.starts_at, b.id`,
    [salon.id, from, to, access.role === "manager" || access.viaAdmin ? null : access.staffId],
  );
  const items = await itemsOfBookings(db, rows.map((r) => r.id));
  return rows.map((b) => ({
    ...bookingJson(b),
    customer: { name: b.customer_name, phone: b.customer_phone },
    items: (items.get(b.id) ?? []).map((it) => ({
      ...itemJson(it),
      service_name: { ar: it.service_name_ar, en: it.service_name_en },
      staff_name: { ar: it.staff_name_ar, en: it.staff_name_en },
    })),
  }));
}
