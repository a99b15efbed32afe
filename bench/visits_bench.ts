/**
 * Visit slots at scale (issue #17's targets): 30 days in a salon with 10 staff and 2,000 existing
 * bookings, through the real loader and the visit engine. Three services for one guest with
 * "anyone" on each: ≤ 50 ms; a group of 4 guests × 2 services: ≤ 150 ms. Each row prints its
 * median over repeated runs against its target, then Deno.bench measures them again.
 */
import { setLogLevel } from "@/log.ts";
import { listVisitSlots, type VisitRequest } from "@/services/slots/load.ts";
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

const salon = await makeSalon(db, { hours: everyDay(hm(9), hm(21)), slot_step_minutes: 15 });
const services = [
  await makeService(db, salon, { duration_minutes: 45, buffer_after_minutes: 10 }),
  await makeService(db, salon, { duration_minutes: 90, buffer_after_minutes: 15 }),
  await makeService(db, salon, { duration_minutes: 30 }),
];
const staff = [];
for (let i = 0; i < STAFF; i++) {
  staff.push(
    await makeStaff(db, salon, { services: services.map((s) => s.id), sort_order: i }),
  );
}
const rows: Record<string, unknown>[] = [];
const firstDay = Date.parse(`${FROM}T06:00:00Z`);
for (let n = 0; n < BOOKINGS; n++) {
  const day = Math.floor(n / STAFF) % DAYS;
  const slot = Math.floor(n / (STAFF * DAYS));
  const start = firstDay + day * DAY_MS + slot * 100 * 60_000 + (n % STAFF) * 10 * 60_000;
  rows.push({
    salon_id: salon.id,
    service_id: services[2].id,
    staff_id: staff[n % STAFF].id,
    starts_at: new Date(start).toISOString(),
    ends_at: new Date(start + 30 * 60_000).toISOString(),
    block_start: new Date(start).toISOString(),
    block_end: new Date(start + 30 * 60_000).toISOString(),
    duration_minutes: 30,
    status: "confirmed",
    price_halalas: 12000,
  });
}
const names = Object.keys(rows[0]);
await db.query(
  `INSERT INTO bookings (${names.join(", ")})
   SELECT ${names.join(", ")} FROM json_populate_recordset(NULL::bookings, $1::json)`,
  [rows],
);
await db.exec("ANALYZE booking_items");

const base = { salonId: salon.id, fromDate: FROM, days: DAYS, now: NOW };
const threeServices: VisitRequest = {
  ...base,
  items: services.map((s) => ({ serviceId: s.id, staff: "any", guest: 0 })),
};
const group: VisitRequest = {
  ...base,
  items: [0, 1, 2, 3].flatMap((guest) =>
    [services[0], services[2]].map((s) => ({ serviceId: s.id, staff: "any", guest }))
  ),
};

/** The median of `runs` timings of `fn`, in milliseconds. */
async function median(fn: () => Promise<unknown>, runs = 15): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

for (
  const [label, req, target] of [
    ["3 services, one guest, anyone on each", threeServices, 50],
    ["4 guests × 2 services, anyone", group, 150],
  ] as const
) {
  const { days } = await listVisitSlots(db, req);
  const count = days.reduce((n, d) => n + d.slots.length, 0);
  if (count === 0) throw new Error(`bench setup is wrong: no visit fits (${label})`);
  const ms = await median(() => listVisitSlots(db, req));
  console.log(
    `visits bench (${backend}): ${label}, 10 staff, 2,000 bookings, 30 days: ` +
      `${ms.toFixed(1)} ms (target ≤ ${target} ms: ${ms <= target ? "pass" : "FAIL"}), ` +
      `${count} starts`,
  );
}

Deno.bench({
  name: `visits (${backend}): 3 services, anyone, 10 staff, 2,000 bookings, 30 days`,
  group: "visits",
  baseline: true,
  async fn() {
    await listVisitSlots(db, threeServices);
  },
});

Deno.bench({
  name: `visits (${backend}): 4 guests × 2 services, anyone`,
  group: "visits",
  async fn() {
    await listVisitSlots(db, group);
  },
});
