/**
 * Migration 0018 (visits) loses nothing: on the demo data and on rows of every booking status,
 * payment status and message kind and status written before it, every booking becomes exactly one
 * guest and one item carrying its service, staff, times, block, buffers, duration and price; only
 * pending and confirmed items block; no other table's rows change; and the database now refuses
 * an overlapping item.
 */
import assert from "node:assert/strict";
import { loadMigrations, migrate } from "@/db/migrate.ts";
import type { Queryable } from "@/db/types.ts";
import { DbError, PG_EXCLUSION_VIOLATION } from "@/db/types.ts";
import { seedDemoData } from "@/db/seed.ts";
import { createTestDb, testBackend } from "./helpers/db.ts";

const B = testBackend();
const NOW = new Date("2026-11-21T09:00:00Z");

/** One row per booking status, each with payments and messages of every kind and status. */
async function everyKind(db: Queryable) {
  const [ctx] = await db.query<{ salon: string; service: string; staff: string; user: string }>(
    `SELECT s.id AS salon, v.id AS service, st.id AS staff,
            (SELECT id FROM users ORDER BY created_at LIMIT 1) AS "user"
     FROM salons s JOIN services v ON v.salon_id = s.id
     JOIN staff_services ss ON ss.service_id = v.id JOIN staff st ON st.id = ss.staff_id
     ORDER BY s.slug, v.name_en, st.name_en LIMIT 1`,
  );
  const statuses = ["pending", "confirmed", "completed", "no_show", "cancelled", "expired"];
  const paymentStatuses = [
    ["initiated", 0, 0, 0],
    ["failed", 0, 0, 0],
    ["authorized", 5000, 0, 0],
    ["paid", 0, 5000, 0],
    ["captured", 5000, 5000, 0],
    ["partially_refunded", 0, 5000, 1000],
    ["refunded", 0, 5000, 5000],
    ["voided", 5000, 0, 0],
  ] as const;
  const messageStatuses = ["queued", "sending", "sent", "failed", "dead", "cancelled"];
  let n = 0;
  for (const [i, status] of statuses.entries()) {
    // Far in the future, two hours apart, so they never meet each other or the demo.s bookings.
    const start = new Date(Date.UTC(2027, 5, 1, 2 + 2 * i));
    const [b] = await db.query<{ id: string }>(
      `INSERT INTO bookings (salon_id, service_id, staff_id, customer_id, starts_at, ends_at,
         block_start, block_end, duration_minutes, buffer_before_minutes, buffer_after_minutes,
         status, hold_expires_at, price_halalas, deposit_halalas, payment_mode, cancelled_by)
       VALUES ($1, $2, $3, $4, $5, $5::timestamptz + interval '50 minutes',
         $5::timestamptz - interval '5 minutes', $5::timestamptz + interval '60 minutes', 50, 5, 10,
         $6, $7, 23000, 5000, 'deposit', $8)
       RETURNING id`,
      [
        ctx.salon,
        ctx.service,
        ctx.staff,
        ctx.user,
        start,
        status,
        status === "pending" || status === "expired" ? new Date(NOW.getTime() + 600_000) : null,
        status === "cancelled" ? "salon" : null,
      ],
    );
    // Its own payment status (the two left over go to bookings below: neither is open).
    const [status2, authorized, captured, refunded] = paymentStatuses[i];
    await db.query(
      `INSERT INTO payments (booking_id, salon_id, customer_id, purpose, status, amount_halalas,
         authorized_halalas, captured_halalas, refunded_halalas, provider_payment_id,
         description, locale, created_at, updated_at)
       VALUES ($1, $2, $3, 'deposit', $4, 5000, $5, $6, $7, $8, 'Deposit', 'ar', $9, $9)`,
      [b.id, ctx.salon, ctx.user, status2, authorized, captured, refunded, `pay_${n++}`, NOW],
    );
    for (const kind of ["event", "reminder"]) {
      await db.query(
        `INSERT INTO messages (dedupe_key, kind, booking_id, event, recipient_user_id,
           recipient_role, recipient_phone, channel, template, params, locale, status, run_at,
           max_attempts, locked_by, locked_until, sent_at, created_at, updated_at)
         VALUES ($1, $2, $3, 'created', $4, 'customer', '+966500000000', 'whatsapp',
           'msg.customer.confirmed', '{}', 'ar', $5, $6, 3,
           CASE WHEN $5 = 'sending' THEN 'worker-1' END,
           CASE WHEN $5 = 'sending' THEN $6::timestamptz + interval '1 minute' END,
           CASE WHEN $5 = 'sent' THEN $6::timestamptz END, $6, $6)`,
        [`m-${n++}`, kind, b.id, ctx.user, messageStatuses[i], NOW],
      );
    }
  }
  for (const status of paymentStatuses.map((p) => p[0])) {
    const [row] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM payments WHERE status = $1",
      [status],
    );
    if (row.n === 0) {
      const [b] = await db.query<{ id: string }>("SELECT id FROM bookings LIMIT 1");
      const [, authorized, captured, refunded] = paymentStatuses.find((p) => p[0] === status)!;
      await db.query(
        `INSERT INTO payments (booking_id, salon_id, customer_id, purpose, status, amount_halalas,
           authorized_halalas, captured_halalas, refunded_halalas, provider_payment_id,
           description, locale, created_at, updated_at)
         VALUES ($1, $2, $3, 'full', $4, 5000, $5, $6, $7, $8, 'Full', 'en', $9, $9)`,
        [b.id, ctx.salon, ctx.user, status, authorized, captured, refunded, `pay_${n++}`, NOW],
      );
    }
  }
}

/**
 * The demo data as the schema before 0018 holds it. seedDemoData is written for the current
 * schema (later migrations add columns it fills), so it seeds a fully migrated database and every
 * table that exists before 0018 gets that table's rows, restricted to its columns then.
 */
async function demoDataBefore0018(target: Queryable) {
  const source = await createTestDb();
  try {
    await seedDemoData(source.db, NOW);
    const tables = (await target.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
         AND c.relname <> 'schema_migrations'`,
    )).map((r) => r.name);
    // Rows are copied as they are (rows the migrations wrote themselves stay): no triggers or foreign-key checks while loading.
    await target.exec("SET session_replication_role = replica");
    for (const table of tables) {
      const columns = (await target.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER'
         ORDER BY ordinal_position`,
        [table],
      )).map((r) => `"${r.column_name}"`).join(", ");
      const [{ rows }] = await source.db.query<{ rows: unknown[] | null }>(
        `SELECT json_agg(t) AS rows FROM "${table}" t`,
      );
      if (!rows) continue;
      await target.query(
        `INSERT INTO "${table}" (${columns}) OVERRIDING SYSTEM VALUE
         SELECT ${columns} FROM json_populate_recordset(NULL::"${table}", $1::json)
         ON CONFLICT DO NOTHING`,
        [rows],
      );
    }
    await target.exec("SET session_replication_role = DEFAULT");
    // Serial columns continue after the copied rows.
    const serials = await target.query<{ seq: string; tbl: string; col: string }>(
      `SELECT pg_get_serial_sequence(format('%I', c.table_name), c.column_name) AS seq,
              c.table_name AS tbl, c.column_name AS col
       FROM information_schema.columns c
       WHERE c.table_schema = 'public'
         AND pg_get_serial_sequence(format('%I', c.table_name), c.column_name) IS NOT NULL`,
    );
    for (const { seq, tbl, col } of serials) {
      await target.query(
        `SELECT setval($1, GREATEST((SELECT max("${col}") FROM "${tbl}"), 1))`,
        [seq],
      );
    }
  } finally {
    await source.close();
  }
}

/** Every table's rows as one fingerprint per table (order-independent). */
async function fingerprints(db: Queryable, tables: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of tables) {
    const [row] = await db.query<{ f: string | null; n: number }>(
      `SELECT md5(string_agg(md5(t::text), ',' ORDER BY md5(t::text))) AS f, count(*)::int AS n
       FROM "${table}" t`,
    );
    out[table] = `${row.n}:${row.f}`;
  }
  return out;
}

Deno.test(`visits migration (${B}) - every booking becomes one guest and one item; nothing else changes`, async () => {
  const all = await loadMigrations();
  const before = all.filter((m) => m.version < "0018");
  const { db, close } = await createTestDb(before);
  try {
    await demoDataBefore0018(db);
    await everyKind(db);
    const tables = (await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
       WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
         AND table_name NOT IN ('schema_migrations', 'bookings')
         AND table_name NOT LIKE '%\\_p20%'`,
    )).map((r) => r.table_name);
    const kept = await fingerprints(db, tables);
    const bookings = await db.query<Record<string, unknown>>(
      `SELECT id, service_id, staff_id, starts_at, ends_at, block_start, block_end,
              duration_minutes, buffer_before_minutes, buffer_after_minutes, price_halalas, status
       FROM bookings ORDER BY id`,
    );
    const statuses = new Set(bookings.map((b) => b.status));
    assert.ok(bookings.length > 6 * 2, `the demo bookings are there too: ${bookings.length}`);
    assert.equal(statuses.size, 6, `every status present: ${[...statuses]}`);

    // 0018 alone first: later migrations add columns to other tables on purpose.
    await migrate(db, all.filter((m) => m.version <= "0018"));

    assert.deepEqual(await fingerprints(db, tables), kept, "no other table changed");
    const items = await db.query<Record<string, unknown>>(
      `SELECT b.id, i.service_id, i.staff_id, i.starts_at, i.ends_at, i.block_start, i.block_end,
              i.duration_minutes, i.buffer_before_minutes, i.buffer_after_minutes,
              i.price_halalas, b.status, i.blocking, i.guest, i.position,
              (SELECT count(*)::int FROM booking_items x WHERE x.booking_id = b.id) AS items,
              (SELECT count(*)::int FROM booking_guests g WHERE g.booking_id = b.id) AS guests
       FROM bookings b JOIN booking_items i ON i.booking_id = b.id ORDER BY b.id`,
    );
    assert.equal(items.length, bookings.length, "one item per booking");
    for (const [k, b] of bookings.entries()) {
      const { blocking, guest, position, items: count, guests, ...same } = items[k];
      assert.deepEqual(same, b, `booking ${b.id} carried over`);
      assert.equal(blocking, b.status === "pending" || b.status === "confirmed");
      assert.deepEqual([guest, position, count, guests], [0, 0, 1, 1]);
    }

    await migrate(db, all);
    // The guard moved to items: an overlapping item is refused whatever inserts it.
    const [busy] = await db.query<{ booking_id: string; staff_id: string; salon_id: string }>(
      "SELECT booking_id, staff_id, salon_id FROM booking_items WHERE blocking LIMIT 1",
    );
    await assert.rejects(
      db.query(
        `INSERT INTO booking_items (booking_id, salon_id, guest, position, service_id, staff_id,
           starts_at, ends_at, block_start, block_end, duration_minutes, buffer_before_minutes,
           buffer_after_minutes, price_halalas)
         SELECT booking_id, salon_id, 0, 9, service_id, staff_id, starts_at, ends_at, block_start,
           block_end, duration_minutes, buffer_before_minutes, buffer_after_minutes, 0
         FROM booking_items WHERE booking_id = $1 AND position = 0`,
        [busy.booking_id],
      ),
      (err) => err instanceof DbError && err.code === PG_EXCLUSION_VIOLATION,
    );
  } finally {
    await close();
  }
});
