/**
 * What one booking leaves in the database: rows per table and bytes (table + indexes) after
 * BOOKINGS customer bookings through `createBooking` (paid at the salon, a staff member with an
 * account and a manager, as in a real salon), so docs/scaling.md can turn bookings per day into
 * database size. Postgres only: a scratch database on BENCH_DATABASE_URL (default the local
 * server), dropped afterwards. `deno bench -A bench/footprint_bench.ts`; prints its own table.
 */
import { migrate } from "@/db/migrate.ts";
import { openPostgres } from "@/db/postgres.ts";
import { setLogLevel } from "@/log.ts";
import { createBooking } from "@/services/bookings/mod.ts";
import { makeSalon, makeService, makeStaff } from "../tests/helpers/factories.ts";

setLogLevel("error");
const SERVER = Deno.env.get("BENCH_DATABASE_URL") ?? "postgres://postgres@127.0.0.1:5432/postgres";
const BOOKINGS = 2000;
const NOW = new Date("2026-11-21T09:00:00Z");
const TABLES = [
  "bookings",
  "booking_events",
  "booking_links",
  "idempotency_keys",
  "messages",
  "users",
];

const name = `salon_footprint_${crypto.randomUUID().slice(0, 8)}`;
const admin = openPostgres(SERVER, { max: 1 });
await admin.exec(`CREATE DATABASE ${name}`);
const url = new URL(SERVER);
url.pathname = `/${name}`;
const db = openPostgres(url.toString(), { max: 4 });

const sizes = async () =>
  new Map(
    (await db.query<{ name: string; bytes: number }>(
      `SELECT c.relname AS name, pg_total_relation_size(c.oid) AS bytes
       FROM pg_class c WHERE c.relname = ANY($1)`,
      [TABLES],
    )).map((r) => [r.name, r.bytes]),
  );
const counts = async () => {
  const out = new Map<string, number>();
  for (const t of TABLES) {
    out.set(t, (await db.query<{ n: number }>(`SELECT count(*) AS n FROM ${t}`))[0].n);
  }
  return out;
};

try {
  await migrate(db);
  const salon = await makeSalon(db);
  const service = await makeService(db, salon, { duration_minutes: 45 });
  const staffIds: string[] = [];
  for (let i = 0; i < 8; i++) {
    const [user] = await db.query<{ id: string }>(
      `INSERT INTO users (phone_number, first_name, is_phone_verified)
       VALUES ($1, 'Staff', true) RETURNING id`,
      [`+96650100${String(i).padStart(4, "0")}`],
    );
    staffIds.push((await makeStaff(db, salon, { services: [service.id], user_id: user.id })).id);
  }
  const [manager] = await db.query<{ id: string }>(
    `INSERT INTO users (phone_number, first_name, is_phone_verified)
     VALUES ('+966501999999', 'Manager', true) RETURNING id`,
  );
  await db.query(
    "INSERT INTO salon_memberships (user_id, salon_id, role) VALUES ($1, $2, 'manager')",
    [manager.id, salon.id],
  );
  await db.query("VACUUM ANALYZE");
  const bytesBefore = await sizes();
  const rowsBefore = await counts();
  for (let n = 0; n < BOOKINGS; n++) {
    const [customer] = await db.query<{ id: string }>(
      `INSERT INTO users (phone_number, first_name, is_phone_verified)
       VALUES ($1, 'Customer', true) RETURNING id`,
      [`+9665${String(20_000_000 + n).padStart(8, "0")}`],
    );
    // Eight staff, 12 one-hour starts a day from 09:00 Riyadh, from tomorrow on.
    const k = Math.floor(n / staffIds.length);
    const start = new Date(
      Date.parse("2026-11-22T06:00:00Z") + Math.floor(k / 12) * 86_400_000 + (k % 12) * 3_600_000,
    );
    await createBooking(db, {
      customerId: customer.id,
      salon: salon.id,
      serviceId: service.id,
      staff: staffIds[n % staffIds.length],
      start,
      now: NOW,
      actor: { userId: customer.id, role: "customer" },
      idempotency: { key: `fp-${n}`, requestHash: "fp" },
    });
  }
  await db.query("VACUUM ANALYZE");
  const bytesAfter = await sizes();
  const rowsAfter = await counts();
  console.log(`\nfootprint: per booking, over ${BOOKINGS} bookings (paid at the salon)`);
  console.log("table | rows per booking | bytes per booking (table + indexes)");
  let total = 0;
  for (const t of TABLES) {
    const rows = (rowsAfter.get(t)! - rowsBefore.get(t)!) / BOOKINGS;
    const bytes = (bytesAfter.get(t)! - bytesBefore.get(t)!) / BOOKINGS;
    total += bytes;
    console.log(`${t} | ${rows.toFixed(2)} | ${Math.round(bytes)}`);
  }
  console.log(`all | | ${Math.round(total)}`);
} finally {
  await db.close();
  await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.close();
}

Deno.bench({ name: "footprint - printed above (measured once at load)", n: 1, warmup: 0, fn() {} });
