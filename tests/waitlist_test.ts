/**
 * The waitlist: joining (bad input is a 400 that changes nothing), a freed time becoming an offer
 * and its message, two customers confirming one time (one booking, one 409 and a "gone" message),
 * an offer racing an ordinary booking (never two bookings), nobody offered a time twice, no offers
 * once the day has passed. PGlite, and Postgres with TEST_DATABASE_URL (real parallel
 * transactions: the offer row, the staff rows and the exclusion constraint are the guards).
 */
import assert from "node:assert/strict";
import type { Queryable } from "@/db/types.ts";
import type { SessionUser } from "@/services/auth/users.ts";
import type { DashboardActor } from "@/services/dashboard/access.ts";
import { cancelBooking, createBooking } from "@/services/bookings/mod.ts";
import { AppError, ConflictError, ValidationError } from "@/services/errors.ts";
import {
  confirmOffer,
  joinWaitlist,
  OFFER_MINUTES,
  offerFreedTimes,
  offerTimeByHand,
  SCAN_INTERVAL_MS,
} from "@/services/waitlist/mod.ts";
import { startMessageWorker } from "@/services/messages/run.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { scriptedProvider, workerDeps } from "./helpers/messages.ts";
import { makeCustomers } from "./helpers/customers.ts";
import { everyDay, hm, makeSalon, makeService, makeStaff } from "./helpers/factories.ts";

// The clock starts at 2026-11-21T09:00Z (12:00 Riyadh). Tomorrow the one staff member works
// 10:00–11:00 only: one 60-minute slot.
const DAY = "2026-11-22";
const TEN = new Date("2026-11-22T07:00:00Z");

async function world(t: TestApp) {
  const salon = await makeSalon(t.db);
  const service = await makeService(t.db, salon);
  const staff = await makeStaff(t.db, salon, {
    services: [service.id],
    hours: everyDay(hm(10), hm(11)),
  });
  const people = await makeCustomers(t, 4);
  return { salon, service, staff, people };
}

type World = Awaited<ReturnType<typeof world>>;

function join(t: TestApp, w: World, customerId: string, over: Record<string, unknown> = {}) {
  return joinWaitlist(t.db, {
    customerId,
    salon: w.salon.slug,
    serviceIds: [w.service.id],
    staff: "any",
    day: DAY,
    fromMinute: hm(9),
    toMinute: hm(12),
    now: t.clock.now(),
    ...over,
  });
}

function bookTen(t: TestApp, w: World, customerId: string) {
  return createBooking(t.db, {
    customerId,
    salon: w.salon.slug,
    serviceId: w.service.id,
    staff: "any",
    start: TEN,
    now: t.clock.now(),
    actor: { userId: customerId, role: "customer" },
  });
}

/** The salon's manager as a dashboard actor. */
async function managerOf(t: TestApp, w: World): Promise<DashboardActor> {
  const [user] = await t.db.query<SessionUser>(
    `INSERT INTO users (phone_number) VALUES ($1) RETURNING *`,
    [`+9665599${String(Math.floor(Math.random() * 1e5)).padStart(5, "0")}`],
  );
  await t.db.query(
    "INSERT INTO salon_memberships (user_id, salon_id, role) VALUES ($1, $2, 'manager')",
    [user.id, w.salon.id],
  );
  return { user, now: t.clock.now() };
}

/** Runs the offer job a scan interval later (as the outbox round would). */
function scan(t: TestApp) {
  t.clock.advance(SCAN_INTERVAL_MS + 1);
  return offerFreedTimes(t.db, t.clock.now());
}

async function offersOf(db: Queryable, customerId: string) {
  return await db.query<{ token: string; status: string; starts_at: Date; offered_by: string }>(
    "SELECT token, status, starts_at, offered_by FROM waitlist_offers WHERE customer_id = $1 ORDER BY created_at",
    [customerId],
  );
}

async function messagesTo(db: Queryable, userId: string) {
  return await db.query<{ template: string; params: { linkPath: string }; locale: string }>(
    "SELECT template, params, locale FROM messages WHERE recipient_user_id = $1 AND event LIKE 'waitlist_%' ORDER BY created_at",
    [userId],
  );
}

async function activeBookings(db: Queryable): Promise<number> {
  const [r] = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM bookings WHERE status IN ('pending', 'confirmed')",
  );
  return Number(r.n);
}

/** Freed 10:00: A booked it, B (and whoever else) waits, A cancels. */
async function freedTen(t: TestApp, w: World, waiting: number) {
  const [a, ...rest] = w.people;
  const { booking } = await bookTen(t, w, a.id);
  for (const p of rest.slice(0, waiting)) {
    await join(t, w, p.id);
    t.clock.advance(1000);
  }
  assert.equal(await scan(t), 0, "nothing is free while 10:00 is booked");
  await cancelBooking(t.db, {
    bookingId: booking.id,
    actor: { userId: null, role: "salon" },
    now: t.clock.now(),
    reason: "called",
    scope: {},
  });
  return rest.slice(0, waiting);
}

Deno.test("waitlist - joining: bad input is a 400 that writes nothing; joining again updates", async () => {
  const t = await makeTestApp();
  try {
    const w = await world(t);
    const me = w.people[0].id;
    const cases: [Record<string, unknown>, string][] = [
      [{ serviceIds: [] }, "service"],
      [{ serviceIds: [crypto.randomUUID()] }, "service"],
      [{ serviceIds: ["not-a-uuid"] }, "service"],
      [{ staff: crypto.randomUUID() }, "staff"],
      [{ day: "2026-11-20" }, "day"],
      [{ day: "2027-11-22" }, "day"],
      [{ day: "22/11/2026" }, "day"],
      [{ fromMinute: hm(12), toMinute: hm(9) }, "range"],
      [{ fromMinute: -5 }, "range"],
    ];
    const other = await makeService(t.db, w.salon);
    cases.push([{ serviceIds: [other.id], staff: w.staff.id }, "staff"]);
    for (const [over, field] of cases) {
      await assert.rejects(join(t, w, me, over), (err: unknown) => {
        assert.ok(err instanceof ValidationError, JSON.stringify(over));
        assert.equal(err.status, 400);
        assert.ok(err.fields[field], `${JSON.stringify(over)} → ${field}`);
        return true;
      });
    }
    const [n] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM waitlist_entries");
    assert.equal(Number(n.n), 0);

    const first = await join(t, w, me);
    const again = await join(t, w, me, { fromMinute: hm(10), toMinute: hm(11), staff: w.staff.id });
    assert.equal(again.id, first.id, "one waiting wish per customer, salon and day");
    assert.equal(again.from_minute, hm(10));
    assert.equal(again.staff_id, w.staff.id);
  } finally {
    await t.close();
  }
});

Deno.test("waitlist - a cancellation frees a time: the first on the list gets an offer message with a link", async () => {
  const t = await makeTestApp();
  try {
    const w = await world(t);
    const [b] = await freedTen(t, w, 1);
    assert.equal(await scan(t), 1);
    const [offer] = await offersOf(t.db, b.id);
    assert.equal(offer.status, "open");
    assert.equal(offer.starts_at.toISOString(), TEN.toISOString());
    const [msg] = await messagesTo(t.db, b.id);
    assert.equal(msg.template, "msg.customer.waitlistOffer");
    assert.equal(msg.params.linkPath, `/waitlist/offers/${offer.token}`);
    assert.equal(await scan(t), 0, "an open offer is not repeated");

    const booking = await confirmOffer(t.db, {
      token: offer.token,
      customerId: b.id,
      now: t.clock.now(),
    });
    assert.equal(booking.starts_at.toISOString(), TEN.toISOString());
    assert.equal(booking.customer_id, b.id);
    assert.equal((await offersOf(t.db, b.id))[0].status, "taken");
    const replay = await confirmOffer(t.db, {
      token: offer.token,
      customerId: b.id,
      now: t.clock.now(),
    });
    assert.equal(replay.id, booking.id, "confirming twice is the same booking");
    assert.equal(await activeBookings(t.db), 1);
  } finally {
    await t.close();
  }
});

Deno.test("waitlist - two customers confirm one freed time at once: one booking, the other a 409 and a 'gone' message", async () => {
  const t = await makeTestApp();
  try {
    const w = await world(t);
    const [b, c] = await freedTen(t, w, 2);
    assert.equal(await scan(t), 2, "the first customers on the list are both offered it");
    const tokens = [(await offersOf(t.db, b.id))[0].token, (await offersOf(t.db, c.id))[0].token];
    const now = t.clock.now();
    const results = await Promise.allSettled([
      confirmOffer(t.db, { token: tokens[0], customerId: b.id, now }),
      confirmOffer(t.db, { token: tokens[1], customerId: c.id, now }),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
    assert.equal(won.length, 1);
    assert.equal(lost.length, 1);
    assert.ok(lost[0].reason instanceof ConflictError, String(lost[0].reason?.stack));
    assert.equal(lost[0].reason.messageKey, "waitlist.error.gone");
    assert.equal(await activeBookings(t.db), 1);
    const loser = results[0].status === "rejected" ? b : c;
    assert.equal((await offersOf(t.db, loser.id))[0].status, "gone");
    assert.deepEqual(
      (await messagesTo(t.db, loser.id)).map((m) => m.template),
      ["msg.customer.waitlistOffer", "msg.customer.waitlistGone"],
    );
  } finally {
    await t.close();
  }
});

Deno.test("waitlist - an offer racing an ordinary booking for the same time never makes two bookings", async () => {
  const t = await makeTestApp();
  try {
    const w = await world(t);
    const [b] = await freedTen(t, w, 1);
    await scan(t);
    const [offer] = await offersOf(t.db, b.id);
    const stranger = (await makeCustomers(t, 1))[0];
    const results = await Promise.allSettled([
      confirmOffer(t.db, { token: offer.token, customerId: b.id, now: t.clock.now() }),
      bookTen(t, w, stranger.id),
    ]);
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
    for (const r of results) {
      if (r.status === "rejected") assert.equal((r.reason as AppError).status, 409);
    }
    assert.equal(await activeBookings(t.db), 1);
    if (results[0].status === "rejected") {
      assert.equal((await offersOf(t.db, b.id))[0].status, "gone");
      assert.equal((await messagesTo(t.db, b.id)).at(-1)?.template, "msg.customer.waitlistGone");
    }
  } finally {
    await t.close();
  }
});

Deno.test("waitlist - nobody is offered the same time twice (by the job or by hand)", async () => {
  const t = await makeTestApp();
  try {
    const w = await world(t);
    const [b] = await freedTen(t, w, 1);
    assert.equal(await scan(t), 1);
    t.clock.advance(OFFER_MINUTES * 60_000 + 1);
    assert.equal(await scan(t), 0, "the lapsed offer is not made again");
    assert.equal((await offersOf(t.db, b.id))[0].status, "expired");
    const [entry] = await t.db.query<{ id: string }>(
      "SELECT id FROM waitlist_entries WHERE customer_id = $1",
      [b.id],
    );
    await assert.rejects(
      offerTimeByHand(t.db, await managerOf(t, w), {
        salonId: w.salon.id,
        entryId: entry.id,
        time: "10:00",
      }),
      (err: unknown) =>
        err instanceof ConflictError && err.messageKey === "waitlist.error.offeredBefore",
    );
    // A newcomer on the list still gets it.
    const d = w.people[3];
    await join(t, w, d.id);
    assert.equal(await scan(t), 1);
    assert.equal((await offersOf(t.db, d.id)).length, 1);
    assert.equal((await offersOf(t.db, b.id)).length, 1);
  } finally {
    await t.close();
  }
});

Deno.test("waitlist - by hand: a manager offers a free time; a taken or malformed time is refused", async () => {
  const t = await makeTestApp();
  try {
    const w = await world(t);
    const [b] = await freedTen(t, w, 1);
    const [entry] = await t.db.query<{ id: string }>(
      "SELECT id FROM waitlist_entries WHERE customer_id = $1",
      [b.id],
    );
    await assert.rejects(
      offerTimeByHand(t.db, await managerOf(t, w), {
        salonId: w.salon.id,
        entryId: entry.id,
        time: "25:00",
      }),
      ValidationError,
    );
    await assert.rejects(
      offerTimeByHand(t.db, await managerOf(t, w), {
        salonId: w.salon.id,
        entryId: entry.id,
        time: "12:00",
      }),
      (err: unknown) => err instanceof ConflictError && err.messageKey === "waitlist.error.notFree",
    );
    // Another salon's manager cannot reach this wish through their salon, nor act on this one.
    const other = { ...w, salon: await makeSalon(t.db) };
    const stranger = await managerOf(t, other);
    await assert.rejects(
      offerTimeByHand(t.db, stranger, {
        salonId: other.salon.id,
        entryId: entry.id,
        time: "10:00",
      }),
      (err: unknown) => err instanceof AppError && err.status === 404,
    );
    await assert.rejects(
      offerTimeByHand(t.db, stranger, { salonId: w.salon.id, entryId: entry.id, time: "10:00" }),
      (err: unknown) => err instanceof AppError && err.status === 403,
    );
    const offer = await offerTimeByHand(t.db, await managerOf(t, w), {
      salonId: w.salon.id,
      entryId: entry.id,
      time: "10:00",
    });
    const [audited] = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'waitlist.offer'",
    );
    assert.equal(Number(audited.n), 1);
    assert.equal(offer.offered_by, "salon");
    assert.equal(offer.starts_at.toISOString(), TEN.toISOString());
    assert.equal((await messagesTo(t.db, b.id)).length, 1);
  } finally {
    await t.close();
  }
});

Deno.test("waitlist - offers stop when the day has passed", async () => {
  const t = await makeTestApp();
  try {
    const w = await world(t);
    const [b] = await freedTen(t, w, 1);
    // Before the job looks, the day is over (Riyadh: 23 November already).
    t.clock.set("2026-11-22T21:30:00Z");
    assert.equal(await scan(t), 0);
    const [entry] = await t.db.query<{ status: string }>(
      "SELECT status FROM waitlist_entries WHERE customer_id = $1",
      [b.id],
    );
    assert.equal(entry.status, "expired");
    assert.equal((await offersOf(t.db, b.id)).length, 0);
    assert.equal((await messagesTo(t.db, b.id)).length, 0);
    await assert.rejects(join(t, w, b.id), ValidationError, "joining for a past day is refused");
  } finally {
    await t.close();
  }
});

Deno.test("waitlist - a lapsed hold: the outbox worker's round expires it, offers the time and sends the offer", async () => {
  const t = await makeTestApp({ WORKER_POLL_MS: "20" });
  try {
    const salon = await makeSalon(t.db, { payment_mode: "full" });
    const service = await makeService(t.db, salon);
    await makeStaff(t.db, salon, { services: [service.id], hours: everyDay(hm(10), hm(11)) });
    const [a, b] = await makeCustomers(t, 2);
    const { booking } = await createBooking(t.db, {
      customerId: a.id,
      salon: salon.slug,
      serviceId: service.id,
      staff: "any",
      start: TEN,
      now: t.clock.now(),
      actor: { userId: a.id, role: "customer" },
      onlinePayment: true,
    });
    assert.equal(booking.status, "pending", "the time is held for a payment");
    await join(t, { salon, service } as World, b.id);
    t.clock.advance(11 * 60_000);
    const provider = scriptedProvider();
    const worker = startMessageWorker(t.db, t.config, workerDeps(provider, t.clock.now));
    try {
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        if (provider.delivered.some((m) => m.body.includes("/waitlist/offers/"))) break;
        await new Promise((r) => setTimeout(r, 25));
      }
    } finally {
      await worker.stop();
    }
    const offers = provider.delivered.filter((m) => m.body.includes("/waitlist/offers/"));
    assert.equal(offers.length, 1);
    assert.equal(offers[0].to, await phoneOf(t.db, b.id));
    assert.equal((await offersOf(t.db, b.id))[0].starts_at.toISOString(), TEN.toISOString());
  } finally {
    await t.close();
  }
});

async function phoneOf(db: Queryable, userId: string): Promise<string> {
  const [u] = await db.query<{ phone_number: string }>(
    "SELECT phone_number FROM users WHERE id = $1",
    [userId],
  );
  return u.phone_number;
}

Deno.test("waitlist - an offered time booked by someone else: the job tells the offered customer it is gone", async () => {
  const t = await makeTestApp();
  try {
    const w = await world(t);
    const [b] = await freedTen(t, w, 1);
    assert.equal(await scan(t), 1);
    const stranger = (await makeCustomers(t, 1))[0];
    await bookTen(t, w, stranger.id);
    assert.equal(await scan(t), 0);
    assert.equal((await offersOf(t.db, b.id))[0].status, "gone");
    assert.deepEqual(
      (await messagesTo(t.db, b.id)).map((m) => m.template),
      ["msg.customer.waitlistOffer", "msg.customer.waitlistGone"],
    );
  } finally {
    await t.close();
  }
});
