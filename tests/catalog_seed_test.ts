import assert from "node:assert/strict";
import { DEMO_MANAGER_PHONE, isEmpty, nextEid, parseWeek, seedDemoData } from "@/db/seed.ts";
import { listSlots, localDateOf } from "@/services/slots/load.ts";
import { createTestDb, testBackend } from "./helpers/db.ts";

const NOW = new Date("2026-11-21T09:00:00Z");

Deno.test("seed - week specs expand to ISO weekdays, wrapping through the week and past midnight", () => {
  assert.deepEqual(parseWeek("fri-sun 10:00-12:00"), [
    { weekday: 5, start: 600, end: 720 },
    { weekday: 6, start: 600, end: 720 },
    { weekday: 7, start: 600, end: 720 },
  ]);
  assert.deepEqual(parseWeek("sun 22:00-01:00"), [
    { weekday: 7, start: 1320, end: 1440 },
    { weekday: 1, start: 0, end: 60 },
  ]);
});

Deno.test("seed - the next Eid is found from the Umm al-Qura calendar", () => {
  // 1 Shawwal 1448 AH is 2027-03-09 (Umm al-Qura).
  const eid = nextEid(Temporal.PlainDate.from("2026-11-21"));
  assert.equal(eid.date.toString(), "2027-03-09");
  assert.equal(eid.fitr, true);
});

Deno.test(`seed (${testBackend()}) - demo salons in three cities, each bookable, with a manager; a second run adds nothing`, async (t) => {
  const { db, close } = await createTestDb();
  try {
    assert.equal(await isEmpty(db), true);
    const first = await seedDemoData(db, NOW);
    assert.ok(first.salons >= 3);
    assert.equal(await isEmpty(db), false);

    await t.step("Riyadh, Jeddah and Dammam are all there", async () => {
      const cities = await db.query<{ city: string }>("SELECT DISTINCT city FROM salons");
      assert.deepEqual(cities.map((c) => c.city).sort(), ["dammam", "jeddah", "riyadh"]);
    });

    await t.step("every salon has 8+ services in 2+ categories and 4+ staff", async () => {
      const rows = await db.query<
        { slug: string; services: number; categories: number; staff: number }
      >(
        `SELECT s.slug,
           (SELECT count(*) FROM services v WHERE v.salon_id = s.id) AS services,
           (SELECT count(DISTINCT category) FROM services v WHERE v.salon_id = s.id) AS categories,
           (SELECT count(*) FROM staff st WHERE st.salon_id = s.id) AS staff
         FROM salons s`,
      );
      for (const r of rows) {
        assert.ok(r.services >= 8, `${r.slug} services`);
        assert.ok(r.categories >= 2, `${r.slug} categories`);
        assert.ok(r.staff >= 4, `${r.slug} staff`);
      }
    });

    await t.step("every staff member has a weekday off, and their hours differ", async () => {
      const rows = await db.query<{ salon: string; hours: string; off_days: number }>(
        `SELECT s.slug AS salon,
           coalesce(string_agg(h.weekday || ':' || h.start_minute || '-' || h.end_minute, ','
             ORDER BY h.weekday, h.start_minute), 'salon') AS hours,
           7 - (SELECT count(DISTINCT weekday) FROM (
                  SELECT weekday FROM staff_hours WHERE staff_id = st.id AND st.custom_hours
                  UNION ALL
                  SELECT weekday FROM salon_hours WHERE salon_id = s.id AND NOT st.custom_hours
                ) d) AS off_days
         FROM staff st JOIN salons s ON s.id = st.salon_id
         LEFT JOIN staff_hours h ON h.staff_id = st.id
         GROUP BY s.id, s.slug, st.id`,
      );
      for (const r of rows) assert.ok(r.off_days >= 1, `${r.salon}: a staff member works 7 days`);
      const bySalon = Map.groupBy(rows, (r) => r.salon);
      for (const [salon, staff] of bySalon) {
        assert.equal(new Set(staff.map((s) => s.hours)).size, staff.length, `${salon}: same hours`);
      }
    });

    await t.step("there is a closure with a reason in both languages", async () => {
      const rows = await db.query<{ reason_ar: string; reason_en: string }>(
        "SELECT reason_ar, reason_en FROM salon_closures",
      );
      assert.ok(rows.length >= 1);
      assert.ok(rows.every((r) => r.reason_ar && r.reason_en));
    });

    await t.step(
      "every active service of every salon has free times in the next week",
      async () => {
        const services = await db.query<
          { salon_id: string; timezone: string; id: string; name_en: string }
        >(
          `SELECT s.id AS salon_id, s.timezone, v.id, v.name_en
         FROM services v JOIN salons s ON s.id = v.salon_id WHERE v.active`,
        );
        for (const svc of services) {
          const { days } = await listSlots(db, {
            salonId: svc.salon_id,
            serviceId: svc.id,
            staff: "any",
            fromDate: localDateOf(NOW, svc.timezone),
            days: 7,
            now: NOW,
          });
          assert.ok(days.some((d) => d.slots.length > 0), `${svc.name_en} has no free time`);
        }
      },
    );

    await t.step("the demo manager manages the Riyadh salon", async () => {
      const rows = await db.query<{ slug: string; role: string }>(
        `SELECT s.slug, m.role FROM salon_memberships m
         JOIN users u ON u.id = m.user_id JOIN salons s ON s.id = m.salon_id
         WHERE u.phone_number = $1`,
        [DEMO_MANAGER_PHONE],
      );
      assert.deepEqual(rows.map((r) => ({ ...r })), [{ slug: "lamsa-riyadh", role: "manager" }]);
    });

    await t.step("seeding again changes nothing", async () => {
      const count = async () =>
        (await db.query<{ n: number }>(
          `SELECT (SELECT count(*) FROM salons) + (SELECT count(*) FROM services)
             + (SELECT count(*) FROM staff) + (SELECT count(*) FROM users) AS n`,
        ))[0].n;
      const before = await count();
      assert.deepEqual(await seedDemoData(db, NOW), { salons: 0, photos: 0 });
      assert.equal(await count(), before);
    });
  } finally {
    await close();
  }
});
