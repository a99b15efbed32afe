/**
 * The hot queries as the big tables grow: the outbox worker's claim, a manager's agenda and the
 * slot loader, on one salon whose coming month is the same at every size, while `bookings` and
 * `messages` hold N rows of other salons' and past activity (GROWTH_BENCH_ROWS, default
 * "10000,10000000") and the salon's own history grows with them (N / 1000 past bookings). Also the bytes each row costs with its indexes, for docs/scaling.md.
 *
 * Postgres only: a scratch database on BENCH_DATABASE_URL (default the local server) per size,
 * filled with generate_series on the server (triggers off: the rows are valid by construction)
 * and dropped afterwards. Ten million rows take several minutes to write: run it on its own,
 * `deno bench -A bench/growth_bench.ts`. The measurement runs once when `deno bench` loads this
 * file and prints its own table.
 */
import { migrate } from "@/db/migrate.ts";
import { openPostgres } from "@/db/postgres.ts";
import type { Db, Queryable } from "@/db/types.ts";
import { setLogLevel } from "@/log.ts";
import type { SessionUser } from "@/services/auth/users.ts";
import { loadAgenda } from "@/services/dashboard/agenda.ts";
import { claimMessages } from "@/services/messages/worker.ts";
import { listSlots } from "@/services/slots/load.ts";
import { makeSalon, makeService, makeStaff } from "../tests/helpers/factories.ts";

setLogLevel("error");
const SERVER = Deno.env.get("BENCH_DATABASE_URL") ?? "postgres://postgres@127.0.0.1:5432/postgres";
const SIZES = (Deno.env.get("GROWTH_BENCH_ROWS") ?? "10000,10000000").split(",").map(Number);
const RUNS = 200;
/** GROWTH_BENCH_KEEP=1 leaves the databases in place (to EXPLAIN the queries); drop them by hand. */
const KEEP = Deno.env.get("GROWTH_BENCH_KEEP") === "1";
/**
 * GROWTH_BENCH_REUSE="10000000=salon_growth_10000000_ab12cd34": measure a kept database of that
 * size again instead of filling a new one (after a change to the queries).
 */
const REUSE: Record<number, string> = Object.fromEntries(
  (Deno.env.get("GROWTH_BENCH_REUSE") ?? "").split(",").filter(Boolean).map((pair) => {
    const [rows, name] = pair.split("=");
    return [Number(rows), name];
  }),
);
const NOW = new Date("2026-11-21T09:00:00Z");
/** Filler salons each have 5 staff with this many bookings each. */
const PER_STAFF = 1000;

function onDatabase(name: string): string {
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * The measured salon: 10 staff, 300 bookings over the next 30 days, a manager, 50 due messages,
 * and a history of `history` past bookings, still `confirmed` as most past bookings stay.
 */
async function measuredSalon(db: Db, history: number): Promise<void> {
  const salon = await makeSalon(db, { slot_step_minutes: 15 });
  const service = await makeService(db, salon, { duration_minutes: 45, price_halalas: 12000 });
  const staff = [];
  for (let i = 0; i < 10; i++) staff.push(await makeStaff(db, salon, { services: [service.id] }));
  await db.query(
    `INSERT INTO bookings (salon_id, service_id, staff_id, starts_at, ends_at, block_start,
       block_end, duration_minutes, price_halalas, status)
     SELECT $1, $2, ($3::uuid[])[1 + n % 10], t, t + interval '45 minutes', t,
       t + interval '45 minutes', 45, 12000, 'confirmed'
     FROM generate_series(0, 299) n,
       LATERAL (SELECT $4::timestamptz + (n / 10) * interval '1 day' + (n % 10) * interval '1 hour'
                  AS t) s`,
    [salon.id, service.id, staff.map((s) => s.id), NOW],
  );
  await db.query(
    `INSERT INTO bookings (salon_id, service_id, staff_id, starts_at, ends_at, block_start,
       block_end, duration_minutes, price_halalas, status)
     SELECT $1, $2, ($3::uuid[])[1 + n % 10], t, t + interval '45 minutes', t,
       t + interval '45 minutes', 45, 12000, 'confirmed'
     FROM generate_series(0, $5::int - 1) n,
       LATERAL (SELECT $4::timestamptz - (1 + n / 10) * interval '2 hours' AS t) s`,
    [salon.id, service.id, staff.map((s) => s.id), NOW, history],
  );
  const [manager] = await db.query<{ id: string }>(
    `INSERT INTO users (phone_number, first_name, is_phone_verified) VALUES ('+966500000001',
       'Manager', true) RETURNING id`,
  );
  await db.query(
    "INSERT INTO salon_memberships (user_id, salon_id, role) VALUES ($1, $2, 'manager')",
    [manager.id, salon.id],
  );
  await fillMessages(db, 50, "due");
}

/** `count` messages: due now ("due") or sent over the past year ("sent"). */
async function fillMessages(db: Queryable, count: number, kind: "due" | "sent") {
  await db.query(
    `INSERT INTO messages (dedupe_key, kind, event, recipient_role, recipient_phone, channel,
       template, params, locale, status, attempts, max_attempts, run_at, sent_at, created_at,
       updated_at)
     SELECT $2 || g, 'event', 'confirmed', 'customer', '+9665' || lpad((g % 100000000)::text, 8, '0'),
       'sms', 'msg.customer.confirmed', '{}', 'ar', $3, $4, 5, at, $5::timestamptz, at, at
     FROM generate_series(1, $1::int) g,
       LATERAL (SELECT $6::timestamptz - (g % 525600) * interval '1 minute' AS at) s`,
    kind === "due"
      ? [count, "bench:due:", "queued", 0, null, NOW]
      : [count, "bench:sent:", "sent", 1, NOW, NOW],
  );
}

/** `rows` bookings of other salons (5 staff each): 90 % in the past, the rest ahead. */
async function fillBookings(db: Queryable, rows: number) {
  const salons = Math.max(1, Math.round(rows / (5 * PER_STAFF)));
  await db.query(
    `INSERT INTO salons (slug, name_ar, name_en, city, city_ar, city_en)
     SELECT 'filler-' || g, 'صالون ' || g, 'Salon ' || g, 'jeddah', 'جدة', 'Jeddah'
     FROM generate_series(1, $1::int) g`,
    [salons],
  );
  await db.query(
    `INSERT INTO services (salon_id, category, name_ar, name_en, duration_minutes, price_halalas)
     SELECT id, 'hair', 'قص', 'Cut', 60, 10000 FROM salons WHERE slug LIKE 'filler-%'`,
  );
  await db.query(
    `INSERT INTO staff (salon_id, name_ar, name_en)
     SELECT s.id, 'موظفة ' || g, 'Staff ' || g
     FROM salons s, generate_series(1, 5) g WHERE s.slug LIKE 'filler-%'`,
  );
  const future = Math.round(PER_STAFF / 10);
  await db.query(
    `INSERT INTO bookings (salon_id, service_id, staff_id, starts_at, ends_at, block_start,
       block_end, duration_minutes, price_halalas, status, created_at, updated_at)
     SELECT st.salon_id, v.id, st.id, t, t + interval '1 hour', t, t + interval '1 hour', 60,
       10000, 'confirmed', t, t
     FROM staff st JOIN services v ON v.salon_id = st.salon_id
     JOIN salons s ON s.id = st.salon_id AND s.slug LIKE 'filler-%'
     CROSS JOIN generate_series(1, $1::int) k
     CROSS JOIN LATERAL (SELECT $2::timestamptz + (k - $3) * interval '2 hours' AS t) x`,
    [PER_STAFF, NOW, PER_STAFF - future],
  );
}

async function time(fn: () => Promise<unknown>, after?: () => Promise<unknown>) {
  for (let i = 0; i < 5; i++) {
    await fn();
    await after?.();
  }
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await fn();
    ms.push(performance.now() - started);
    await after?.();
  }
  ms.sort((a, b) => a - b);
  return { p50: ms[Math.floor(RUNS / 2)], p99: ms[Math.ceil(RUNS * 0.99) - 1] };
}

/** A scratch database with the measured salon and `rows` rows of filler; returns its name. */
async function fill(admin: Db, rows: number): Promise<{ name: string; fillSeconds: number }> {
  const name = `salon_growth_${rows}_${crypto.randomUUID().slice(0, 8)}`;
  await admin.exec(`CREATE DATABASE ${name}`);
  const db = openPostgres(onDatabase(name), { max: 2 });
  try {
    await migrate(db);
    const started = performance.now();
    // The table grows and so does every salon's own history: a thousandth of the rows.
    await measuredSalon(db, Math.round(rows / 1000));
    // The filler is valid by construction; without triggers it skips foreign-key checks and
    // page-cache announcements (one session, so run as one script).
    await db.transaction(async (tx) => {
      await tx.query("SET LOCAL session_replication_role = replica");
      await fillBookings(tx, rows);
      await fillMessages(tx, rows, "sent");
    });
    await db.query("VACUUM ANALYZE bookings");
    await db.query("VACUUM ANALYZE messages");
    return { name, fillSeconds: (performance.now() - started) / 1000 };
  } finally {
    await db.close();
  }
}

/** Times the three hot queries on the measured salon of database `name`. */
async function measure(name: string) {
  const db = openPostgres(onDatabase(name), { max: 2 });
  try {
    const [{ salon_id, user_id }] = await db.query<{ salon_id: string; user_id: string }>(
      "SELECT salon_id, user_id FROM salon_memberships WHERE role = 'manager' LIMIT 1",
    );
    const [salon] = await db.query<{ id: string; timezone: string }>(
      "SELECT id, timezone FROM salons WHERE id = $1",
      [salon_id],
    );
    const [service] = await db.query<{ id: string }>(
      "SELECT id FROM services WHERE salon_id = $1",
      [salon_id],
    );
    const [user] = await db.query<SessionUser>("SELECT * FROM users WHERE id = $1", [user_id]);
    const actor = {
      user: { ...user, role: "customer", sessionId: "bench", via: "cookie" } as SessionUser,
      now: NOW,
    };
    const sizes = await db.query<{ name: string; rows: number; bytes: number }>(
      `SELECT relname AS name, n_live_tup AS rows, pg_total_relation_size(relid) AS bytes
       FROM pg_stat_user_tables WHERE relname IN ('bookings', 'messages') ORDER BY relname`,
    );
    const claimed: string[] = [];
    const claim = await time(
      async () =>
        claimed.push(
          ...(await claimMessages(db, "bench", NOW, { batchSize: 20 })).map((m) => m.id),
        ),
      async () => {
        await db.query(
          "UPDATE messages SET status = 'queued', locked_by = NULL, locked_until = NULL WHERE id = ANY($1)",
          [claimed.splice(0)],
        );
      },
    );
    const agenda = await time(() => loadAgenda(db, actor, salon));
    const slots = await time(() =>
      listSlots(db, {
        salonId: salon.id,
        serviceId: service.id,
        staff: "any",
        fromDate: "2026-11-22",
        days: 7,
        now: NOW,
      })
    );
    return { sizes, claim, agenda, slots };
  } finally {
    await db.close();
  }
}

const results = [];
const admin = openPostgres(SERVER, { max: 1 });
for (const rows of SIZES) {
  const { name, fillSeconds } = REUSE[rows]
    ? { name: REUSE[rows], fillSeconds: Number.NaN }
    : await fill(admin, rows);
  try {
    results.push({ rows, fillSeconds, ...await measure(name) });
  } finally {
    if (KEEP || REUSE[rows]) console.log(`kept ${onDatabase(name)}`);
    else await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}
await admin.close();

const ms = (n: number) => n.toFixed(2);
console.log("\ngrowth: the same salon's hot queries with N other rows in bookings and messages");
console.log(
  "rows in each | worker claim (20) p50/p99 | agenda p50/p99 | slots 7 days p50/p99 | bytes/row bookings, messages | fill s",
);
for (const r of results) {
  const perRow = r.sizes.map((s) => Math.round(s.bytes / Math.max(1, s.rows))).join(", ");
  console.log(
    `${r.rows.toLocaleString("en")} | ${ms(r.claim.p50)} / ${ms(r.claim.p99)} ms | ` +
      `${ms(r.agenda.p50)} / ${ms(r.agenda.p99)} ms | ${ms(r.slots.p50)} / ${
        ms(r.slots.p99)
      } ms | ` +
      `${perRow} | ${Number.isNaN(r.fillSeconds) ? "reused" : r.fillSeconds.toFixed(0)}`,
  );
}

Deno.bench({ name: "growth - printed above (measured once at load)", n: 1, warmup: 0, fn() {} });
