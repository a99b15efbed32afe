import assert from "node:assert/strict";
import fc from "fast-check";
import type { SessionUser } from "@/services/auth/users.ts";
import { AppError } from "@/services/errors.ts";
import { createReview, editReview, setReviewHidden } from "@/services/reviews/mod.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { makeUser } from "./helpers/auth.ts";
import { testBackend } from "./helpers/db.ts";
import { makeBooking, makeSalon, makeService, makeStaff } from "./helpers/factories.ts";

const backend = testBackend();

type Op =
  | { kind: "create" | "edit"; booking: number; rating: number }
  | { kind: "hide" | "unhide"; booking: number };

interface World {
  salons: string[];
  /** Completed bookings: id, salon, customer. */
  bookings: { id: string; salonId: string; customerId: string }[];
  manager: SessionUser;
}

async function makeWorld(t: TestApp, salonCount: number, perSalon: number): Promise<World> {
  const salons: string[] = [];
  const bookings: World["bookings"] = [];
  const customers: string[] = [];
  for (let i = 0; i < 4; i++) {
    customers.push(await makeUser(t.db, { phone: `+96651234560${i}` }));
  }
  for (let s = 0; s < salonCount; s++) {
    const salon = await makeSalon(t.db);
    const service = await makeService(t.db, salon);
    const staff = await makeStaff(t.db, salon, { services: [service.id] });
    salons.push(salon.id);
    for (let b = 0; b < perSalon; b++) {
      const customerId = customers[b % customers.length];
      const booking = await makeBooking(t.db, {
        service,
        staff,
        starts_at: new Date(Date.UTC(2026, 10, 10 + (b % 8), 6 + Math.floor(b / 8), 0)),
        customer_id: customerId,
        status: "completed",
      });
      bookings.push({ id: booking.id, salonId: salon.id, customerId });
    }
  }
  const adminId = await makeUser(t.db, { phone: "+966512345699", isAdmin: true });
  const manager: SessionUser = {
    id: adminId,
    phoneNumber: "+966512345699",
    email: null,
    firstName: "",
    lastName: "",
    preferredLanguage: "en",
    isPhoneVerified: true,
    isAdmin: true,
    createdAt: new Date(),
    role: "admin",
    sessionId: crypto.randomUUID(),
    via: "bearer",
  };
  return { salons, bookings, manager };
}

/** Applies one operation through the services; refusals (409, 404) are part of the game. */
async function apply(t: TestApp, world: World, op: Op): Promise<void> {
  const b = world.bookings[op.booking % world.bookings.length];
  const now = t.clock.now();
  try {
    if (op.kind === "create" || op.kind === "edit") {
      const input = { bookingId: b.id, customerId: b.customerId, rating: op.rating, now };
      await (op.kind === "create" ? createReview(t.db, input) : editReview(t.db, input));
    } else {
      const [review] = await t.db.query<{ id: string }>(
        "SELECT id FROM reviews WHERE booking_id = $1",
        [b.id],
      );
      if (!review) return;
      await setReviewHidden(t.db, world.manager, {
        salonId: b.salonId,
        reviewId: review.id,
        hidden: op.kind === "hide",
        reason: "moderation",
        now,
      });
    }
  } catch (err) {
    if (!(err instanceof AppError) || (err.status !== 409 && err.status !== 404)) throw err;
  }
}

/** avg rounded half-up to 2 decimals, from integers only (no floating-point surprises). */
function expectedAvg(sum: number, count: number): number {
  if (count === 0) return 0;
  return Math.floor((sum * 200 + count) / (2 * count)) / 100;
}

/** Each salon's stored rating against a full recount of its visible reviews. */
async function assertRatingsMatchRecount(t: TestApp, world: World, context: string) {
  for (const salonId of world.salons) {
    const [stored] = await t.db.query<{ rating_avg: number; rating_count: number }>(
      "SELECT rating_avg, rating_count FROM salons WHERE id = $1",
      [salonId],
    );
    const [recount] = await t.db.query<{ n: number; total: number }>(
      `SELECT count(*)::int AS n, coalesce(sum(rating), 0)::int AS total
       FROM reviews WHERE salon_id = $1 AND NOT hidden`,
      [salonId],
    );
    assert.deepEqual(
      [Number(stored.rating_avg), stored.rating_count],
      [expectedAvg(recount.total, recount.n), recount.n],
      context,
    );
  }
}

const opArb = (bookings: number) =>
  fc.oneof(
    fc.record({
      kind: fc.constantFrom("create" as const, "edit" as const),
      booking: fc.nat(bookings - 1),
      rating: fc.integer({ min: 1, max: 5 }),
    }),
    fc.record({
      kind: fc.constantFrom("hide" as const, "unhide" as const),
      booking: fc.nat(bookings - 1),
    }),
  );

Deno.test(`reviews rating (${backend}) - after any sequence of create, edit, hide and unhide, every salon's average and count equal a full recount`, async () => {
  const t = await makeTestApp();
  try {
    // Few bookings, long sequences: operations keep landing on the same reviews.
    const world = await makeWorld(t, 2, 5);
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb(world.bookings.length), { minLength: 5, maxLength: 60 }),
        async (ops) => {
          await t.db.query("DELETE FROM reviews");
          await t.db.query("UPDATE salons SET rating_avg = 0, rating_count = 0");
          for (const [i, op] of ops.entries()) {
            await apply(t, world, op);
            await assertRatingsMatchRecount(t, world, `after op ${i}: ${JSON.stringify(op)}`);
          }
        },
      ),
      { numRuns: 30, seed: Number(Deno.env.get("FC_SEED") ?? Date.now() % 2 ** 31) },
    );
  } finally {
    await t.close();
  }
});

Deno.test(`reviews rating (${backend}) - concurrent changes to one salon's reviews serialize on the salon row: the stored rating still equals the recount`, async () => {
  const t = await makeTestApp();
  try {
    const world = await makeWorld(t, 1, 24);
    const ops: Op[] = world.bookings.map((_, i) => ({
      kind: "create",
      booking: i,
      rating: (i % 5) + 1,
    }));
    await Promise.all(ops.map((op) => apply(t, world, op)));
    await assertRatingsMatchRecount(t, world, "after 24 parallel creates");
    const mixed: Op[] = world.bookings.flatMap((_, i): Op[] =>
      i % 3 === 0
        ? [{ kind: "hide", booking: i }]
        : i % 3 === 1
        ? [{ kind: "edit", booking: i, rating: 5 - (i % 5) }]
        : [{ kind: "hide", booking: i }, { kind: "unhide", booking: i }]
    );
    await Promise.all(mixed.map((op) => apply(t, world, op)));
    await assertRatingsMatchRecount(t, world, "after parallel edits, hides and unhides");
    const [{ n }] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM reviews");
    assert.equal(n, 24);
  } finally {
    await t.close();
  }
});
