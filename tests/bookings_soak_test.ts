/**
 * Randomized soak of the booking services: thousands of creates, cancels, reschedules and salon
 * confirmations (specific staff and "anyone", services with and without buffers, two salons, one
 * of them holding unpaid bookings that lapse as the clock moves), run in waves of concurrent
 * operations, most through the service functions and some through HTTP on two app instances.
 * Afterwards the database must hold no overlapping active bookings, every booking's history must
 * replay to its current row, the counts must match what succeeded, and no request may have failed
 * with anything but a 409 (or the 429 of a customer's daily move limit).
 *
 * Seeded: a failure prints its seed; rerun it with SOAK_SEED=<seed>. SOAK_OPS and SOAK_WAVE
 * override the size (defaults: 3,000 ops in waves of 40 on PGlite, 6,000 in waves of 60 on
 * Postgres).
 */
import assert from "node:assert/strict";
import type { Queryable } from "@/db/types.ts";
import { signAccessToken } from "@/services/auth/sessions.ts";
import { USER_COLUMNS, userFromRow, type UserRow } from "@/services/auth/users.ts";
import { createSession } from "@/services/auth/sessions.ts";
import {
  type Actor,
  type BookingRow,
  cancelBooking,
  changeBookingStatus,
  createBooking,
  rescheduleBooking,
} from "@/services/bookings/mod.ts";
import { AppError } from "@/services/errors.ts";
import type { TestApp } from "./helpers/app.ts";
import { postJson } from "./helpers/auth.ts";
import { testBackend } from "./helpers/db.ts";
import {
  makeSalon,
  makeService,
  makeStaff,
  type TestService,
  type TestStaff,
} from "./helpers/factories.ts";
import { makeOnlinePaymentApp } from "./helpers/payments.ts";

const backend = testBackend();
const SEED = Number(Deno.env.get("SOAK_SEED") ?? 20261121);
const OPS = Number(Deno.env.get("SOAK_OPS") ?? (backend === "postgres" ? 6000 : 3000));
const WAVE = Number(Deno.env.get("SOAK_WAVE") ?? (backend === "postgres" ? 60 : 40));
const CUSTOMERS = 40;
/** Local booking days (Riyadh = UTC+3): two to four days after the test clock's start. */
const DAYS = ["2026-11-23", "2026-11-24", "2026-11-25"];

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
  };
}

interface SalonSetup {
  id: string;
  slug: string;
  managerId: string;
  services: { service: TestService; staff: TestStaff[] }[];
}

interface Known {
  id: string;
  customer: number;
  salon: number;
  /** The operation that created it: `known` is kept in this order, so picks do not depend on timing. */
  op: number;
}

interface Customer {
  id: string;
  sessionId: string;
}

async function count(db: Queryable, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await db.query<{ n: number }>(sql, params);
  return Number(row.n);
}

async function setUp(t: TestApp): Promise<{ salons: SalonSetup[]; customers: Customer[] }> {
  const db = t.db;
  const manager = async (salonId: string, phone: string) => {
    const [user] = await db.query<{ id: string }>(
      "INSERT INTO users (phone_number) VALUES ($1) RETURNING id",
      [phone],
    );
    await db.query(
      "INSERT INTO salon_memberships (salon_id, user_id, role) VALUES ($1, $2, 'manager')",
      [
        salonId,
        user.id,
      ],
    );
    return user.id;
  };

  // Pay at the salon (bookings confirmed at once), 24-hour cancellation window.
  const a = await makeSalon(db, { cancellation_window_hours: 24 });
  const aStaff = [];
  for (let i = 0; i < 4; i++) aStaff.push(await makeStaff(db, a, { sort_order: i }));
  const cut = await makeService(db, a, { duration_minutes: 30 });
  const color = await makeService(db, a, {
    duration_minutes: 45,
    buffer_before_minutes: 10,
    buffer_after_minutes: 15,
  });
  const treat = await makeService(db, a, { duration_minutes: 60, buffer_after_minutes: 5 });
  const link = async (staff: TestStaff, serviceId: string, duration?: number) =>
    await db.query(
      "INSERT INTO staff_services (staff_id, service_id, salon_id, duration_minutes) VALUES ($1, $2, $3, $4)",
      [staff.id, serviceId, staff.salon_id, duration ?? null],
    );
  for (const s of aStaff) await link(s, cut.id);
  for (const s of aStaff.slice(0, 3)) await link(s, color.id);
  for (const s of aStaff.slice(1)) await link(s, treat.id, s === aStaff[3] ? 75 : undefined);

  // Deposits online: unpaid bookings hold their slot for 5 minutes; a 48-hour window, so the
  // first day's bookings can no longer be cancelled by customers.
  const b = await makeSalon(db, {
    payment_mode: "deposit",
    deposit_percent: 25,
    hold_minutes: 5,
    cancellation_window_hours: 48,
  });
  const bStaff = [];
  for (let i = 0; i < 3; i++) bStaff.push(await makeStaff(db, b, { sort_order: i }));
  const nails = await makeService(db, b, { duration_minutes: 30, buffer_after_minutes: 10 });
  const bridal = await makeService(db, b, { duration_minutes: 90, buffer_before_minutes: 15 });
  for (const s of bStaff) await link(s, nails.id);
  for (const s of bStaff.slice(0, 2)) await link(s, bridal.id);

  const salons: SalonSetup[] = [
    {
      id: a.id,
      slug: a.slug,
      managerId: await manager(a.id, "+966500000001"),
      services: [
        { service: cut, staff: aStaff },
        { service: color, staff: aStaff.slice(0, 3) },
        { service: treat, staff: aStaff.slice(1) },
      ],
    },
    {
      id: b.id,
      slug: b.slug,
      managerId: await manager(b.id, "+966500000002"),
      services: [{ service: nails, staff: bStaff }, { service: bridal, staff: bStaff.slice(0, 2) }],
    },
  ];

  const customers: Customer[] = [];
  for (let i = 0; i < CUSTOMERS; i++) {
    const [row] = await db.query<UserRow>(
      `INSERT INTO users (phone_number, is_phone_verified) VALUES ($1, true) RETURNING ${USER_COLUMNS}`,
      [`+96655${String(i).padStart(7, "0")}`],
    );
    const session = await createSession(db, t.config, t.clock.now(), userFromRow(row));
    customers.push({ id: row.id, sessionId: session.sessionId });
  }
  return { salons, customers };
}

/** A start on the salons' 15-minute grid, 09:00–20:45 Riyadh, on one of DAYS. */
function randomStart(rng: ReturnType<typeof prng>): Date {
  const day = rng.pick(DAYS);
  const minutes = 9 * 60 + rng.int(48) * 15;
  return new Date(Date.parse(`${day}T00:00:00+03:00`) + minutes * 60_000);
}

Deno.test(`bookings soak (${backend}) - ${OPS} random concurrent creates/cancels/reschedules/confirms: no overlap, consistent history, no 5xx (seed ${SEED})`, async () => {
  // Online payment is available, so the deposit salon's bookings wait for payment and lapse.
  const t = await makeOnlinePaymentApp();
  const started = performance.now();
  try {
    const rng = prng(SEED);
    const { salons, customers } = await setUp(t);
    const apps = [t.app, t.secondInstance()];
    const known: Known[] = [];
    const replayable: {
      customer: number;
      key: string;
      body: Record<string, unknown>;
      id: string;
      op: number;
    }[] = [];
    const outcomes = new Map<string, number>();
    const failures: string[] = [];
    let creates = 0;
    let reschedules = 0;
    let keySeq = 0;

    const note = (kind: string, status: number, detail?: string) => {
      const key = `${kind} ${status}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      // A customer's 4th move of a booking within a day is refused by design (429).
      const moveLimit = status === 429 && kind.startsWith("reschedule") && !kind.endsWith("salon");
      if (status !== 200 && status !== 201 && status !== 409 && !moveLimit) {
        failures.push(`${kind} → ${status}${detail ? `: ${detail}` : ""}`);
      }
    };
    /** Runs a service call, turning its result into an HTTP-like status. */
    const call = async <T>(kind: string, fn: () => Promise<T>, ok = 200): Promise<T | null> => {
      try {
        const result = await fn();
        note(kind, ok);
        return result;
      } catch (err) {
        if (err instanceof AppError) note(kind, err.status, err.messageKey);
        else note(kind, 500, err instanceof Error ? `${err.name}: ${err.message}` : String(err));
        return null;
      }
    };
    /** Sends one HTTP request, notes its status and returns the parsed body. */
    const http = async (kind: string, res: Promise<Response> | Response) => {
      const r = await res;
      const text = await r.text();
      note(kind, r.status, r.status >= 400 ? text : undefined);
      return { status: r.status, body: text ? JSON.parse(text) : null };
    };
    const bearer = async (c: Customer, now: Date) =>
      `Bearer ${
        (await signAccessToken(t.config, now, {
          userId: c.id,
          role: "customer",
          sessionId: c.sessionId,
        })).token
      }`;

    const waves = Math.ceil(OPS / WAVE);
    for (let wave = 0; wave < waves; wave++) {
      // The clock moves a minute per wave, so 5-minute holds lapse while the soak runs.
      t.clock.set(new Date(Date.parse("2026-11-21T09:00:00Z") + wave * 60_000).toISOString());
      const base = t.clock.now();
      const ops: (() => Promise<void>)[] = [];
      for (let i = 0; i < Math.min(WAVE, OPS - wave * WAVE); i++) {
        const opNo = wave * WAVE + i;
        // Each operation reads "now" a little differently, as requests on real clocks do.
        const now = new Date(base.getTime() + rng.int(1000));
        const app = apps[i % 2];
        const roll = rng.next();
        const viaHttp = rng.chance(0.15);
        if (roll < 0.5 || known.length === 0) {
          const ci = rng.int(customers.length);
          const c = customers[ci];
          const si = rng.int(salons.length);
          const salon = salons[si];
          const { service, staff } = rng.pick(salon.services);
          const staffChoice = rng.chance(0.4) ? "any" : rng.pick(staff).id;
          const start = randomStart(rng);
          if (viaHttp) {
            const key = `soak-${++keySeq}`;
            const body = {
              salon: salon.slug,
              service: service.id,
              staff: staffChoice,
              start: start.toISOString(),
            };
            ops.push(async () => {
              const res = await http(
                "create/http",
                postJson(app, "/api/bookings/", body, {
                  authorization: await bearer(c, base),
                  "idempotency-key": key,
                }),
              );
              if (res.status === 201) {
                const { booking } = res.body;
                creates++;
                known.push({ id: booking.id, customer: ci, salon: si, op: opNo });
                replayable.push({ customer: ci, key, body, id: booking.id, op: opNo });
              }
            });
          } else {
            const idempotency = rng.chance(0.5)
              ? { key: `svc-${++keySeq}`, requestHash: "h" }
              : undefined;
            ops.push(async () => {
              const made = await call("create", () =>
                createBooking(t.db, {
                  customerId: c.id,
                  salon: salon.id,
                  serviceId: service.id,
                  staff: staffChoice,
                  start,
                  now,
                  actor: { userId: c.id, role: "customer" },
                  ...(idempotency ? { idempotency } : {}),
                  onlinePayment: true,
                }), 201);
              if (made) {
                creates++;
                known.push({ id: made.booking.id, customer: ci, salon: si, op: opNo });
              }
            });
          }
        } else if (roll < 0.65) {
          // The customer cancels one of theirs (sometimes the salon does).
          const k = rng.pick(known);
          const c = customers[k.customer];
          const bySalon = rng.chance(0.2);
          if (viaHttp && !bySalon) {
            ops.push(async () => {
              await http(
                "cancel/http",
                postJson(app, `/api/bookings/${k.id}/cancel/`, {}, {
                  authorization: await bearer(c, base),
                }),
              );
            });
          } else {
            const actor: Actor = bySalon
              ? { userId: salons[k.salon].managerId, role: "salon" }
              : { userId: c.id, role: "customer" };
            ops.push(async () => {
              await call(bySalon ? "cancel/salon" : "cancel", () =>
                cancelBooking(t.db, {
                  bookingId: k.id,
                  actor,
                  now,
                  reason: bySalon ? "soak" : null,
                  scope: bySalon ? { salonId: salons[k.salon].id } : { customerId: c.id },
                }));
            });
          }
        } else if (roll < 0.88) {
          const k = rng.pick(known);
          const c = customers[k.customer];
          const salon = salons[k.salon];
          const start = randomStart(rng);
          const choice = rng.next();
          // Keep the staff member, or pick "anyone", or any staff member of the salon (who may not
          // perform the service: then a 400 would be right, so only performers are picked).
          const services = salon.services;
          const staffChoice = choice < 0.5 ? undefined : choice < 0.75 ? "any" as const : null;
          const bySalon = rng.chance(0.25);
          if (viaHttp && !bySalon && staffChoice !== null) {
            ops.push(async () => {
              const res = await http(
                "reschedule/http",
                postJson(app, `/api/bookings/${k.id}/reschedule/`, {
                  start: start.toISOString(),
                  ...(staffChoice ? { staff: staffChoice } : {}),
                }, { authorization: await bearer(c, base) }),
              );
              if (res.status === 200) reschedules++;
            });
          } else {
            const actor: Actor = bySalon
              ? { userId: salon.managerId, role: "salon" }
              : { userId: c.id, role: "customer" };
            const staffPick = rng.next();
            ops.push(async () => {
              let staff: string | undefined = staffChoice ?? undefined;
              if (staffChoice === null) {
                const [row] = await t.db.query<{ service_id: string }>(
                  "SELECT service_id FROM bookings WHERE id = $1",
                  [
                    k.id,
                  ],
                );
                const entry = services.find((s) => s.service.id === row.service_id)!;
                staff = entry.staff[Math.floor(staffPick * entry.staff.length)].id;
              }
              const moved = await call(
                bySalon ? "reschedule/salon" : "reschedule",
                () =>
                  rescheduleBooking(t.db, {
                    bookingId: k.id,
                    start,
                    staff,
                    actor,
                    now,
                    scope: bySalon ? { salonId: salon.id } : { customerId: c.id },
                  }),
              );
              if (moved) reschedules++;
            });
          }
        } else if (roll < 0.97) {
          // A payment lands: the salon confirms (pending → confirmed, or re-secures an expired one).
          const deposits = known.filter((k) => k.salon === 1);
          const k = deposits.length ? rng.pick(deposits) : rng.pick(known);
          const salon = salons[k.salon];
          ops.push(async () => {
            await call("confirm/salon", () =>
              changeBookingStatus(t.db, {
                bookingId: k.id,
                to: "confirmed",
                actor: { userId: salon.managerId, role: "salon" },
                now,
                scope: { salonId: salon.id },
              }));
          });
        } else if (replayable.length) {
          // A client retries a create it already got an answer for: same key, same body.
          const r = rng.pick(replayable);
          ops.push(async () => {
            const res = await http(
              "replay/http",
              postJson(app, "/api/bookings/", r.body, {
                authorization: await bearer(customers[r.customer], base),
                "idempotency-key": r.key,
              }),
            );
            if (res.status !== 200 || res.body.booking.id !== r.id) {
              failures.push(
                `replay of ${r.key} → ${res.status} ${
                  JSON.stringify(res.body)
                }, expected 200 ${r.id}`,
              );
            }
          });
        }
      }
      await Promise.all(ops.map((op) => op()));
      known.sort((x, y) => x.op - y.op);
      replayable.sort((x, y) => x.op - y.op);
    }
    const elapsed = performance.now() - started;

    const summary = [...outcomes].sort().map(([k, n]) => `${k}: ${n}`).join(", ");
    console.log(
      `soak (${backend}, seed ${SEED}): ${OPS} ops in ${
        (elapsed / 1000).toFixed(1)
      } s — ${summary}`,
    );
    assert.ok(creates > OPS / 20, `too few successful creates to prove anything: ${creates}`);
    assert.ok(
      reschedules > OPS / 50,
      `too few successful reschedules to prove anything: ${reschedules}`,
    );

    // 1. No two active bookings of one staff member overlap (buffers included).
    const overlaps = await t.db.query<{ a: string; b: string }>(
      `SELECT a.booking_id AS a, b.booking_id AS b FROM booking_items a JOIN booking_items b
         ON a.staff_id = b.staff_id AND a.id < b.id
        AND tstzrange(a.block_start, a.block_end) && tstzrange(b.block_start, b.block_end)
       JOIN bookings ab ON ab.id = a.booking_id JOIN bookings bb ON bb.id = b.booking_id
       WHERE ab.status IN ('pending', 'confirmed') AND bb.status IN ('pending', 'confirmed')
         AND a.status = 'active' AND b.status = 'active'`,
    );
    assert.deepEqual(
      overlaps.map((o) => `${o.a} × ${o.b}`),
      [],
      `overlapping active bookings (seed ${SEED})`,
    );

    // 2. What succeeded is what the database holds.
    assert.equal(
      await count(t.db, "SELECT count(*) AS n FROM bookings"),
      creates,
      "one row per successful create",
    );
    assert.equal(
      await count(t.db, "SELECT count(*) AS n FROM booking_events WHERE kind = 'rescheduled'"),
      reschedules,
      "one history row per successful move",
    );

    // 3. Every history replays to its booking: created first, each step from where the last one
    // ended, ending at the current status; the last move's target is where the booking is.
    const bookings = await t.db.query<BookingRow>("SELECT * FROM bookings");
    const events = await t.db.query<{
      booking_id: string;
      at: Date;
      kind: string;
      from_status: string | null;
      to_status: string;
      data: { to?: { start: string; staff_id: string } };
    }>(
      "SELECT booking_id, at, kind, from_status, to_status, data FROM booking_events ORDER BY booking_id, at, id",
    );
    const byBooking = new Map<string, typeof events>();
    for (const e of events) {
      const list = byBooking.get(e.booking_id) ?? [];
      list.push(e);
      byBooking.set(e.booking_id, list);
    }
    const broken: string[] = [];
    for (const b of bookings) {
      const history = byBooking.get(b.id) ?? [];
      const trail = history.map((e) =>
        `${e.kind}:${e.from_status}→${e.to_status}@${e.at.toISOString()}`
      ).join(" ");
      const problem = (() => {
        if (history.length === 0) return "no history";
        const [first] = history;
        if (first.kind !== "created" || first.from_status !== null) {
          return "does not start with created";
        }
        if (first.to_status !== (b.payment_mode === "at_salon" ? "confirmed" : "pending")) {
          return "wrong initial status";
        }
        for (let i = 1; i < history.length; i++) {
          if (history[i].kind === "created") return "created twice";
          if (history[i].from_status !== history[i - 1].to_status) {
            return `step ${i} does not follow`;
          }
          if (history[i].at.getTime() < history[i - 1].at.getTime()) {
            return `step ${i} is older than step ${i - 1}`;
          }
        }
        if (history.at(-1)!.to_status !== b.status) {
          return `ends at ${history.at(-1)!.to_status}, row is ${b.status}`;
        }
        const lastMove = history.findLast((e) => e.kind === "rescheduled");
        if (lastMove && lastMove.data.to?.start !== b.starts_at.toISOString()) {
          return "last move does not match the row";
        }
        if (lastMove && lastMove.data.to?.staff_id !== b.staff_id) {
          return "last move's staff does not match the row";
        }
        return null;
      })();
      if (problem) broken.push(`${b.id} (${b.status}): ${problem} — ${trail}`);
    }
    assert.deepEqual(
      broken.slice(0, 5),
      [],
      `${broken.length} inconsistent histories (seed ${SEED})`,
    );

    // 4. Nothing failed but with a 409 (a 5xx is a bug; so is a 400/404 for these valid requests).
    const distinct = new Map<string, number>();
    for (const f of failures) distinct.set(f, (distinct.get(f) ?? 0) + 1);
    assert.deepEqual(
      [...distinct].map(([f, n]) => `${n} × ${f}`),
      [],
      `requests failed (seed ${SEED})`,
    );

    // 5. Every booking told its customer (the outbox row was written with it).
    assert.equal(
      await count(
        t.db,
        `SELECT count(*) AS n FROM bookings b WHERE NOT EXISTS (
           SELECT 1 FROM messages m WHERE m.booking_id = b.id AND m.event = 'created'
             AND m.recipient_role = 'customer')`,
      ),
      0,
    );
  } finally {
    await t.close();
  }
});
