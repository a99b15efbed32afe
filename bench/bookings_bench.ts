/**
 * What booking integrity costs, in one run on one fresh database:
 *
 * (a) throughput of non-conflicting creations through `createBooking` (idempotency key, staff lock,
 *     hold expiry, slot re-check, insert, history, outbox messages and reminders) against the
 *     same transaction as bare SQL (BEGIN; SELECT … FOR UPDATE staff; INSERT booking; INSERT
 *     booking_events; COMMIT), the ceiling; both with the same concurrency, each create at its own
 *     staff member and time, so none conflict;
 * (b) latency when 50 requests contend for one slot (one wins, 49 get a 409), p50 and p99 over
 *     several rounds;
 * (c) database round trips per creation, counted (tests/helpers/round_trips.ts) for a one-item
 *     booking and a two-item visit, plus the route's one session lookup; with pass/fail against
 *     issue #20's targets (≤ 4 round trips per request, ≥ 50 % of the ceiling's throughput).
 *
 * Back end: a Postgres server when BENCH_DATABASE_URL (or TEST_DATABASE_URL) is set, e.g.
 * `BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres deno task bench` (a scratch
 * database is created on it and dropped afterwards); otherwise embedded PGlite (one connection:
 * concurrent transactions take turns). BOOKINGS_BENCH_OPS sets the number of creates per path.
 * The measurement runs once when `deno bench` loads this file and prints its own table.
 */
import type { Db } from "@/db/types.ts";
import { setLogLevel } from "@/log.ts";
import { createBooking } from "@/services/bookings/mod.ts";
import { ConflictError } from "@/services/errors.ts";
import { makeSalon, makeService, makeStaff, type TestStaff } from "../tests/helpers/factories.ts";
import { countRoundTrips } from "../tests/helpers/round_trips.ts";

setLogLevel("error");
const benchUrl = Deno.env.get("BENCH_DATABASE_URL");
if (benchUrl) Deno.env.set("TEST_DATABASE_URL", benchUrl);
// Imported after the line above: the helper reads TEST_DATABASE_URL when it loads.
const { createTestDb, testBackend } = await import("../tests/helpers/db.ts");
const backend = testBackend();

const OPS = Number(Deno.env.get("BOOKINGS_BENCH_OPS") ?? (backend === "postgres" ? 2000 : 400));
/** Transactions in flight at once (the Postgres pool has 10 connections). */
const CONCURRENCY = 10;
const CONTENDERS = 50;
const ROUNDS = backend === "postgres" ? 40 : 10;
const STAFF = 20;
const NOW = new Date("2026-11-21T09:00:00Z");
/** Issue #20: round trips per creation request (authentication included), share of the ceiling. */
const MAX_TRIPS = 4;
const MIN_SHARE = 0.5;
/** The route's authentication: one session lookup (routes/_session.ts loadSessionUser). */
const AUTH_TRIPS = 1;
/** 09:00–21:00 Riyadh in 15-minute slots. */
const SLOTS_PER_DAY = 48;

/** The n-th distinct (staff, start) of a block of days starting `firstDay` days after NOW's date. */
function slotAt(n: number, firstDay: number): { staff: number; start: Date } {
  const staff = n % STAFF;
  const k = Math.floor(n / STAFF);
  const day = firstDay + Math.floor(k / SLOTS_PER_DAY);
  const minutes = 9 * 60 + (k % SLOTS_PER_DAY) * 15;
  return {
    staff,
    start: new Date(Date.parse("2026-11-22T00:00:00+03:00") + day * 86_400_000 + minutes * 60_000),
  };
}

async function runConcurrently(
  count: number,
  concurrency: number,
  fn: (i: number) => Promise<void>,
) {
  let next = 0;
  const workers = Array.from({ length: concurrency }, async () => {
    while (next < count) await fn(next++);
  });
  await Promise.all(workers);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function measure(db: Db) {
  const salon = await makeSalon(db, { horizon_days: 365 });
  const service = await makeService(db, salon, { duration_minutes: 15, price_halalas: 8000 });
  const staff: TestStaff[] = [];
  for (let i = 0; i < STAFF; i++) {
    staff.push(await makeStaff(db, salon, { services: [service.id], sort_order: i }));
  }
  const customers: string[] = [];
  for (let i = 0; i < CONTENDERS; i++) {
    const [row] = await db.query<{ id: string }>(
      "INSERT INTO users (phone_number, is_phone_verified) VALUES ($1, true) RETURNING id",
      [`+96657${String(i).padStart(7, "0")}`],
    );
    customers.push(row.id);
  }
  const daysPerPath = Math.ceil(OPS / (STAFF * SLOTS_PER_DAY));

  const create = (
    i: number,
    start: Date,
    staffId: string | "any",
    customer = customers[i % customers.length],
  ) =>
    createBooking(db, {
      customerId: customer,
      salon: salon.id,
      serviceId: service.id,
      staff: staffId,
      start,
      now: NOW,
      actor: { userId: customer, role: "customer" },
      idempotency: { key: `bench-${crypto.randomUUID()}`, requestHash: "bench" },
    });

  // Warm up both paths (JIT, plan caches, connections) on days of their own.
  const warmDay = 3 * daysPerPath + 2;
  await runConcurrently(40, CONCURRENCY, async (i) => {
    const { staff: s, start } = slotAt(i, warmDay);
    await create(i, start, staff[s].id);
  });

  // (a) the service path.
  let t0 = performance.now();
  await runConcurrently(OPS, CONCURRENCY, async (i) => {
    const { staff: s, start } = slotAt(i, 0);
    await create(i, start, staff[s].id);
  });
  const serviceSeconds = (performance.now() - t0) / 1000;

  // (a) the bare SQL ceiling: the same two guarded writes, nothing else.
  const bare = (i: number) => {
    const { staff: s, start } = slotAt(i, daysPerPath + 1);
    const end = new Date(start.getTime() + 15 * 60_000);
    const customer = customers[i % customers.length];
    return db.transaction(async (tx) => {
      await tx.query("SELECT id FROM staff WHERE id = $1 FOR UPDATE", [staff[s].id]);
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO bookings (salon_id, service_id, staff_id, customer_id, starts_at, ends_at, block_start,
           block_end, duration_minutes, status, price_halalas, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $5, $6, 15, 'confirmed', 8000, $7, $7) RETURNING id`,
        [salon.id, service.id, staff[s].id, customer, start, end, NOW],
      );
      await tx.query(
        `INSERT INTO booking_events (booking_id, at, actor_user_id, actor_role, kind, to_status)
         VALUES ($1, $2, $3, 'customer', 'created', 'confirmed')`,
        [row.id, NOW, customer],
      );
    });
  };
  await runConcurrently(40, CONCURRENCY, (i) => bare(OPS + 100 + i).then(() => {}));
  t0 = performance.now();
  await runConcurrently(OPS, CONCURRENCY, (i) => bare(i).then(() => {}));
  const bareSeconds = (performance.now() - t0) / 1000;

  // (b) 50 requests for one staff member's slot, ROUNDS times (a fresh slot each round).
  const latencies: number[] = [];
  let wins = 0;
  let conflicts = 0;
  const contendDay = 2 * daysPerPath + 2;
  for (let round = 0; round < ROUNDS; round++) {
    const { staff: s, start } = slotAt(round * STAFF, contendDay);
    await Promise.all(customers.map(async (customer, i) => {
      const began = performance.now();
      try {
        await create(i, start, staff[s].id, customer);
        wins++;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        conflicts++;
      } finally {
        latencies.push(performance.now() - began);
      }
    }));
  }
  latencies.sort((x, y) => x - y);
  if (wins !== ROUNDS) {
    throw new Error(`contention rounds booked ${wins} times, expected ${ROUNDS}`);
  }

  // (c) round trips of one creation through the service, a one-item booking and a visit.
  const counting = countRoundTrips(db);
  const tripDay = 3 * daysPerPath + 4;
  const { staff: s1, start: oneStart } = slotAt(0, tripDay);
  counting.reset();
  await createBooking(counting, {
    customerId: customers[0],
    salon: salon.slug,
    serviceId: service.id,
    staff: staff[s1].id,
    start: oneStart,
    now: NOW,
    actor: { userId: customers[0], role: "customer" },
    idempotency: { key: `bench-${crypto.randomUUID()}`, requestHash: "bench" },
  });
  const oneTrips = counting.trips + AUTH_TRIPS;
  const { start: visitStart } = slotAt(STAFF * 8, tripDay);
  counting.reset();
  await createBooking(counting, {
    customerId: customers[1],
    salon: salon.slug,
    items: [
      { serviceId: service.id, staff: "any", guest: 0 },
      { serviceId: service.id, staff: "any", guest: 0 },
    ],
    start: visitStart,
    now: NOW,
    actor: { userId: customers[1], role: "customer" },
    idempotency: { key: `bench-${crypto.randomUUID()}`, requestHash: "bench" },
  });
  const visitTrips = counting.trips + AUTH_TRIPS;

  const serviceRate = OPS / serviceSeconds;
  const bareRate = OPS / bareSeconds;
  const rows = [
    [
      `createBooking, ${OPS} non-conflicting, ${CONCURRENCY} in flight`,
      `${serviceRate.toFixed(0)} ops/s`,
    ],
    [`bare SQL transaction (ceiling), same`, `${bareRate.toFixed(0)} ops/s`],
    [
      `createBooking / ceiling (target ≥ ${MIN_SHARE * 100} %)`,
      `${((serviceRate / bareRate) * 100).toFixed(1)} % ${
        serviceRate / bareRate >= MIN_SHARE ? "pass" : "FAIL"
      }`,
    ],
    [
      `round trips per request, one item / visit (auth incl.; target ≤ ${MAX_TRIPS})`,
      `${oneTrips} / ${visitTrips} ${
        Math.max(oneTrips, visitTrips) <= MAX_TRIPS ? "pass" : "FAIL"
      }`,
    ],
    [
      `${CONTENDERS} contending for one slot × ${ROUNDS} rounds`,
      `${wins} × 201, ${conflicts} × 409`,
    ],
    ["  latency p50", `${percentile(latencies, 50).toFixed(1)} ms`],
    ["  latency p99", `${percentile(latencies, 99).toFixed(1)} ms`],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  // Shared machines vary: the load average says how much to trust the numbers.
  const load = Deno.loadavg().map((n) => n.toFixed(1)).join(" ");
  console.log(`\nbookings bench (${backend}; ${navigator.hardwareConcurrency} CPUs, load ${load})`);
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value.padStart(16)}`);
  console.log();
}

// A scripted run at load time (`deno bench` evaluates every bench module): Deno.bench would
// repeat the whole measurement to calibrate itself.
const testDb = await createTestDb();
try {
  await measure(testDb.db);
} finally {
  await testDb.close();
}
