import assert from "node:assert/strict";
import type { Db } from "@/db/types.ts";
import { NotFoundError, ValidationError } from "@/services/errors.ts";
import type { SlotDay } from "@/services/slots/engine.ts";
import { listSlots, loadSlotQuery, resolveSlot, type SlotRequest } from "@/services/slots/load.ts";
import { createTestDb, testBackend } from "./helpers/db.ts";
import {
  everyDay,
  hm,
  makeBooking,
  makeBreak,
  makeClosure,
  makeSalon,
  makeService,
  makeStaff,
  makeTimeOff,
} from "./helpers/factories.ts";

const RIYADH = "Asia/Riyadh";
// 2026-11-23 is a Monday (ISO weekday 1); "now" is the Saturday before, so nothing is in the past.
const MON = "2026-11-23";
const NOW = new Date("2026-11-21T09:00:00Z");

/** Epoch instant of a local wall-clock time in a zone. */
function at(local: string, timeZone = RIYADH): Date {
  return new Date(
    Temporal.PlainDateTime.from(local).toZonedDateTime(timeZone).epochMilliseconds,
  );
}

/** Local "HH:MM" of each slot. */
function times(day: SlotDay, timeZone = RIYADH): string[] {
  return day.slots.map((s) =>
    Temporal.Instant.fromEpochMilliseconds(s.startMs).toZonedDateTimeISO(timeZone).toPlainTime()
      .toString({ smallestUnit: "minute" })
  );
}

async function withDb(fn: (db: Db) => Promise<void>) {
  const { db, close } = await createTestDb();
  try {
    await fn(db);
  } finally {
    await close();
  }
}

/** A salon open 09:00–12:00 daily on a 60-minute grid with one 60-minute service. */
async function small(db: Db, salon: Record<string, unknown> = {}) {
  const s = await makeSalon(db, {
    hours: everyDay(hm(9), hm(12)),
    slot_step_minutes: 60,
    ...salon,
  });
  const service = await makeService(db, s, { duration_minutes: 60 });
  return { salon: s, service };
}

function request(
  salon: { id: string },
  service: { id: string },
  extra: Partial<SlotRequest> = {},
): SlotRequest {
  return {
    salonId: salon.id,
    serviceId: service.id,
    staff: "any",
    fromDate: MON,
    days: 1,
    now: NOW,
    ...extra,
  };
}

const B = testBackend();

Deno.test(`slots loader (${B}) - staff hours intersect salon hours; custom hours without a row that day mean a day off`, async () => {
  await withDb(async (db) => {
    const { salon, service } = await small(db);
    const mornings = await makeStaff(db, salon, {
      services: [service.id],
      hours: [1, 2, 3, 4, 5].map((weekday) => ({
        weekday,
        startMinute: hm(10),
        endMinute: hm(20),
      })),
    });
    const result = await listSlots(
      db,
      request(salon, service, { staff: mornings.id, days: 7, fromDate: MON }),
    );
    assert.equal(result.timeZone, RIYADH);
    assert.deepEqual(result.days.map((d) => d.date), [
      "2026-11-23",
      "2026-11-24",
      "2026-11-25",
      "2026-11-26",
      "2026-11-27",
      "2026-11-28",
      "2026-11-29",
    ]);
    assert.deepEqual(times(result.days[0]), ["10:00", "11:00"]);
    assert.deepEqual(times(result.days[5]), [], "Saturday has no staff_hours row: day off");
    assert.deepEqual(times(result.days[6]), [], "Sunday has no staff_hours row: day off");

    const salonHours = await makeStaff(db, salon, { services: [service.id] });
    const own = await listSlots(db, request(salon, service, { staff: salonHours.id }));
    assert.deepEqual(times(own.days[0]), ["09:00", "10:00", "11:00"]);
  });
});

Deno.test(`slots loader (${B}) - confirmed bookings and live holds block, widened by buffers; cancelled and expired holds do not`, async (t) => {
  await withDb(async (db) => {
    const salon = await makeSalon(db, { hours: everyDay(hm(9), hm(18)), slot_step_minutes: 30 });
    const service = await makeService(db, salon, { duration_minutes: 60 });
    const staff = await makeStaff(db, salon, { services: [service.id] });
    const slotsOf = async (svc = service) =>
      times((await listSlots(db, request(salon, svc, { staff: staff.id }))).days[0]);
    const all = await slotsOf();
    assert.equal(all[0], "09:00");
    assert.equal(all.at(-1), "17:00");

    await t.step("a confirmed booking 12:00–13:00 blocks 11:30 and 12:30 starts", async () => {
      await makeBooking(db, { service, staff, starts_at: at(`${MON}T12:00`) });
      const s = await slotsOf();
      for (const blocked of ["11:30", "12:00", "12:30"]) assert.ok(!s.includes(blocked), blocked);
      assert.ok(s.includes("11:00") && s.includes("13:00"));
    });

    await t.step("the booking's own buffers widen its block", async () => {
      await makeBooking(db, {
        service,
        staff,
        starts_at: at(`${MON}T15:00`),
        buffer_before_minutes: 30,
        buffer_after_minutes: 30,
      });
      const s = await slotsOf();
      assert.ok(!s.includes("14:00"), "14:00–15:00 touches the 14:30 buffer");
      assert.ok(s.includes("13:30"));
      assert.ok(!s.includes("16:00"), "16:00 is inside the after-buffer");
      assert.ok(s.includes("16:30"));
    });

    await t.step("this service's buffers widen it too", async () => {
      const buffered = await makeService(db, salon, {
        duration_minutes: 60,
        buffer_after_minutes: 30,
      });
      await db.query(
        "INSERT INTO staff_services (staff_id, service_id, salon_id) VALUES ($1, $2, $3)",
        [staff.id, buffered.id, salon.id],
      );
      const s = await slotsOf(buffered);
      assert.ok(!s.includes("11:00"), "11:00–12:00 + 30 min after-buffer overlaps 12:00");
      assert.ok(s.includes("10:30"));
    });

    await t.step(
      "a pending booking blocks while its hold lasts and stops when it expires",
      async () => {
        await makeBooking(db, {
          service,
          staff,
          starts_at: at(`${MON}T09:00`),
          status: "pending",
          hold_expires_at: new Date(NOW.getTime() + 10 * 60_000),
        });
        assert.ok(!(await slotsOf()).includes("09:00"));
        const later = new Date(NOW.getTime() + 11 * 60_000);
        const s = await listSlots(db, request(salon, service, { staff: staff.id, now: later }));
        assert.ok(times(s.days[0]).includes("09:00"));
      },
    );

    await t.step("a pending booking without a hold expiry blocks", async () => {
      await makeBooking(db, {
        service,
        staff,
        starts_at: at(`${MON}T10:00`),
        status: "pending",
        hold_expires_at: null,
      });
      assert.ok(!(await slotsOf()).includes("10:00"));
    });

    await t.step("cancelled and other inactive statuses never block", async () => {
      await db.query("DELETE FROM bookings");
      for (const status of ["cancelled", "expired", "completed", "no_show"]) {
        await makeBooking(db, { service, staff, starts_at: at(`${MON}T09:00`), status });
      }
      assert.deepEqual(await slotsOf(), all);
    });
  });
});

Deno.test(`slots loader (${B}) - closures, breaks and time off remove times; other staff keep theirs`, async (t) => {
  await withDb(async (db) => {
    const { salon, service } = await small(db, { hours: everyDay(hm(9), hm(17)) });
    const a = await makeStaff(db, salon, { services: [service.id], sort_order: 1 });
    const b = await makeStaff(db, salon, { services: [service.id], sort_order: 2 });

    await t.step("a daily break (prayer) removes its hour for everyone", async () => {
      await makeBreak(db, salon, { start_minute: hm(12), end_minute: hm(13) });
      const s = await listSlots(db, request(salon, service));
      assert.deepEqual(times(s.days[0]), [
        "09:00",
        "10:00",
        "11:00",
        "13:00",
        "14:00",
        "15:00",
        "16:00",
      ]);
    });

    await t.step("time off removes times for that staff member only", async () => {
      await makeTimeOff(db, a, { starts_at: at(`${MON}T09:00`), ends_at: at(`${MON}T11:00`) });
      const own = await listSlots(db, request(salon, service, { staff: a.id }));
      assert.deepEqual(times(own.days[0]), ["11:00", "13:00", "14:00", "15:00", "16:00"]);
      const any = await listSlots(db, request(salon, service));
      assert.equal(any.days[0].slots[0].staffId, b.id, "09:00 goes to the one who is in");
      assert.equal(times(any.days[0])[0], "09:00");
    });

    await t.step("a closure (date range) removes whole days, shown as empty", async () => {
      await makeClosure(db, salon, {
        starts_at: at("2026-11-24T00:00"),
        ends_at: at("2026-11-26T00:00"),
      });
      const s = await listSlots(db, request(salon, service, { days: 4 }));
      assert.deepEqual(s.days.map((d) => d.slots.length > 0), [true, false, false, true]);
    });
  });
});

Deno.test(`slots loader (${B}) - minimum notice, horizon and slot step come from the salon's settings`, async () => {
  await withDb(async (db) => {
    const { salon, service } = await small(db, {
      min_notice_minutes: 120,
      horizon_days: 3,
      slot_step_minutes: 30,
      hours: everyDay(hm(9), hm(18)),
    });
    await makeStaff(db, salon, { services: [service.id] });
    // NOW is 12:00 in Riyadh on Saturday 2026-11-21: the first start is 14:00.
    const s = await listSlots(db, request(salon, service, { fromDate: "2026-11-21", days: 5 }));
    assert.equal(times(s.days[0])[0], "14:00");
    assert.equal(times(s.days[0])[1], "14:30");
    assert.ok(s.days[3].slots.length > 0, "today + 3 days is inside the horizon");
    assert.equal(s.days[4].slots.length, 0, "today + 4 days is beyond it");
  });
});

Deno.test(`slots loader (${B}) - "anyone" lists each time once, for the staff member with the fewest booked minutes that day`, async () => {
  await withDb(async (db) => {
    const { salon, service } = await small(db, { hours: everyDay(hm(9), hm(17)) });
    const first = await makeStaff(db, salon, { services: [service.id], sort_order: 1 });
    const second = await makeStaff(db, salon, { services: [service.id], sort_order: 2 });
    let s = await listSlots(db, request(salon, service));
    assert.equal(new Set(s.days[0].slots.map((x) => x.startMs)).size, s.days[0].slots.length);
    assert.ok(s.days[0].slots.every((x) => x.staffId === first.id), "tie: lower sort order");

    await makeBooking(db, { service, staff: first, starts_at: at(`${MON}T09:00`) });
    s = await listSlots(db, request(salon, service));
    assert.equal(s.days[0].slots[0].staffId, second.id, "09:00 only the second is free");
    assert.ok(
      s.days[0].slots.every((x) => x.staffId === second.id),
      "the second has fewer booked minutes that day",
    );
    const tuesday = await listSlots(db, request(salon, service, { fromDate: "2026-11-24" }));
    assert.ok(tuesday.days[0].slots.every((x) => x.staffId === first.id), "per day");
  });
});

Deno.test(`slots loader (${B}) - inactive staff and staff without the service are never offered; staff durations apply`, async () => {
  await withDb(async (db) => {
    const { salon, service } = await small(db);
    const other = await makeService(db, salon);
    const inactive = await makeStaff(db, salon, { services: [service.id], active: false });
    const notThisService = await makeStaff(db, salon, { services: [other.id] });
    const slow = await makeStaff(db, salon, {
      services: [{ id: service.id, duration_minutes: 120 }],
    });
    const query = await loadSlotQuery(db, request(salon, service));
    assert.deepEqual(query.staff.map((s) => s.id), [slow.id]);
    assert.equal(query.staff[0].durationMinutes, 120);
    const s = await listSlots(db, request(salon, service));
    assert.deepEqual(times(s.days[0]), ["09:00", "10:00"]);
    assert.equal(s.days[0].slots[0].endMs - s.days[0].slots[0].startMs, 120 * 60_000);

    await assert.rejects(
      loadSlotQuery(db, request(salon, service, { staff: inactive.id })),
      (e) => e instanceof ValidationError && "staff" in e.fields,
    );
    await assert.rejects(
      loadSlotQuery(db, request(salon, service, { staff: notThisService.id })),
      (e) => e instanceof ValidationError && "staff" in e.fields,
    );
  });
});

Deno.test(`slots loader (${B}) - bad requests fail with typed errors`, async (t) => {
  await withDb(async (db) => {
    const { salon, service } = await small(db);
    const elsewhere = await makeSalon(db);
    const foreign = await makeService(db, elsewhere);
    const retired = await makeService(db, salon, { active: false });
    const cases: [string, Partial<SlotRequest>, (e: unknown) => boolean][] = [
      ["unknown salon", { salonId: crypto.randomUUID() }, (e) => e instanceof NotFoundError],
      [
        "unknown slug",
        { salonId: undefined, salonSlug: "nope" },
        (e) => e instanceof NotFoundError,
      ],
      ["service of another salon", { serviceId: foreign.id }, field("service")],
      ["inactive service", { serviceId: retired.id }, field("service")],
      ["malformed service id", { serviceId: "42" }, field("service")],
      ["malformed staff id", { staff: "bob" }, field("staff")],
      ["impossible date", { fromDate: "2026-02-30" }, field("date")],
      ["zero days", { days: 0 }, field("days")],
      ["too many days", { days: 63 }, field("days")],
    ];
    for (const [name, extra, check] of cases) {
      await t.step(name, async () => {
        await assert.rejects(loadSlotQuery(db, request(salon, service, extra)), check);
      });
    }
    await t.step("inactive salon is not found", async () => {
      await db.query("UPDATE salons SET active = false WHERE id = $1", [salon.id]);
      await assert.rejects(loadSlotQuery(db, request(salon, service)), NotFoundError);
    });
  });
});

function field(name: string) {
  return (e: unknown) => e instanceof ValidationError && name in e.fields;
}

Deno.test(`slots loader (${B}) - a salon in a DST zone gets wall-clock times across the change, bookings included`, async () => {
  await withDb(async (db) => {
    const NY = "America/New_York";
    // 2026-03-08: clocks go from 02:00 to 03:00 in New York.
    const { salon, service } = await small(db, { timezone: NY, hours: everyDay(hm(9), hm(12)) });
    const staff = await makeStaff(db, salon, { services: [service.id] });
    await makeBooking(db, { service, staff, starts_at: at("2026-03-08T10:00", NY) });
    const s = await listSlots(
      db,
      request(salon, service, {
        fromDate: "2026-03-07",
        days: 2,
        now: new Date("2026-03-01T00:00Z"),
      }),
    );
    assert.equal(s.timeZone, NY);
    assert.deepEqual(times(s.days[0], NY), ["09:00", "10:00", "11:00"]);
    assert.deepEqual(times(s.days[1], NY), ["09:00", "11:00"]);
    assert.equal(new Date(s.days[0].slots[0].startMs).toISOString(), "2026-03-07T14:00:00.000Z");
    assert.equal(new Date(s.days[1].slots[0].startMs).toISOString(), "2026-03-08T13:00:00.000Z");
  });
});

Deno.test(`resolveSlot (${B}) - accepts exactly what listSlots offers, with the same staff assignment`, async () => {
  await withDb(async (db) => {
    const { salon, service } = await small(db, { hours: everyDay(hm(9), hm(13)) });
    const a = await makeStaff(db, salon, { services: [service.id], sort_order: 1 });
    const b = await makeStaff(db, salon, { services: [service.id], sort_order: 2 });
    await makeBooking(db, { service, staff: a, starts_at: at(`${MON}T10:00`) });
    const listed = (await listSlots(db, request(salon, service))).days[0].slots;
    for (const slot of listed) {
      const got = await resolveSlot(db, { ...request(salon, service), startMs: slot.startMs });
      assert.deepEqual(got, slot);
    }
    const base = { salonId: salon.id, serviceId: service.id, now: NOW };
    assert.equal(
      await resolveSlot(db, { ...base, staff: a.id, startMs: at(`${MON}T10:00`).getTime() }),
      null,
      "a's booked hour",
    );
    assert.deepEqual(
      await resolveSlot(db, { ...base, staff: b.id, startMs: at(`${MON}T10:00`).getTime() }),
      {
        startMs: at(`${MON}T10:00`).getTime(),
        endMs: at(`${MON}T11:00`).getTime(),
        staffId: b.id,
      },
    );
    for (const off of ["T10:15", "T08:00", "T13:00"]) {
      assert.equal(
        await resolveSlot(db, { ...base, staff: "any", startMs: at(`${MON}${off}`).getTime() }),
        null,
        `${off} is off the grid or outside hours`,
      );
    }
  });
});
