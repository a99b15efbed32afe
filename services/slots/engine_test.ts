import { deepEqual, equal, ok, throws } from "node:assert/strict";
import {
  type DailyBreak,
  type ExistingBooking,
  findSlots,
  isSlotAvailable,
  type SlotDay,
  type SlotQuery,
  type StaffAvailabilityInput,
  type WeeklyInterval,
} from "./engine.ts";

// 2026-03-02 is a Monday. Asia/Riyadh is UTC+3 all year (no DST).
const RIYADH = "Asia/Riyadh";
const NEW_YORK = "America/New_York";
const LONDON = "Europe/London";
const MON = "2026-03-02";
const TUE = "2026-03-03";

/** Epoch ms of a local wall-clock time ("2026-03-02T09:00") in a zone (earlier if ambiguous). */
function at(local: string, timeZone = RIYADH): number {
  return Temporal.PlainDateTime.from(local).toZonedDateTime(timeZone).epochMilliseconds;
}

function hm(h: number, m = 0): number {
  return h * 60 + m;
}

/** The same interval on every weekday. */
function everyDay(startMinute: number, endMinute: number): WeeklyInterval[] {
  return [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startMinute, endMinute }));
}

function staff(id: string, extra: Partial<StaffAvailabilityInput> = {}): StaffAvailabilityInput {
  return { id, sortOrder: 0, hours: null, timeOff: [], bookings: [], ...extra };
}

function booking(startMs: number, endMs: number, before = 0, after = 0): ExistingBooking {
  return { startMs, endMs, bufferBeforeMinutes: before, bufferAfterMinutes: after };
}

function query(extra: Partial<SlotQuery> = {}): SlotQuery {
  return {
    timeZone: RIYADH,
    fromDate: MON,
    days: 1,
    nowMs: at("2026-03-01T00:00"),
    slotStepMinutes: 30,
    minNoticeMinutes: 0,
    horizonDays: 60,
    service: { durationMinutes: 60, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 },
    businessHours: everyDay(hm(9), hm(12)),
    breaks: [],
    closures: [],
    staff: [staff("s1")],
    ...extra,
  };
}

/** Local "HH:MM" for each slot of a day. */
function times(day: SlotDay, timeZone = RIYADH): string[] {
  return day.slots.map((s) =>
    Temporal.Instant.fromEpochMilliseconds(s.startMs).toZonedDateTimeISO(timeZone).toPlainTime()
      .toString({ smallestUnit: "minute" })
  );
}

/** Local "HH:MM±HH:MM" for each slot (distinguishes the repeated hour on fall-back days). */
function timesWithOffset(day: SlotDay, timeZone: string): string[] {
  return day.slots.map((s) => {
    const z = Temporal.Instant.fromEpochMilliseconds(s.startMs).toZonedDateTimeISO(timeZone);
    return `${z.toPlainTime().toString({ smallestUnit: "minute" })}${z.offset}`;
  });
}

function only(q: SlotQuery): SlotDay {
  const days = findSlots(q);
  equal(days.length, 1);
  return days[0];
}

Deno.test("simple day: 09:00–12:00, 60-min service on a 30-min grid", () => {
  const days = findSlots(
    query({ days: 2, businessHours: [{ weekday: 1, startMinute: hm(9), endMinute: hm(12) }] }),
  );
  deepEqual(days.map((d) => d.date), [MON, TUE]);
  deepEqual(times(days[0]), ["09:00", "09:30", "10:00", "10:30", "11:00"]);
  deepEqual(days[1].slots, [], "Tuesday has no business hours");
  for (const s of days[0].slots) {
    equal(s.endMs - s.startMs, 60 * 60_000);
    equal(s.staffId, "s1");
  }
});

Deno.test("two intervals a day are both offered, nothing in the gap", () => {
  const day = only(query({
    slotStepMinutes: 60,
    businessHours: [
      { weekday: 1, startMinute: hm(14), endMinute: hm(17) },
      { weekday: 1, startMinute: hm(9), endMinute: hm(12) },
    ],
  }));
  deepEqual(times(day), ["09:00", "10:00", "11:00", "14:00", "15:00", "16:00"]);
});

Deno.test("staff hours narrower than the salon's: intersection is used", () => {
  const q = query({
    slotStepMinutes: 60,
    businessHours: everyDay(hm(9), hm(17)),
    staff: [staff("s1", { hours: [{ weekday: 1, startMinute: hm(8), endMinute: hm(13) }] })],
  });
  deepEqual(times(only(q)), ["09:00", "10:00", "11:00", "12:00"]);
});

Deno.test("staff day off: no slots on days the staff member does not work", async (t) => {
  await t.step("hours only on Tuesday", () => {
    const days = findSlots(query({
      days: 2,
      slotStepMinutes: 60,
      staff: [staff("s1", { hours: [{ weekday: 2, startMinute: hm(9), endMinute: hm(12) }] })],
    }));
    deepEqual(times(days[0]), []);
    deepEqual(times(days[1]), ["09:00", "10:00", "11:00"]);
  });
  await t.step("empty hours list means never working (null means salon hours)", () => {
    deepEqual(only(query({ staff: [staff("s1", { hours: [] })] })).slots, []);
    equal(only(query({ staff: [staff("s1", { hours: null })] })).slots.length, 5);
  });
});

Deno.test("buffers at both ends: booking's own buffers and the service's", async (t) => {
  const existing = booking(at(`${MON}T12:00`), at(`${MON}T13:00`), 15, 15); // block 11:45–13:15
  const base = {
    slotStepMinutes: 5,
    businessHours: everyDay(hm(9), hm(17)),
    staff: [staff("s1", { bookings: [existing] })],
  };
  await t.step("booking buffers only: block [11:45, 13:15)", () => {
    const day = only(query({
      ...base,
      service: { durationMinutes: 30, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 },
    }));
    const ts = times(day);
    ok(ts.includes("11:15"), "ends 11:45, touching the booking's before-buffer");
    ok(!ts.includes("11:20"));
    ok(!ts.includes("13:10"));
    ok(ts.includes("13:15"), "starts when the booking's after-buffer ends");
  });
  await t.step("service buffers add on top: candidate [s − 10, s + 30 + 20)", () => {
    const day = only(query({
      ...base,
      service: { durationMinutes: 30, bufferBeforeMinutes: 10, bufferAfterMinutes: 20 },
    }));
    const ts = times(day);
    ok(ts.includes("10:55"), "block 10:45–11:45 touches 11:45");
    ok(!ts.includes("11:00"));
    ok(!ts.includes("13:20"));
    ok(ts.includes("13:25"), "block 13:15–14:15 touches 13:15");
  });
  await t.step(
    "service buffers may extend outside open hours (only the appointment must fit)",
    () => {
      const day = only(query({
        slotStepMinutes: 30,
        service: { durationMinutes: 60, bufferBeforeMinutes: 30, bufferAfterMinutes: 30 },
      }));
      deepEqual(times(day), ["09:00", "09:30", "10:00", "10:30", "11:00"]);
    },
  );
});

Deno.test("touching bookings are allowed (half-open blocks)", () => {
  const day = only(query({
    slotStepMinutes: 60,
    staff: [staff("s1", { bookings: [booking(at(`${MON}T10:00`), at(`${MON}T11:00`))] })],
  }));
  deepEqual(times(day), ["09:00", "11:00"]);
});

Deno.test("breaks remove slots (daily and weekday-specific)", async (t) => {
  const breaks: DailyBreak[] = [
    { weekday: null, startMinute: hm(12), endMinute: hm(12, 30) },
    { weekday: 2, startMinute: hm(15), endMinute: hm(16) },
  ];
  const days = findSlots(query({
    days: 2,
    service: { durationMinutes: 30, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 },
    businessHours: everyDay(hm(11), hm(17)),
    breaks,
  }));
  await t.step("daily break 12:00–12:30 on Monday", () => {
    const ts = times(days[0]);
    ok(ts.includes("11:30"), "ends exactly when the break starts");
    ok(!ts.includes("12:00"));
    ok(ts.includes("12:30"));
    ok(ts.includes("15:00"), "the Tuesday-only break does not apply on Monday");
  });
  await t.step("Tuesday also loses 15:00–16:00", () => {
    const ts = times(days[1]);
    ok(!ts.includes("12:00"));
    ok(ts.includes("14:30"));
    ok(!ts.includes("15:00") && !ts.includes("15:30"));
    ok(ts.includes("16:00"));
  });
});

Deno.test("closure across midnight (22:00 → 02:00) in a salon open till 01:00", () => {
  const businessHours = [...everyDay(hm(18), hm(24)), ...everyDay(0, hm(1))];
  const base = query({ days: 2, slotStepMinutes: 60, businessHours });
  const open = findSlots(base);
  deepEqual(times(open[0]), ["00:00", "18:00", "19:00", "20:00", "21:00", "22:00", "23:00"]);
  const closed = findSlots({
    ...base,
    closures: [{ startMs: at(`${MON}T22:00`), endMs: at(`${TUE}T02:00`) }],
  });
  deepEqual(times(closed[0]), ["00:00", "18:00", "19:00", "20:00", "21:00"]);
  deepEqual(times(closed[1]), ["18:00", "19:00", "20:00", "21:00", "22:00", "23:00"]);
});

Deno.test("time off removes slots for that staff member only", () => {
  const timeOff = [{ startMs: at(`${MON}T10:00`), endMs: at(`${MON}T11:30`) }];
  const q = query({ businessHours: everyDay(hm(9), hm(13)), staff: [staff("s1", { timeOff })] });
  deepEqual(times(only(q)), ["09:00", "11:30", "12:00"]);
  deepEqual(times(only({ ...q, staff: [staff("s2")] })).length, 7);
});

Deno.test("min notice: start ≥ now + minNotice", async (t) => {
  await t.step("now 09:10 + 60 min → first slot 10:30", () => {
    const day = only(query({ nowMs: at(`${MON}T09:10`), minNoticeMinutes: 60 }));
    deepEqual(times(day), ["10:30", "11:00"]);
  });
  await t.step("exactly now + notice is allowed", () => {
    const day = only(query({ nowMs: at(`${MON}T09:00`), minNoticeMinutes: 60 }));
    deepEqual(times(day), ["10:00", "10:30", "11:00"]);
  });
  await t.step("zero notice still excludes the past", () => {
    const day = only(query({ nowMs: at(`${MON}T09:45`) }));
    deepEqual(times(day), ["10:00", "10:30", "11:00"]);
  });
});

Deno.test("horizon edge: last local day included, next excluded", async (t) => {
  await t.step("now Monday 08:00 local, horizon 2 → Wednesday is the last day", () => {
    const days = findSlots(query({ days: 4, nowMs: at(`${MON}T08:00`), horizonDays: 2 }));
    deepEqual(days.map((d) => d.slots.length), [5, 5, 5, 0]);
    equal(days[2].date, "2026-03-04");
  });
  await t.step("uses the LOCAL date of now (UTC is still Monday, Riyadh is Tuesday)", () => {
    const nowMs = Date.UTC(2026, 2, 2, 22, 30); // 2026-03-03T01:30 in Riyadh
    const days = findSlots(query({ days: 4, nowMs, horizonDays: 1 }));
    deepEqual(days.map((d) => d.slots.length), [0, 5, 5, 0]);
  });
  await t.step("horizon 0 → only today", () => {
    const days = findSlots(query({ days: 2, nowMs: at(`${MON}T08:00`), horizonDays: 0 }));
    deepEqual(days.map((d) => d.slots.length), [5, 0]);
  });
});

Deno.test("grid alignment: local minute-of-day multiples of the step", async (t) => {
  await t.step("hours starting at 09:10 with a 15-min step start at 09:15", () => {
    const day = only(query({
      slotStepMinutes: 15,
      service: { durationMinutes: 30, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 },
      businessHours: everyDay(hm(9, 10), hm(10, 30)),
    }));
    deepEqual(times(day), ["09:15", "09:30", "09:45", "10:00"]);
  });
  await t.step("a step that does not divide 24 h restarts at local midnight", () => {
    const days = findSlots(query({
      days: 2,
      slotStepMinutes: 50,
      service: { durationMinutes: 50, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 },
      businessHours: everyDay(0, hm(24)),
    }));
    const ts = times(days[0]);
    equal(ts.length, 29); // 0, 50, …, 1400
    equal(ts[ts.length - 1], "23:20");
    equal(times(days[1])[0], "00:00");
  });
  await t.step("slots are local wall-clock aligned in a half-hour-offset zone", () => {
    const day = only(
      query({ timeZone: "Asia/Kolkata", nowMs: 0, horizonDays: 100_000, slotStepMinutes: 60 }),
    );
    deepEqual(times(day, "Asia/Kolkata"), ["09:00", "10:00", "11:00"]);
  });
});

Deno.test("DST days for a salon open overnight (America/New_York)", async (t) => {
  // Open 20:00–24:00 and 00:00–06:00 every day.
  const businessHours = [...everyDay(hm(20), hm(24)), ...everyDay(0, hm(6))];
  const base = query({
    timeZone: NEW_YORK,
    nowMs: 0,
    horizonDays: 100_000,
    businessHours,
    slotStepMinutes: 30,
  });
  await t.step("spring forward 2026-03-08: 02:00–02:59 do not exist", () => {
    const day = only({ ...base, fromDate: "2026-03-08" });
    deepEqual(times(day, NEW_YORK), [
      "00:00",
      "00:30",
      "01:00",
      "01:30",
      "03:00",
      "03:30",
      "04:00",
      "04:30",
      "05:00",
      "20:00",
      "20:30",
      "21:00",
      "21:30",
      "22:00",
      "22:30",
      "23:00",
      "23:30",
    ]);
    const s0130 = day.slots[3];
    equal(s0130.endMs - s0130.startMs, 3_600_000, "01:30 EST + 60 real minutes = 03:30 EDT");
    equal(day.slots[4].startMs - s0130.startMs, 1_800_000, "01:30 EST → 03:00 EDT is 30 minutes");
  });
  await t.step("fall back 2026-11-01: the repeated hour yields both instants", () => {
    const day = only({ ...base, fromDate: "2026-11-01" });
    deepEqual(timesWithOffset(day, NEW_YORK).slice(0, 7), [
      "00:00-04:00",
      "00:30-04:00",
      "01:00-04:00",
      "01:30-04:00",
      "01:00-05:00",
      "01:30-05:00",
      "02:00-05:00",
    ]);
    equal(day.slots.length, 2 + 4 + 7 + 8);
    const starts = day.slots.map((s) => s.startMs);
    equal(new Set(starts).size, starts.length);
    for (let i = 1; i < day.slots.length; i++) ok(starts[i - 1] < starts[i]);
    equal(day.slots[4].startMs - day.slots[2].startMs, 3_600_000);
  });
});

Deno.test("DST gap edges: wall-clock times inside a gap shift forward (Temporal 'compatible')", async (t) => {
  await t.step("New York 2026-03-08, open 00:00–02:30 → closes at 03:30 EDT", () => {
    const day = only(query({
      timeZone: NEW_YORK,
      fromDate: "2026-03-08",
      nowMs: 0,
      horizonDays: 100_000,
      service: { durationMinutes: 30, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 },
      businessHours: everyDay(0, hm(2, 30)),
    }));
    deepEqual(times(day, NEW_YORK), ["00:00", "00:30", "01:00", "01:30", "03:00"]);
  });
  await t.step("Santiago 2026-09-06 has no midnight: the day starts at 01:00", () => {
    const days = findSlots(query({
      timeZone: "America/Santiago",
      fromDate: "2026-09-05",
      days: 2,
      nowMs: 0,
      horizonDays: 100_000,
      businessHours: [...everyDay(hm(22), hm(24)), ...everyDay(0, hm(2))],
    }));
    deepEqual(times(days[0], "America/Santiago"), [
      "00:00",
      "00:30",
      "01:00",
      "22:00",
      "22:30",
      "23:00",
      "23:30",
    ]);
    // 23:30 + 60 min crosses the missing midnight hour: 24:00 is 01:00 on the 6th, still open.
    equal(days[0].slots[6].endMs, at("2026-09-06T01:30", "America/Santiago"));
    deepEqual(times(days[1], "America/Santiago"), ["01:00", "22:00", "22:30", "23:00", "23:30"]);
  });
});

Deno.test("DST days in Europe/London for a 24-hour salon", async (t) => {
  const base = query({
    timeZone: LONDON,
    nowMs: 0,
    horizonDays: 100_000,
    businessHours: everyDay(0, hm(24)),
    slotStepMinutes: 60,
  });
  await t.step("spring forward 2026-03-29 has 23 hourly slots, no 01:00", () => {
    const ts = times(only({ ...base, fromDate: "2026-03-29" }), LONDON);
    equal(ts.length, 23);
    ok(!ts.includes("01:00"));
  });
  await t.step("fall back 2026-10-25 has 25 hourly slots, 01:00 twice", () => {
    const day = only({ ...base, fromDate: "2026-10-25" });
    const ts = timesWithOffset(day, LONDON);
    equal(ts.length, 25);
    ok(ts.includes("01:00+01:00") && ts.includes("01:00+00:00"));
  });
});

Deno.test("overnight hours merge across midnight", async (t) => {
  const mon = { weekday: 1, startMinute: hm(20), endMinute: hm(24) };
  const tue = { weekday: 2, startMinute: 0, endMinute: hm(2) };
  await t.step("Mon 20:00–24:00 + Tue 00:00–02:00 → 23:30 for 60 minutes is possible", () => {
    const days = findSlots(query({ days: 2, businessHours: [mon, tue] }));
    deepEqual(times(days[0]), [
      "20:00",
      "20:30",
      "21:00",
      "21:30",
      "22:00",
      "22:30",
      "23:00",
      "23:30",
    ]);
    deepEqual(times(days[1]), ["00:00", "00:30", "01:00"]);
    equal(days[0].slots[7].endMs, at(`${TUE}T00:30`));
  });
  await t.step("without the Tuesday interval the last start is 23:00", () => {
    const day = only(query({ businessHours: [mon] }));
    equal(times(day).at(-1), "23:00");
  });
  await t.step("staff overnight hours intersect the salon's the same way", () => {
    const days = findSlots(query({
      days: 2,
      businessHours: [...everyDay(0, hm(2)), ...everyDay(hm(18), hm(24))],
      staff: [staff("s1", {
        hours: [{ weekday: 1, startMinute: hm(23), endMinute: hm(24) }, {
          weekday: 2,
          startMinute: 0,
          endMinute: hm(1),
        }],
      })],
    }));
    deepEqual(times(days[0]), ["23:00", "23:30"]);
    deepEqual(times(days[1]), ["00:00"]);
  });
  await t.step("a break at midnight splits the merged interval again", () => {
    const day = only(query({
      businessHours: [mon, tue],
      breaks: [{ weekday: 2, startMinute: 0, endMinute: hm(0, 30) }],
    }));
    equal(times(day).at(-1), "23:00");
  });
});

Deno.test("anyone: fewest booked minutes that day, then sortOrder, then id; no duplicates", async (t) => {
  const base = { slotStepMinutes: 60, businessHours: everyDay(hm(9), hm(17)) };
  await t.step("fewest booked minutes on the local date wins", () => {
    const a = staff("a", {
      sortOrder: 0,
      bookings: [
        booking(at(`${MON}T09:00`), at(`${MON}T10:00`)),
        booking(at(`${MON}T10:00`), at(`${MON}T11:00`)),
      ],
    });
    const b = staff("b", {
      sortOrder: 1,
      bookings: [booking(at(`${MON}T16:00`), at(`${MON}T16:30`))],
    });
    const c = staff("c", {
      sortOrder: 9,
      timeOff: [{ startMs: at(`${MON}T12:00`), endMs: at(`${MON}T14:00`) }],
    });
    const day = only(query({ ...base, staff: [a, b, c] }));
    const byTime = Object.fromEntries(day.slots.map((s, i) => [times(day)[i], s.staffId]));
    deepEqual(byTime, {
      "09:00": "c", // a busy; c (0 min) beats b (30 min)
      "10:00": "c",
      "11:00": "c",
      "12:00": "b", // c on time off; b (30) beats a (120)
      "13:00": "b",
      "14:00": "c",
      "15:00": "c",
      "16:00": "c", // b busy anyway
    });
  });
  await t.step("bookings on other local dates do not count", () => {
    const a = staff("a", {
      sortOrder: 0,
      bookings: [booking(at(`${TUE}T09:00`), at(`${TUE}T17:00`))],
    });
    const b = staff("b", { sortOrder: 1 });
    const days = findSlots(query({ ...base, days: 2, staff: [a, b] }));
    ok(days[0].slots.every((s) => s.staffId === "a"), "Monday: tie on minutes → sortOrder");
    ok(days[1].slots.every((s) => s.staffId === "b"), "Tuesday: a is fully booked");
  });
  await t.step("equal minutes → lower sortOrder, then lower id", () => {
    const bySort = only(query({
      ...base,
      staff: [staff("a", { sortOrder: 2 }), staff("z", { sortOrder: 1 })],
    }));
    ok(bySort.slots.every((s) => s.staffId === "z"));
    const byId = only(query({
      ...base,
      staff: [staff("b", { sortOrder: 1 }), staff("a", { sortOrder: 1 })],
    }));
    ok(byId.slots.every((s) => s.staffId === "a"));
  });
  await t.step("each start time once; the union of every member's own slots", () => {
    const members = [
      staff("a", { hours: everyDay(hm(9), hm(13)) }),
      staff("b", { hours: everyDay(hm(11), hm(17)) }),
      staff("c", { bookings: [booking(at(`${MON}T12:00`), at(`${MON}T15:00`))] }),
    ];
    const q = query({ ...base, slotStepMinutes: 30, staff: members });
    const day = only(q);
    const starts = day.slots.map((s) => s.startMs);
    equal(new Set(starts).size, starts.length);
    deepEqual(starts, [...starts].sort((x, y) => x - y));
    const union = new Set(
      members.flatMap((m) => only({ ...q, staff: [m] }).slots.map((s) => s.startMs)),
    );
    deepEqual(starts, [...union].sort((x, y) => x - y));
  });
});

Deno.test("staff duration override replaces the service duration", async (t) => {
  await t.step("single staff member", () => {
    const day = only(query({ staff: [staff("s1", { durationMinutes: 90 })] }));
    deepEqual(times(day), ["09:00", "09:30", "10:00", "10:30"]);
    ok(day.slots.every((s) => s.endMs - s.startMs === 90 * 60_000));
  });
  await t.step("anyone: endMs follows the assigned member's duration", () => {
    const day = only(query({
      staff: [
        staff("fast", { sortOrder: 0, durationMinutes: 30 }),
        staff("slow", { sortOrder: 1 }),
      ],
    }));
    deepEqual(times(day), ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]);
    ok(day.slots.every((s) => s.staffId === "fast" && s.endMs - s.startMs === 30 * 60_000));
  });
  await t.step("the override also drives the booking conflict check", () => {
    const day = only(query({
      slotStepMinutes: 60,
      staff: [staff("s1", {
        durationMinutes: 90,
        bookings: [booking(at(`${MON}T11:00`), at(`${MON}T11:30`))],
      })],
      businessHours: everyDay(hm(9), hm(14)),
    }));
    deepEqual(times(day), ["09:00", "12:00"], "10:00 would fit a 60-min service, not 90");
  });
});

Deno.test("isSlotAvailable agrees with findSlots", async (t) => {
  const members = [
    staff("a", {
      bookings: [booking(at(`${MON}T10:00`), at(`${MON}T11:00`), 10, 5)],
      timeOff: [{ startMs: at(`${MON}T14:00`), endMs: at(`${MON}T15:00`) }],
    }),
    staff("b", { hours: everyDay(hm(12), hm(18)), durationMinutes: 45 }),
  ];
  const q = query({
    days: 2,
    nowMs: at(`${MON}T09:20`),
    minNoticeMinutes: 30,
    slotStepMinutes: 15,
    service: { durationMinutes: 60, bufferBeforeMinutes: 5, bufferAfterMinutes: 10 },
    businessHours: everyDay(hm(9), hm(18)),
    breaks: [{ weekday: null, startMinute: hm(13), endMinute: hm(13, 30) }],
  });
  await t.step("every minute of both days, for each member alone", () => {
    for (const m of members) {
      const single = { ...q, staff: [m] };
      const offered = new Set(findSlots(single).flatMap((d) => d.slots.map((s) => s.startMs)));
      ok(offered.size > 0);
      for (let ms = at(`${MON}T00:00`); ms < at("2026-03-04T00:00"); ms += 60_000) {
        equal(isSlotAvailable(single, m.id, ms), offered.has(ms), new Date(ms).toISOString());
      }
    }
  });
  await t.step("anyone: every returned slot is available for its assigned member", () => {
    const anyone = { ...q, staff: members };
    for (const d of findSlots(anyone)) {
      for (const s of d.slots) ok(isSlotAvailable(anyone, s.staffId, s.startMs));
    }
  });
  await t.step("unknown staff, off-grid and sub-minute starts are not available", () => {
    const anyone = { ...q, staff: members };
    ok(isSlotAvailable(anyone, "a", at(`${MON}T16:00`)));
    ok(!isSlotAvailable(anyone, "nobody", at(`${MON}T16:00`)));
    ok(!isSlotAvailable(anyone, "a", at(`${MON}T16:05`)));
    ok(!isSlotAvailable(anyone, "a", at(`${MON}T16:00`) + 1));
    ok(!isSlotAvailable(anyone, "a", at("2026-03-04T16:00")), "outside the requested days");
  });
});

Deno.test("invalid query throws RangeError", async (t) => {
  const cases: [string, Partial<SlotQuery>][] = [
    ["days 0", { days: 0 }],
    ["days 63", { days: 63 }],
    ["days 1.5", { days: 1.5 }],
    ["bad date string", { fromDate: "2026/03/02" }],
    ["impossible date", { fromDate: "2026-02-30" }],
    ["empty date", { fromDate: "" }],
    ["bad time zone", { timeZone: "Mars/Olympus_Mons" }],
    ["empty time zone", { timeZone: "" }],
    ["step 0", { slotStepMinutes: 0 }],
    ["negative step", { slotStepMinutes: -15 }],
    ["fractional step", { slotStepMinutes: 7.5 }],
    ["non-positive duration", {
      service: { durationMinutes: 0, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 },
    }],
  ];
  for (const [name, patch] of cases) {
    await t.step(name, () => {
      throws(() => findSlots(query(patch)), RangeError);
      throws(() => isSlotAvailable(query(patch), "s1", at(`${MON}T09:00`)), RangeError);
    });
  }
  await t.step("the message says what is wrong", () => {
    throws(() => findSlots(query({ days: 0 })), /days must be an integer in 1\.\.62/);
    throws(() => findSlots(query({ timeZone: "Nope/Nowhere" })), /unknown time zone/);
  });
  await t.step("62 days is fine", () => {
    equal(findSlots(query({ days: 62 })).length, 62);
  });
});
