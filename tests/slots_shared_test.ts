/**
 * The slots API answer is shared between visitors for the minute until the salon's schedule
 * changes (announced by the database, as for public pages), never lists a time whose notice runs
 * out within the minute, and has a compact form for 14 days of "anyone".
 */
import assert from "node:assert/strict";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { postJson } from "./helpers/auth.ts";
import { makeCustomers } from "./helpers/customers.ts";
import { testBackend } from "./helpers/db.ts";
import { makeBooking, makeSalon, makeService, makeStaff } from "./helpers/factories.ts";

const B = testBackend();

async function eventually(check: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`not within 5 s: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function starts(t: TestApp, path: string): Promise<string[]> {
  const res = await t.app.request(path);
  assert.equal(res.status, 200);
  return (await res.json()).days.flatMap((d: { slots: { start: string }[] }) =>
    d.slots.map((s) => s.start)
  );
}

Deno.test(`slots shared (${B}) - one answer per minute until the schedule changes`, async () => {
  const t = await makeTestApp();
  try {
    const salon = await makeSalon(t.db, { slot_step_minutes: 60 });
    const service = await makeService(t.db, salon);
    const noura = await makeStaff(t.db, salon, { services: [service.id] });
    const path = `/api/salons/${salon.slug}/slots/?service=${service.id}&date=2026-11-22`;
    const first = await starts(t, path);
    assert.ok(first.includes("2026-11-22T07:00:00.000Z"));
    // A change nobody announces (triggers off) leaves the shared answer as it was: it is shared.
    await t.db.transaction(async (tx) => {
      await tx.query("SET LOCAL session_replication_role = replica");
      await tx.query("UPDATE staff SET active = false WHERE id = $1", [noura.id]);
    });
    assert.deepEqual(await starts(t, path), first);
    await t.db.query("UPDATE staff SET active = true WHERE id = $1", [noura.id]);
    // A booking (announced) ends it at once.
    await makeBooking(t.db, { service, staff: noura, starts_at: new Date("2026-11-22T07:00:00Z") });
    await eventually(
      async () => !(await starts(t, path)).includes("2026-11-22T07:00:00.000Z"),
      "the booked time leaves the shared list",
    );
    // The next minute asks again.
    t.clock.advance(60_000);
    assert.ok((await starts(t, path)).length > 0);
  } finally {
    await t.close();
  }
});

Deno.test(`slots shared (${B}) - an answer shared within a minute lists only times the server accepts at its end`, async () => {
  const t = await makeTestApp();
  try {
    // Notice 60 minutes, a one-hour grid. The first visitor asks at 08:59:01Z, the second at
    // 09:00:00Z (the same minute's answer): its first time must still be bookable then.
    const salon = await makeSalon(t.db, { slot_step_minutes: 60, min_notice_minutes: 60 });
    const service = await makeService(t.db, salon);
    await makeStaff(t.db, salon, { services: [service.id] });
    const path = `/api/salons/${salon.slug}/slots/?service=${service.id}`;
    t.clock.set("2026-11-21T08:59:01Z");
    const early = await starts(t, path);
    t.clock.set("2026-11-21T09:00:00Z");
    const late = await starts(t, path);
    assert.deepEqual(late, early, "one answer for the minute");
    assert.equal(late[0], "2026-11-21T10:00:00.000Z");
    const [customer] = await makeCustomers(t, 1);
    const res = await postJson(t.app, "/api/bookings/", {
      salon: salon.slug,
      service: service.id,
      staff: "any",
      start: late[0],
    }, { authorization: `Bearer ${customer.access}`, "idempotency-key": "k" });
    assert.equal(res.status, 201);
  } finally {
    await t.close();
  }
});

Deno.test(`slots shared (${B}) - the compact form: 14 days of anyone well under 41 KB, the same times`, async () => {
  const t = await makeTestApp();
  try {
    const salon = await makeSalon(t.db, { slot_step_minutes: 15 });
    const service = await makeService(t.db, salon, { duration_minutes: 45 });
    for (let i = 0; i < 6; i++) await makeStaff(t.db, salon, { services: [service.id] });
    const base = `/api/salons/${salon.slug}/slots/?service=${service.id}&date=2026-11-22&days=14`;
    const full = await (await t.app.request(base)).text();
    const compactRes = await t.app.request(`${base}&format=compact`);
    assert.equal(compactRes.status, 200);
    const compactText = await compactRes.text();
    assert.ok(full.length > 41_000, `the full form is the large one (${full.length} bytes)`);
    assert.ok(compactText.length < 20_000, `compact: ${compactText.length} bytes`);
    const compact = JSON.parse(compactText);
    const fromFull = JSON.parse(full).days.flatMap((
      d: { slots: { start: string; end: string; staff_id: string }[] },
    ) => d.slots.map((s) => `${s.start} ${s.end} ${s.staff_id}`));
    const fromCompact = compact.days.flatMap((d: { slots: [number, number][] }) =>
      d.slots.map(([minute, i]: [number, number]) =>
        `${new Date(minute * 60_000).toISOString()} ${
          new Date((minute + compact.duration_minutes[i]) * 60_000).toISOString()
        } ${compact.staff[i]}`
      )
    );
    assert.deepEqual(fromCompact, fromFull);
  } finally {
    await t.close();
  }
});
