import assert from "node:assert/strict";
import { migrate, type Migration } from "@/db/migrate.ts";
import { DbError, PG_UNIQUE_VIOLATION } from "@/db/types.ts";
import { createTestDb, testBackend } from "./helpers/db.ts";

Deno.test(`db (${testBackend()}) - values come back with the same types on both back ends`, async () => {
  const { db, close } = await createTestDb();
  try {
    const [row] = await db.sql<Record<string, unknown>>`
      SELECT 5::int8 AS big, 2.5::numeric AS num, '2026-03-01'::date AS day,
             ${"2026-03-01T10:00:00Z"}::timestamptz AS at, ${{ a: [1, "x"] }}::jsonb AS doc,
             ${["a", "b"]}::text[] AS list, ${null}::text AS nothing, true AS flag`;
    assert.equal(row.big, 5);
    assert.equal(row.num, 2.5);
    assert.equal(row.day, "2026-03-01");
    assert.ok(row.at instanceof Date);
    assert.equal((row.at as Date).toISOString(), "2026-03-01T10:00:00.000Z");
    assert.deepEqual(row.doc, { a: [1, "x"] });
    assert.deepEqual(row.list, ["a", "b"]);
    assert.equal(row.nothing, null);
    assert.equal(row.flag, true);
  } finally {
    await close();
  }
});

Deno.test(`db (${testBackend()}) - interpolated values are parameters, never SQL`, async () => {
  const { db, close } = await createTestDb();
  try {
    const hostile = "x'); DROP TABLE schema_migrations; --";
    const before = (await db.query("SELECT count(*) AS n FROM schema_migrations"))[0].n;
    const [row] = await db.sql<{ v: string }>`SELECT ${hostile}::text AS v`;
    assert.equal(row.v, hostile);
    assert.equal((await db.query("SELECT count(*) AS n FROM schema_migrations"))[0].n, before);
  } finally {
    await close();
  }
});

Deno.test(`db (${testBackend()}) - transactions commit, roll back, and nest as savepoints`, async (t) => {
  const { db, close } = await createTestDb();
  try {
    await db.exec("CREATE TABLE t (id int PRIMARY KEY, v text)");
    await t.step("commit keeps every statement", async () => {
      await db.transaction(async (tx) => {
        await tx.query("INSERT INTO t VALUES (1, 'a')");
        await tx.query("INSERT INTO t VALUES (2, 'b')");
      });
      assert.equal((await db.query("SELECT count(*) AS n FROM t"))[0].n, 2);
    });
    await t.step("a throw rolls back everything in the transaction", async () => {
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query("INSERT INTO t VALUES (3, 'c')");
          throw new Error("boom");
        }),
        /boom/,
      );
      assert.equal((await db.query("SELECT count(*) AS n FROM t WHERE id = 3"))[0].n, 0);
    });
    await t.step("a failed savepoint rolls back only itself", async () => {
      await db.transaction(async (tx) => {
        await tx.query("INSERT INTO t VALUES (4, 'd')");
        await assert.rejects(
          tx.transaction((inner) => inner.query("INSERT INTO t VALUES (1, 'dup')")),
          (err: unknown) => err instanceof DbError && err.code === PG_UNIQUE_VIOLATION,
        );
        await tx.query("INSERT INTO t VALUES (5, 'e')");
      });
      const ids = (await db.query<{ id: number }>("SELECT id FROM t ORDER BY id")).map((r) => r.id);
      assert.deepEqual(ids, [1, 2, 4, 5]);
    });
    await t.step("constraint errors carry code and constraint name", async () => {
      const err = await db.query("INSERT INTO t VALUES (1, 'x')").catch((e) => e);
      assert.ok(err instanceof DbError);
      assert.equal(err.code, PG_UNIQUE_VIOLATION);
      assert.equal(err.constraint, "t_pkey");
    });
  } finally {
    await close();
  }
});

Deno.test(`db (${testBackend()}) - concurrent transactions never see each other's uncommitted work`, async () => {
  const { db, close } = await createTestDb();
  try {
    await db.exec(
      "CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL); INSERT INTO counter VALUES (1, 0)",
    );
    const observedInside: number[] = [];
    const work = Array.from({ length: 40 }, (_, i) => {
      if (i % 4 === 0) {
        // Plain reads racing the transactions must only ever see committed, even values.
        return db.query<{ n: number }>("SELECT n FROM counter WHERE id = 1").then(([r]) => {
          assert.equal(r.n % 2, 0, `read saw a half-done transaction: ${r.n}`);
        });
      }
      return db.transaction(async (tx) => {
        const [{ n }] = await tx.query<{ n: number }>(
          "SELECT n FROM counter WHERE id = 1 FOR UPDATE",
        );
        await tx.query("UPDATE counter SET n = $1 WHERE id = 1", [n + 1]);
        await new Promise((r) => setTimeout(r, 1));
        const [mid] = await tx.query<{ n: number }>("SELECT n FROM counter WHERE id = 1");
        observedInside.push(mid.n - n);
        await tx.query("UPDATE counter SET n = $1 WHERE id = 1", [n + 2]);
        if (i % 5 === 0) throw new Error("rolled back on purpose");
      }).catch((err) => {
        if (!(err instanceof Error && err.message === "rolled back on purpose")) throw err;
      });
    });
    await Promise.all(work);
    const committed = Array.from({ length: 40 }, (_, i) => i).filter((i) =>
      i % 4 !== 0 && i % 5 !== 0
    );
    assert.equal(
      (await db.query<{ n: number }>("SELECT n FROM counter"))[0].n,
      committed.length * 2,
    );
    assert.ok(observedInside.every((d) => d === 1), "a transaction saw another's statements");
  } finally {
    await close();
  }
});

Deno.test(`migrations (${testBackend()}) - concurrent migrators apply each file exactly once`, async () => {
  const { db, openAnother, close } = await createTestDb();
  try {
    const extra: Migration[] = [
      {
        version: "9001",
        name: "a",
        sql: "CREATE TABLE mig_a (id int); INSERT INTO mig_a VALUES (1);",
      },
      { version: "9002", name: "b", sql: "INSERT INTO mig_a VALUES (2);" },
    ];
    const other = openAnother() ?? db;
    const results = await Promise.all([
      migrate(db, extra),
      migrate(other, extra),
      migrate(db, extra),
    ]);
    assert.deepEqual(results.flat().sort(), ["9001", "9002"]);
    const rows = await db.query<{ id: number }>("SELECT id FROM mig_a ORDER BY id");
    assert.deepEqual(rows.map((r) => r.id), [1, 2]);
  } finally {
    await close();
  }
});

Deno.test(`migrations (${testBackend()}) - a failing migration leaves nothing half-applied`, async () => {
  const { db, close } = await createTestDb();
  try {
    const broken: Migration[] = [
      { version: "9101", name: "ok", sql: "CREATE TABLE good (id int);" },
      {
        version: "9102",
        name: "broken",
        sql:
          "CREATE TABLE half (id int);\nINSERT INTO half VALUES (1);\nSELECT no_such_function();",
      },
    ];
    await assert.rejects(migrate(db, broken));
    const tables = await db.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_name IN ('good', 'half')",
    );
    assert.deepEqual(tables.map((t) => t.name), ["good"]);
    const versions = await db.query<{ version: string }>(
      "SELECT version FROM schema_migrations WHERE version LIKE '91%'",
    );
    assert.deepEqual(versions.map((v) => v.version), ["9101"]);
  } finally {
    await close();
  }
});

Deno.test(`db (${testBackend()}) - results are plain arrays of plain rows on both back ends`, async () => {
  const { db, close } = await createTestDb();
  try {
    const rows = await db.query("SELECT 1 AS one WHERE false");
    assert.deepEqual(rows, []);
    assert.equal(Object.getPrototypeOf(rows), Array.prototype);
    assert.deepEqual(await db.query("SELECT 1 AS one"), [{ one: 1 }]);
  } finally {
    await close();
  }
});
