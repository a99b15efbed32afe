/**
 * A booking's life after creation: holds that expire with the injected clock, the whole
 * status × status transition matrix, the customer's cancellation window to the minute,
 * rescheduling that is all-or-nothing, and prices and durations frozen at booking time.
 */
import assert from "node:assert/strict";
import type { Queryable } from "@/db/types.ts";
import { translator } from "@/i18n/mod.ts";
import { createSession } from "@/services/auth/sessions.ts";
import { USER_COLUMNS, userFromRow, type UserRow } from "@/services/auth/users.ts";
import {
  BOOKING_STATUSES,
  type BookingRow,
  cancelBooking,
  changeBookingStatus,
  createBooking,
  listBookingEvents,
  rescheduleBooking,
} from "@/services/bookings/mod.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { appError } from "./helpers/errors.ts";
import { postJson } from "./helpers/auth.ts";
import { makeBooking, makeSalon, makeService, makeStaff } from "./helpers/factories.ts";
import { makeOnlinePaymentApp } from "./helpers/payments.ts";

type App = TestApp["app"];

// The test clock starts at 2026-11-21T09:00Z (12:00 in Riyadh).
const TOMORROW_10 = "2026-11-22T07:00:00.000Z"; // 10:00 Riyadh

let phoneCounter = 0;

/** A fresh access token for a customer, issued at the test clock's current time. */
async function signIn(t: TestApp, userId: string): Promise<string> {
  const [row] = await t.db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [
    userId,
  ]);
  return (await createSession(t.db, t.config, t.clock.now(), userFromRow(row))).access;
}

/** A signed-up customer with an access token (straight in the database: no OTP round trip). */
async function makeCustomer(
  t: TestApp,
  language: "ar" | "en" = "en",
): Promise<{ id: string; access: string }> {
  const phone = `+9665${String(++phoneCounter).padStart(4, "0")}${
    String(Math.floor(Math.random() * 1e4)).padStart(4, "0")
  }`;
  const [row] = await t.db.query<UserRow>(
    `INSERT INTO users (phone_number, is_phone_verified, preferred_language) VALUES ($1, true, $2)
     RETURNING ${USER_COLUMNS}`,
    [phone, language],
  );
  const tokens = await createSession(t.db, t.config, t.clock.now(), userFromRow(row));
  return { id: row.id, access: tokens.access };
}

function post(
  app: App,
  path: string,
  token: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return postJson(app, path, body, {
    authorization: `Bearer ${token}`,
    "accept-language": "en",
    ...headers,
  });
}

let keyCounter = 0;
function book(app: App, token: string, body: Record<string, unknown>) {
  return post(app, "/api/bookings/", token, body, { "idempotency-key": `k-${++keyCounter}` });
}

async function getBooking(db: Queryable, id: string): Promise<BookingRow> {
  const [row] = await db.query<BookingRow>("SELECT * FROM bookings WHERE id = $1", [id]);
  return row;
}

function historyOf(db: Queryable, id: string) {
  return db.query<{
    actor_role: string;
    kind: string;
    from_status: string | null;
    to_status: string;
    reason: string | null;
    data: Record<string, { start: string; staff_id: string }>;
  }>(
    "SELECT actor_role, kind, from_status, to_status, reason, data FROM booking_events WHERE booking_id = $1 ORDER BY at, id",
    [id],
  );
}

async function makeManager(db: Queryable, salonId: string): Promise<string> {
  const [user] = await db.query<{ id: string }>(
    "INSERT INTO users (phone_number) VALUES ($1) RETURNING id",
    [`+9665${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`],
  );
  await db.query(
    "INSERT INTO salon_memberships (salon_id, user_id, role) VALUES ($1, $2, 'manager')",
    [salonId, user.id],
  );
  return user.id;
}

Deno.test("bookings - an unpaid hold blocks the slot until it lapses; then another customer books it and the hold is expired by the system", async () => {
  // Holds are only made while customers can pay online.
  const t = await makeOnlinePaymentApp();
  try {
    const salon = await makeSalon(t.db, {
      payment_mode: "deposit",
      deposit_percent: 20,
      hold_minutes: 10,
    });
    const service = await makeService(t.db, salon, { price_halalas: 20000 });
    const staff = await makeStaff(t.db, salon, { services: [service.id] });
    const alice = await makeCustomer(t);
    const bob = await makeCustomer(t);
    const body = { salon: salon.slug, service: service.id, staff: staff.id, start: TOMORROW_10 };

    const held = await book(t.app, alice.access, body);
    assert.equal(held.status, 201);
    const { booking } = await held.json();
    assert.equal(booking.status, "pending");
    assert.equal(booking.deposit_halalas, 4000);
    assert.equal(booking.hold_expires_at, "2026-11-21T09:10:00.000Z");

    t.clock.set("2026-11-21T09:09:59.999Z");
    const blocked = await book(t.app, bob.access, body);
    assert.equal(blocked.status, 409, "a live hold blocks the slot");
    assert.equal((await getBooking(t.db, booking.id)).status, "pending");

    t.clock.set("2026-11-21T09:10:01Z");
    const stale = await post(
      t.app,
      `/api/bookings/${booking.id}/reschedule/`,
      await signIn(t, alice.id),
      {
        start: "2026-11-22T09:00:00Z",
      },
    );
    assert.equal(stale.status, 409, "a lapsed hold cannot be moved: it is expired, not active");
    assert.equal((await getBooking(t.db, booking.id)).starts_at.toISOString(), TOMORROW_10);

    const second = await book(t.app, bob.access, body);
    assert.equal(second.status, 201, "a lapsed hold frees the slot");
    const bobs = (await second.json()).booking;
    assert.equal(bobs.status, "pending");
    assert.equal(bobs.hold_expires_at, "2026-11-21T09:20:01.000Z");

    const expired = await getBooking(t.db, booking.id);
    assert.equal(expired.status, "expired");
    const history = await historyOf(t.db, booking.id);
    assert.deepEqual(
      history.map((e) => [e.kind, e.actor_role, e.from_status, e.to_status, e.reason]),
      [
        ["created", "customer", null, "pending", null],
        ["status", "system", "pending", "expired", "hold_expired"],
      ],
    );
    const late = await post(t.app, `/api/bookings/${booking.id}/cancel/`, alice.access, {});
    assert.equal(late.status, 409, "an expired booking cannot be cancelled");
  } finally {
    await t.close();
  }
});

// The lifecycle as specified (independently of services/bookings/model.ts).
const ALLOWED = new Set([
  "pending→confirmed",
  "pending→cancelled",
  "pending→expired",
  "confirmed→completed",
  "confirmed→no_show",
  "confirmed→cancelled",
  "expired→confirmed",
]);

Deno.test("bookings - every forbidden status transition is a 409 that changes nothing; every allowed one succeeds", async (t) => {
  const app = await makeTestApp();
  const db = app.db;
  try {
    const salon = await makeSalon(db);
    const service = await makeService(db, salon);
    const staff = await makeStaff(db, salon, { services: [service.id] });
    const managerId = await makeManager(db, salon.id);
    const actor = { userId: managerId, role: "salon" as const };
    const now = app.clock.now();

    await t.step("the 6 × 6 matrix, on bookings that have already started", async () => {
      let slot = 0;
      for (const from of BOOKING_STATUSES) {
        for (const to of BOOKING_STATUSES) {
          // Each booking two hours apart, starting a week ago: completed/no_show are allowed in time.
          const starts_at = new Date(now.getTime() - 7 * 86_400_000 + slot++ * 2 * 3_600_000);
          const row = await makeBooking(db, {
            service,
            staff,
            starts_at,
            status: from,
            ...(from === "pending"
              ? { payment_mode: "deposit", hold_expires_at: new Date(now.getTime() + 600_000) }
              : {}),
          });
          const before = await getBooking(db, row.id);
          const change = () =>
            changeBookingStatus(db, {
              bookingId: row.id,
              to,
              actor,
              now,
              scope: { salonId: salon.id },
            });
          if (ALLOWED.has(`${from}→${to}`)) {
            const updated = await change();
            assert.equal(updated.status, to, `${from}→${to}`);
            assert.deepEqual(
              (await historyOf(db, row.id)).map((
                e,
              ) => [e.kind, e.actor_role, e.from_status, e.to_status]),
              [["status", "salon", from, to]],
            );
            if (to === "cancelled") assert.equal(updated.cancelled_by, "salon");
          } else {
            const err = await appError(change);
            assert.equal(err.status, 409, `${from}→${to} must be refused`);
            assert.equal(err.messageKey, "booking.transitionNotAllowed");
            assert.deepEqual(
              await getBooking(db, row.id),
              before,
              `${from}→${to} changed the booking`,
            );
            assert.equal((await historyOf(db, row.id)).length, 0);
          }
        }
      }
      assert.equal(slot, 36);
    });

    await t.step(
      "completed and no_show before the start → 409; from the start on → allowed",
      async () => {
        const starts_at = new Date(now.getTime() + 3_600_000);
        const a = await makeBooking(db, { service, staff, starts_at });
        const b = await makeBooking(db, {
          service,
          staff,
          starts_at: new Date(starts_at.getTime() + 3_600_000),
        });
        for (const to of ["completed", "no_show"] as const) {
          const err = await appError(() =>
            changeBookingStatus(db, {
              bookingId: a.id,
              to,
              actor,
              now: new Date(starts_at.getTime() - 60_000),
              scope: { salonId: salon.id },
            })
          );
          assert.equal(err.status, 409);
          assert.equal(err.messageKey, "booking.notStartedYet");
        }
        assert.equal((await getBooking(db, a.id)).status, "confirmed");
        const done = await changeBookingStatus(db, {
          bookingId: a.id,
          to: "completed",
          actor,
          now: starts_at,
          scope: { salonId: salon.id },
        });
        assert.equal(done.status, "completed");
        const missed = await changeBookingStatus(db, {
          bookingId: b.id,
          to: "no_show",
          actor,
          now: new Date(starts_at.getTime() + 3_600_000),
          scope: { salonId: salon.id },
        });
        assert.equal(missed.status, "no_show");
      },
    );

    await t.step("another salon's manager cannot touch the booking (404)", async () => {
      const other = await makeSalon(db);
      const row = await makeBooking(db, {
        service,
        staff,
        starts_at: new Date(now.getTime() + 86_400_000),
      });
      const err = await appError(() =>
        changeBookingStatus(db, {
          bookingId: row.id,
          to: "cancelled",
          actor,
          now,
          scope: { salonId: other.id },
        })
      );
      assert.equal(err.status, 404);
      assert.equal((await getBooking(db, row.id)).status, "confirmed");
    });

    await t.step(
      "re-confirming an expired booking whose time was taken since → 409, not a database error",
      async () => {
        const starts_at = new Date("2026-11-25T07:00:00Z");
        const lapsed = await makeBooking(db, { service, staff, starts_at, status: "expired" });
        await makeBooking(db, { service, staff, starts_at });
        const err = await appError(() =>
          changeBookingStatus(db, {
            bookingId: lapsed.id,
            to: "confirmed",
            actor,
            now,
            scope: { salonId: salon.id },
          })
        );
        assert.equal(err.status, 409);
        assert.equal((await getBooking(db, lapsed.id)).status, "expired");
        assert.equal((await historyOf(db, lapsed.id)).length, 0);
      },
    );
  } finally {
    await app.close();
  }
});

Deno.test("bookings - cancellation window (24 h): the customer may cancel until the deadline, a minute after it is a localized 409 and nothing changes", async (t) => {
  const app = await makeTestApp();
  try {
    const salon = await makeSalon(app.db, { cancellation_window_hours: 24 });
    const service = await makeService(app.db, salon);
    const staff = await makeStaff(app.db, salon, { services: [service.id] });
    const alice = await makeCustomer(app);
    // Starts 2026-11-23T07:00Z (10:00 Riyadh): the deadline is 2026-11-22T07:00Z.
    const starts = ["2026-11-23T07:00:00Z", "2026-11-23T09:00:00Z", "2026-11-23T11:00:00Z"];
    const ids: string[] = [];
    for (const start of starts) {
      const res = await book(app.app, alice.access, {
        salon: salon.slug,
        service: service.id,
        staff: staff.id,
        start,
      });
      assert.equal(res.status, 201);
      ids.push((await res.json()).booking.id);
    }
    const deadline = (i: number) => new Date(Date.parse(starts[i]) - 24 * 3_600_000);
    // Access tokens are short-lived: sign in again whenever the clock jumps. The cancel route reads
    // a body only when Content-Length says there is one (as a real client sends it).
    const reason = JSON.stringify({ reason: "plans changed" });
    const cancel = async (id: string, lang: string) =>
      post(app.app, `/api/bookings/${id}/cancel/`, await signIn(app, alice.id), {
        reason: "plans changed",
      }, {
        "accept-language": lang,
        "content-length": String(new TextEncoder().encode(reason).length),
      });

    await t.step("one minute before the deadline → cancelled", async () => {
      app.clock.set(new Date(deadline(0).getTime() - 60_000).toISOString());
      const res = await cancel(ids[0], "en");
      assert.equal(res.status, 200);
      const { booking } = await res.json();
      assert.equal(booking.status, "cancelled");
      assert.equal(booking.cancelled_by, "customer");
      assert.equal(booking.cancel_reason, "plans changed");
    });

    await t.step("exactly at the deadline → still allowed", async () => {
      app.clock.set(deadline(1).toISOString());
      const res = await cancel(ids[1], "en");
      assert.equal(res.status, 200);
    });

    await t.step(
      "one minute after the deadline → 409 in English and Arabic; the booking is unchanged",
      async () => {
        app.clock.set(new Date(deadline(2).getTime() + 60_000).toISOString());
        const before = await getBooking(app.db, ids[2]);
        const events = (await historyOf(app.db, ids[2])).length;
        for (const lang of ["en", "ar"] as const) {
          const res = await cancel(ids[2], lang);
          assert.equal(res.status, 409);
          assert.match(res.headers.get("content-type") ?? "", /application\/json/);
          const expected = translator(lang)("booking.cancelWindowPassed", { hours: 24 });
          assert.deepEqual(await res.json(), { detail: expected });
          assert.ok(expected.includes("24"));
        }
        const moved = await post(
          app.app,
          `/api/bookings/${ids[2]}/reschedule/`,
          await signIn(app, alice.id),
          {
            start: "2026-11-24T07:00:00Z",
          },
        );
        assert.equal(moved.status, 409, "moving is held to the same window");
        assert.deepEqual(await moved.json(), {
          detail: translator("en")("booking.cancelWindowPassed", { hours: 24 }),
        });
        assert.deepEqual(await getBooking(app.db, ids[2]), before);
        assert.equal((await historyOf(app.db, ids[2])).length, events);
      },
    );

    await t.step("the salon may still cancel after the window", async () => {
      const managerId = await makeManager(app.db, salon.id);
      const done = await cancelBooking(app.db, {
        bookingId: ids[2],
        actor: { userId: managerId, role: "salon" },
        now: app.clock.now(),
        reason: "staff ill",
        scope: { salonId: salon.id },
      });
      assert.equal(done.status, "cancelled");
      assert.equal(done.cancelled_by, "salon");
    });
  } finally {
    await app.close();
  }
});

Deno.test("bookings - reschedule onto a taken slot → 409 and the original stays put; onto a free slot it moves and frees the old time", async (t) => {
  const app = await makeTestApp();
  try {
    const salon = await makeSalon(app.db);
    const service = await makeService(app.db, salon, {
      duration_minutes: 60,
      buffer_after_minutes: 15,
    });
    const staff = await makeStaff(app.db, salon, { services: [service.id] });
    const alice = await makeCustomer(app);
    const bob = await makeCustomer(app);
    const carol = await makeCustomer(app);
    // Two days out: well before the 24-hour cancellation window.
    const at = (hhmm: string) => `2026-11-23T${hhmm}:00.000Z`;
    const body = (start: string) => ({
      salon: salon.slug,
      service: service.id,
      staff: staff.id,
      start,
    });

    const a = await book(app.app, alice.access, body(at("07:00")));
    assert.equal(a.status, 201);
    const mine = (await a.json()).booking;
    assert.equal((await book(app.app, bob.access, body(at("10:00")))).status, 201);

    await t.step(
      "onto Bob's time, or overlapping his block → 409, Alice's booking intact and still blocking",
      async () => {
        const before = await getBooking(app.db, mine.id);
        for (const start of [at("10:00"), at("09:00"), at("11:00")]) {
          const res = await post(app.app, `/api/bookings/${mine.id}/reschedule/`, alice.access, {
            start,
          });
          assert.equal(res.status, 409, start);
          assert.deepEqual(await res.json(), { detail: translator("en")("booking.slotTaken") });
        }
        const after = await getBooking(app.db, mine.id);
        assert.deepEqual(after, before);
        assert.equal(after.status, "confirmed");
        assert.equal(after.staff_id, staff.id);
        assert.equal(after.starts_at.toISOString(), at("07:00"));
        assert.equal(
          (await book(app.app, carol.access, body(at("07:00")))).status,
          409,
          "the old slot is still blocked",
        );
        assert.equal((await historyOf(app.db, mine.id)).length, 1);
      },
    );

    await t.step("onto a free time → moved; the old time is free for Carol", async () => {
      const res = await post(app.app, `/api/bookings/${mine.id}/reschedule/`, alice.access, {
        start: at("12:00"),
      });
      assert.equal(res.status, 200);
      const moved = (await res.json()).booking;
      assert.equal(moved.id, mine.id);
      assert.equal(moved.start, at("12:00"));
      assert.equal(moved.end, at("13:00"));
      const row = await getBooking(app.db, mine.id);
      assert.equal(row.block_end.toISOString(), at("13:15"));
      const history = await historyOf(app.db, mine.id);
      assert.equal(history.at(-1)?.kind, "rescheduled");
      assert.deepEqual(history.at(-1)?.data, {
        from: { start: at("07:00"), staff_id: staff.id },
        to: { start: at("12:00"), staff_id: staff.id },
      });
      assert.equal(
        (await book(app.app, carol.access, body(at("07:00")))).status,
        201,
        "the old time was freed",
      );
    });

    await t.step(
      "a small move that overlaps its own old block is allowed (its own block does not count)",
      async () => {
        const res = await post(app.app, `/api/bookings/${mine.id}/reschedule/`, alice.access, {
          start: at("12:30"),
        });
        assert.equal(res.status, 200);
      },
    );

    await t.step("another customer cannot move Alice's booking (404)", async () => {
      const res = await post(app.app, `/api/bookings/${mine.id}/reschedule/`, bob.access, {
        start: at("14:00"),
      });
      assert.equal(res.status, 404);
    });
  } finally {
    await app.close();
  }
});

Deno.test("bookings - history lists changes in the order they were applied, even when a request read its clock earlier", async () => {
  const t = await makeTestApp();
  try {
    const salon = await makeSalon(t.db);
    const service = await makeService(t.db, salon);
    const staff = await makeStaff(t.db, salon, { services: [service.id] });
    const alice = await makeCustomer(t);
    const actor = { userId: alice.id, role: "customer" as const };
    const scope = { customerId: alice.id };
    const t0 = t.clock.now().getTime();
    const { booking } = await createBooking(t.db, {
      customerId: alice.id,
      salon: salon.id,
      serviceId: service.id,
      staff: staff.id,
      start: new Date("2026-11-23T07:00:00Z"),
      now: new Date(t0 + 500),
      actor,
    });
    // Two requests: the cancel read its clock first (t0 + 100) but waited for the move (t0 + 900)
    // to release the booking, so it was applied second.
    await rescheduleBooking(t.db, {
      bookingId: booking.id,
      start: new Date("2026-11-23T09:00:00Z"),
      actor,
      now: new Date(t0 + 900),
      scope,
    });
    await cancelBooking(t.db, { bookingId: booking.id, actor, now: new Date(t0 + 100), scope });

    const history = await listBookingEvents(t.db, booking.id);
    assert.deepEqual(history.map((e) => `${e.kind}:${e.from_status}→${e.to_status}`), [
      "created:null→confirmed",
      "rescheduled:confirmed→confirmed",
      "status:confirmed→cancelled",
    ]);
    const [{ n }] = await t.db.query<{ n: number }>(
      `SELECT count(*) AS n FROM (
         SELECT at <= lag(at) OVER (ORDER BY at, id) AS out_of_order FROM booking_events WHERE booking_id = $1
       ) e WHERE out_of_order`,
      [booking.id],
    );
    assert.equal(Number(n), 0, "every event is strictly later than the one before");
    assert.equal(
      history[0].at.toISOString(),
      new Date(t0 + 500).toISOString(),
      "on time, `at` is the request's now",
    );
  } finally {
    await t.close();
  }
});

Deno.test("bookings - price and duration are copied at booking time: changing the service afterwards leaves the booking as it was", async () => {
  const t = await makeTestApp();
  try {
    const salon = await makeSalon(t.db);
    const service = await makeService(t.db, salon, { duration_minutes: 60, price_halalas: 15000 });
    const staff = await makeStaff(t.db, salon, { services: [service.id] });
    const senior = await makeStaff(t.db, salon, {
      services: [{ id: service.id, duration_minutes: 45, price_halalas: 25000 }],
    });
    const alice = await makeCustomer(t);
    const made = [];
    for (const member of [staff, senior]) {
      const res = await book(t.app, alice.access, {
        salon: salon.slug,
        service: service.id,
        staff: member.id,
        start: TOMORROW_10,
      });
      assert.equal(res.status, 201);
      made.push((await res.json()).booking);
    }
    assert.deepEqual([made[0].price_halalas, made[0].duration_minutes], [15000, 60]);
    assert.deepEqual(
      [made[1].price_halalas, made[1].duration_minutes],
      [25000, 45],
      "the staff member's own price and duration",
    );

    await t.db.query(
      "UPDATE services SET price_halalas = 99900, duration_minutes = 120 WHERE id = $1",
      [service.id],
    );
    await t.db.query(
      "UPDATE staff_services SET price_halalas = 50000, duration_minutes = 90 WHERE staff_id = $1",
      [
        senior.id,
      ],
    );

    for (const before of made) {
      const row = await getBooking(t.db, before.id);
      assert.equal(row.price_halalas, before.price_halalas);
      assert.equal(row.duration_minutes, before.duration_minutes);
      assert.equal(row.ends_at.toISOString(), before.end);
      const res = await t.app.request(`/api/bookings/${before.id}/`, {
        headers: { authorization: `Bearer ${alice.access}` },
      });
      assert.equal(res.status, 200);
      const shown = (await res.json()).booking;
      assert.equal(shown.price_halalas, before.price_halalas);
      assert.equal(shown.end, before.end);
    }

    const later = await createBooking(t.db, {
      customerId: alice.id,
      salon: salon.id,
      serviceId: service.id,
      staff: staff.id,
      start: new Date("2026-11-23T07:00:00Z"),
      now: t.clock.now(),
      actor: { userId: alice.id, role: "customer" },
    });
    assert.deepEqual(
      [later.booking.price_halalas, later.booking.duration_minutes],
      [99900, 120],
      "new bookings get the new catalog values",
    );
  } finally {
    await t.close();
  }
});
