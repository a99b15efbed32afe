import assert from "node:assert/strict";
import { listSlots } from "@/services/slots/load.ts";
import { makeTestApp } from "./helpers/app.ts";
import { testBackend } from "./helpers/db.ts";
import {
  everyDay,
  hm,
  makeBooking,
  makeSalon,
  makeService,
  makeStaff,
} from "./helpers/factories.ts";

const B = testBackend();

// The test clock says 2026-11-21T09:00Z: Saturday 12:00 in Riyadh.
async function setup() {
  const t = await makeTestApp();
  const salon = await makeSalon(t.db, { hours: everyDay(hm(9), hm(13)), slot_step_minutes: 60 });
  const service = await makeService(t.db, salon, { duration_minutes: 60 });
  const noura = await makeStaff(t.db, salon, { services: [service.id], sort_order: 1 });
  const reem = await makeStaff(t.db, salon, { services: [service.id], sort_order: 2 });
  const url = (query: string) => `/api/salons/${salon.slug}/slots/?${query}`;
  return { t, salon, service, noura, reem, url };
}

Deno.test(`GET /api/salons/{slug}/slots/ (${B}) - days of ISO instants in the salon's zone, each with the staff member who gets it`, async () => {
  const { t, salon, service, noura, reem, url } = await setup();
  try {
    await makeBooking(t.db, { service, staff: noura, starts_at: new Date("2026-11-22T06:00:00Z") });
    const res = await t.app.request(url(`service=${service.id}&staff=any&date=2026-11-22&days=2`));
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
    const body = await res.json();
    assert.equal(body.timezone, "Asia/Riyadh");
    assert.deepEqual(body.days.map((d: { date: string }) => d.date), ["2026-11-22", "2026-11-23"]);
    assert.deepEqual(body.days[0].slots[0], {
      start: "2026-11-22T06:00:00.000Z",
      end: "2026-11-22T07:00:00.000Z",
      staff_id: reem.id,
    });
    assert.equal(body.days[0].slots.length, 4, "09:00, 10:00, 11:00, 12:00 once each");

    const direct = await listSlots(t.db, {
      salonId: salon.id,
      serviceId: service.id,
      staff: "any",
      fromDate: "2026-11-22",
      days: 2,
      now: t.clock.now(),
    });
    assert.deepEqual(
      body.days.flatMap((d: { slots: { start: string }[] }) => d.slots.map((s) => s.start)),
      direct.days.flatMap((d) => d.slots.map((s) => new Date(s.startMs).toISOString())),
      "the endpoint answers exactly what the loader and engine answer",
    );

    const own = await (await t.app.request(
      url(`service=${service.id}&staff=${noura.id}&date=2026-11-22`),
    )).json();
    assert.deepEqual(own.days[0].slots.map((s: { start: string }) => s.start), [
      "2026-11-22T07:00:00.000Z",
      "2026-11-22T08:00:00.000Z",
      "2026-11-22T09:00:00.000Z",
    ]);
  } finally {
    await t.close();
  }
});

Deno.test(`GET /api/salons/{slug}/slots/ (${B}) - staff defaults to anyone, date to today, days to 1`, async () => {
  const { t, service, url } = await setup();
  try {
    const body = await (await t.app.request(url(`service=${service.id}`))).json();
    assert.equal(body.days.length, 1);
    assert.equal(body.days[0].date, "2026-11-21");
    assert.deepEqual(body.days[0].slots.map((s: { start: string }) => s.start), [
      "2026-11-21T09:00:00.000Z",
    ], "12:00 is the only start left today; 13:00 closes");
  } finally {
    await t.close();
  }
});

Deno.test(`GET /api/salons/{slug}/slots/ (${B}) - bad ids, dates and ranges are a 400 with a localized detail`, async (t) => {
  const { t: app, service, url } = await setup();
  try {
    const other = await makeSalon(app.db);
    const foreign = await makeService(app.db, other);
    const stranger = await makeStaff(app.db, other, { services: [foreign.id] });
    const cases: [string, string, string][] = [
      ["missing service", "", "service"],
      ["malformed service", "service=abc", "service"],
      ["another salon's service", `service=${foreign.id}`, "service"],
      ["malformed staff", `service=${service.id}&staff=bob`, "staff"],
      ["another salon's staff", `service=${service.id}&staff=${stranger.id}`, "staff"],
      ["impossible date", `service=${service.id}&date=2026-02-30`, "date"],
      ["badly written date", `service=${service.id}&date=21-11-2026`, "date"],
      ["zero days", `service=${service.id}&days=0`, "days"],
      ["fifteen days", `service=${service.id}&days=15`, "days"],
      ["days not a number", `service=${service.id}&days=two`, "days"],
    ];
    for (const [name, query, field] of cases) {
      await t.step(name, async () => {
        const res = await app.app.request(url(query), { headers: { "accept-language": "en" } });
        assert.equal(res.status, 400);
        const body = await res.json();
        assert.equal(body.detail, "Some fields are not valid.");
        assert.ok(Array.isArray(body[field]), `${field} explained: ${JSON.stringify(body)}`);
      });
    }
    await t.step("the detail is in Arabic by default", async () => {
      const res = await app.app.request(url("service=abc"));
      assert.equal(res.status, 400);
      const body = await res.json();
      assert.equal(body.detail, "بعض الحقول غير صالحة.");
      assert.deepEqual(body.service, ["هذه الخدمة غير متوفرة في هذا الصالون."]);
    });
    await t.step("an unknown salon is a localized 404", async () => {
      const res = await app.app.request(
        `/api/salons/no-such-salon/slots/?service=${service.id}&lang=en`,
      );
      assert.equal(res.status, 404);
      assert.deepEqual(await res.json(), { detail: "Not found." });
    });
  } finally {
    await app.close();
  }
});
