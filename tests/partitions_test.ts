/**
 * Monthly partitions (migration 0016) for the tables that only grow: the conversion keeps what the
 * table had, rows land in their month, and the retention job creates the coming months and drops
 * login-code months past retention.
 */
import assert from "node:assert/strict";
import type { Queryable } from "@/db/types.ts";
import { maintainPartitions } from "@/services/privacy/partitions.ts";
import { runRetention } from "@/services/privacy/retention.ts";
import { createTestDb, testBackend } from "./helpers/db.ts";

const backend = testBackend();

/** Where each row of `table` is stored, by id. */
async function partitionsOf(db: Queryable, table: string): Promise<string[]> {
  return (await db.query<{ part: string }>(
    `SELECT tableoid::regclass::text AS part FROM ${table} ORDER BY id`,
  )).map((r) => r.part);
}

Deno.test(`partitions (${backend}) - the conversion keeps every column, default, check, index, foreign key and trigger`, async () => {
  const { db, close } = await createTestDb();
  try {
    await db.exec(`
      CREATE TABLE ledger (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid REFERENCES users ON DELETE CASCADE,
        amount integer NOT NULL DEFAULT 7 CHECK (amount >= 0),
        note text,
        at timestamptz NOT NULL
      );
      CREATE INDEX ledger_user ON ledger (user_id, at DESC);
      CREATE INDEX ledger_notes ON ledger (at) WHERE note IS NOT NULL;
      CREATE FUNCTION ledger_touch() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN NEW.note := coalesce(NEW.note, 'touched'); RETURN NEW; END $$;
      CREATE TRIGGER ledger_touch BEFORE INSERT ON ledger FOR EACH ROW EXECUTE FUNCTION ledger_touch();
      INSERT INTO ledger (at) VALUES ('2024-03-15T10:00:00Z'), (now());
    `);
    const shape = async () => ({
      columns: await db.query(
        `SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns
         WHERE table_name = 'ledger' ORDER BY ordinal_position`,
      ),
      indexes: (await db.query<{ def: string }>(
        `SELECT regexp_replace(indexdef, '^.* USING ', '') AS def FROM pg_indexes
         WHERE tablename = 'ledger' AND indexname <> 'ledger_pkey' ORDER BY indexname`,
      )).map((r) => r.def),
      constraints: await db.query(
        `SELECT conname, contype, pg_get_constraintdef(oid) AS def FROM pg_constraint
         WHERE conrelid = 'ledger'::regclass AND contype <> 'p' ORDER BY conname`,
      ),
      triggers: await db.query(
        `SELECT tgname FROM pg_trigger WHERE tgrelid = 'ledger'::regclass AND NOT tgisinternal`,
      ),
    });
    const before = await shape();
    await db.query("SELECT partition_by_month('ledger', 'at')");
    assert.deepEqual(await shape(), before);
    const [{ pk }] = await db.query<{ pk: string }>(
      "SELECT pg_get_constraintdef(oid) AS pk FROM pg_constraint WHERE conname = 'ledger_pkey'",
    );
    assert.equal(pk, "PRIMARY KEY (id, at)");
    const parts = await db.query<{ at: Date; part: string; note: string }>(
      "SELECT at, tableoid::regclass::text AS part, note FROM ledger ORDER BY at",
    );
    assert.equal(parts.length, 2, "every row was copied");
    assert.equal(parts[0].part, "ledger_p202403", "the oldest month got its own partition");
    const [fresh] = await db.query<{ note: string; amount: number; part: string }>(
      `INSERT INTO ledger (at) VALUES ('2024-03-20T00:00:00Z')
       RETURNING note, amount, tableoid::regclass::text AS part`,
    );
    assert.deepEqual(fresh, { note: "touched", amount: 7, part: "ledger_p202403" });
  } finally {
    await close();
  }
});

Deno.test(`partitions (${backend}) - audit rows wait in the default partition until their month is created`, async () => {
  const { db, close } = await createTestDb();
  try {
    const at = new Date("2031-05-10T08:00:00Z");
    await db.query(
      "INSERT INTO audit_log (actor_role, action, entity, at) VALUES ('system', 'x.y', 'x', $1)",
      [at],
    );
    assert.deepEqual(await partitionsOf(db, "audit_log"), ["audit_log_default"]);
    const result = await maintainPartitions(db, at, { otpDays: 30 });
    assert.equal(result.created, 6, "May, June and July 2031 for both tables");
    assert.deepEqual(await partitionsOf(db, "audit_log"), ["audit_log_p203105"]);
    const again = await maintainPartitions(db, at, { otpDays: 30 });
    assert.equal(again.created, 0, "idempotent");
  } finally {
    await close();
  }
});

Deno.test(`partitions (${backend}) - login-code months past retention are dropped once empty`, async () => {
  const { db, close } = await createTestDb();
  try {
    const now = new Date("2031-05-10T08:00:00Z");
    await maintainPartitions(db, new Date("2031-02-01T00:00:00Z"), { otpDays: 30 });
    const code = (createdAt: string) =>
      db.query(
        `INSERT INTO otp_requests (phone_number, channel, purpose, provider, created_at, expires_at)
         VALUES ('+966512345678', 'sms', 'auth', 'console', $1, $1::timestamptz + interval '5 minutes')`,
        [createdAt],
      );
    await code("2031-02-15T00:00:00Z");
    await code("2031-04-20T00:00:00Z");
    // March is empty and over; February still holds a row until the job deletes it.
    assert.deepEqual((await maintainPartitions(db, now, { otpDays: 30 })).dropped, [
      "otp_requests_p203103",
    ]);
    await runRetention(db, now, { otpDays: 30, messageBodyDays: 180 });
    const { dropped } = await maintainPartitions(db, now, { otpDays: 30 });
    assert.deepEqual(dropped, ["otp_requests_p203102"]);
    assert.deepEqual(await partitionsOf(db, "otp_requests"), ["otp_requests_p203104"]);
  } finally {
    await close();
  }
});
