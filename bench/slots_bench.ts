/**
 * Slot listing at scale: 30 days of one service with "anyone" in a salon with 10 staff and 2,000
 * active bookings in those days, through the real loader (one SQL query) and the engine, on a
 * fresh embedded database (or TEST_DATABASE_URL's server). Past bookings stay `confirmed`, so each
 * salon also carries history at the same density: 30 days in one, a year in the other. The two
 * rows should match: the loader reads only the bookings around the requested dates.
 */
import { setLogLevel } from "@/log.ts";
import type { Db } from "@/db/types.ts";
import { findSlots } from "@/services/slots/engine.ts";
import { loadSlotQuery, type SlotRequest } from "@/services/slots/load.ts";
import { createTestDb, testBackend } from "../tests/helpers/db.ts";
import { everyDay, hm, makeSalon, makeService, makeStaff } from "../tests/helpers/factories.ts";

setLogLevel("error");
const backend = testBackend();
const { db } = await createTestDb();

const STAFF = 10;
const BOOKINGS = 2_000;
const DAYS = 30;
const NOW = new Date("2026-11-21T09:00:00Z");
const FROM = "2026-11-22";
const DAY_MS = 86_400_000;

/**
 * A salon with 10 staff and 2,000 non-overlapping 30-minute bookings (5-minute buffers) over the
 * 30 requested days, 100 minutes apart from 09:00 (staggered by staff member), so free time
 * remains between them; and the same pattern repeated over `historyDays` before them.
 */
async function seedSalon(db: Db, historyDays: number): Promise<SlotRequest> {
  const salon = await makeSalon(db, { hours: everyDay(hm(9), hm(21)), slot_step_minutes: 15 });
  const service = await makeService(db, salon, {
    duration_minutes: 45,
    buffer_after_minutes: 10,
    price_halalas: 12000,
  });
  const staff = [];
  for (let i = 0; i < STAFF; i++) {
    staff.push(
      await makeStaff(db, salon, {
        services: [service.id],
        sort_order: i,
        // Half work the salon's hours, half their own (a different day off each).
        ...(i % 2 ? {} : {
          hours: [1, 2, 3, 4, 5, 6, 7].filter((d) => d !== (i % 7) + 1).map((weekday) => ({
            weekday,
            startMinute: hm(10),
            endMinute: hm(20),
          })),
        }),
      }),
    );
  }
  const rows: Record<string, unknown>[] = [];
  const firstDay = Date.parse(`${FROM}T06:00:00Z`);
  for (let offset = -historyDays; offset < DAYS; offset += DAYS) {
    for (let n = 0; n < BOOKINGS; n++) {
      const day = offset + Math.floor(n / STAFF) % DAYS;
      if (day >= DAYS) continue;
      const slot = Math.floor(n / (STAFF * DAYS)); // 0..6 per staff-day
      const start = firstDay + day * DAY_MS + slot * 100 * 60_000 + (n % STAFF) * 10 * 60_000;
      rows.push({
        salon_id: salon.id,
        service_id: service.id,
        staff_id: staff[n % STAFF].id,
        starts_at: new Date(start).toISOString(),
        ends_at: new Date(start + 30 * 60_000).toISOString(),
        block_start: new Date(start - 5 * 60_000).toISOString(),
        block_end: new Date(start + 35 * 60_000).toISOString(),
        duration_minutes: 30,
        buffer_before_minutes: 5,
        buffer_after_minutes: 5,
        status: "confirmed",
        price_halalas: 12000,
      });
    }
  }
  const names = Object.keys(rows[0]);
  await db.query(
    `INSERT INTO bookings (${names.join(", ")})
     SELECT ${names.join(", ")} FROM json_populate_recordset(NULL::bookings, $1::json)`,
    [rows],
  );
  return {
    salonId: salon.id,
    serviceId: service.id,
    staff: "any",
    fromDate: FROM,
    days: DAYS,
    now: NOW,
  };
}

const month = await seedSalon(db, 30);
const year = await seedSalon(db, 365);
await db.exec("ANALYZE bookings");

const loaded = await loadSlotQuery(db, year);
const loadedBookings = loaded.staff.reduce((sum, s) => sum + s.bookings.length, 0);
const slotCount = findSlots(loaded).reduce((sum, d) => sum + d.slots.length, 0);
// The window's 2,000 plus the few past ones inside the loader's margin of days around it.
if (loadedBookings < BOOKINGS || loadedBookings > BOOKINGS * 1.2 || slotCount === 0) {
  throw new Error(`bench setup is wrong: ${loadedBookings} bookings loaded, ${slotCount} slots`);
}
console.log(`slots bench (${backend}): ${slotCount} slots over ${DAYS} days`);

Deno.bench({
  name: `slots (${backend}): 30 days, anyone, 10 staff, 2,000 bookings, 30 days of history`,
  group: "slots",
  baseline: true,
  async fn() {
    findSlots(await loadSlotQuery(db, month));
  },
});

Deno.bench({
  name: `slots (${backend}): the same with one year of history`,
  group: "slots",
  async fn() {
    findSlots(await loadSlotQuery(db, year));
  },
});

Deno.bench({
  name: `slots (${backend}): the loader's one query alone (one year of history)`,
  group: "slots",
  async fn() {
    await loadSlotQuery(db, year);
  },
});

Deno.bench({
  name: "slots: the engine alone (same loaded query)",
  group: "slots",
  fn() {
    findSlots(loaded);
  },
});
