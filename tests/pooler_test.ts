/**
 * Behind a transaction-pooling pooler (PgBouncer in `pool_mode = transaction`, started here on a
 * free port): each transaction may run on another server connection, so nothing may stay on one
 * (named prepared statements, session advisory locks, LISTEN). The whole suite also runs through
 * such a pooler in .ci/run; this file covers what only a pooler shows. Postgres server only.
 */
import assert from "node:assert/strict";
import { openPostgres } from "@/db/postgres.ts";
import type { Db } from "@/db/types.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { testBackend, testServerEnv } from "./helpers/db.ts";
import { makeSalon, makeService, makeStaff } from "./helpers/factories.ts";
import { hasPgbouncer, startPgbouncer } from "./helpers/pgbouncer.ts";

const ignore = testBackend() !== "postgres" || !hasPgbouncer();

/** The server itself (not TEST_DATABASE_URL, which may be a pooler already). */
const server = () => {
  const env = testServerEnv("postgres");
  return env.DATABASE_DIRECT_URL ?? env.DATABASE_URL;
};

function onDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** An app instance whose handle goes through a fresh PgBouncer, with or without a direct URL. */
async function withPooledApp(
  options: { direct: boolean },
  fn: (t: TestApp, app: TestApp["app"], db: Db) => Promise<void>,
) {
  const pooler = await startPgbouncer(server());
  const t = await makeTestApp();
  const [{ name }] = await t.db.query<{ name: string }>("SELECT current_database() AS name");
  const db = openPostgres(onDatabase(pooler.url, name), {
    pooled: true,
    directUrl: options.direct ? onDatabase(server(), name) : undefined,
  });
  try {
    await fn(t, t.instanceOn(db), db);
  } finally {
    await db.close();
    await t.close();
    await pooler.stop();
  }
}

async function salonFixture(t: TestApp) {
  const salon = await makeSalon(t.db, { name_en: "Pooled Salon" });
  const service = await makeService(t.db, salon, { name_en: "Silk Press", price_halalas: 15000 });
  await makeStaff(t.db, salon, { services: [service.id], name_en: "Noura" });
  return { salon, service };
}

const textOf = async (app: TestApp["app"], path: string) => {
  const res = await app.request(path, { headers: { "accept-language": "en" } });
  assert.equal(res.status, 200, path);
  return await res.text();
};

Deno.test({
  name: "pooler - no named prepared statement stays on a server connection",
  ignore,
  fn: () =>
    withPooledApp({ direct: false }, async (_t, _app, db) => {
      const count = await db.transaction(async (tx) => {
        await tx.query("SELECT $1::int AS x", [1]);
        await tx.query("SELECT $1::int AS x", [2]);
        const [{ n }] = await tx.query<{ n: number }>(
          "SELECT count(*) AS n FROM pg_prepared_statements",
        );
        return n;
      });
      assert.equal(count, 0, "the next transaction may run on another server connection");
    }),
});

Deno.test({
  name:
    "pooler - with DATABASE_DIRECT_URL, a change ends cached public pages at once (LISTEN goes direct)",
  ignore,
  fn: () =>
    withPooledApp({ direct: true }, async (t, app) => {
      const { salon, service } = await salonFixture(t);
      const path = `/salons/${salon.slug}`;
      assert.match(await textOf(app, path), /Silk Press/);
      await t.db.query("UPDATE services SET name_en = 'Keratin' WHERE id = $1", [service.id]);
      const deadline = Date.now() + 5000;
      while (!(await textOf(app, path)).includes("Keratin")) {
        if (Date.now() > deadline) assert.fail("the change did not end the cached page");
        await new Promise((r) => setTimeout(r, 25));
      }
    }),
});

Deno.test({
  name:
    "pooler - without a direct URL, public pages are cached for PAGE_CACHE_SECONDS only, with a warning",
  ignore,
  fn: () =>
    withPooledApp({ direct: false }, async (t, app) => {
      const { salon, service } = await salonFixture(t);
      const path = `/salons/${salon.slug}`;
      const warnings: string[] = [];
      const original = console.error;
      console.error = (...args: unknown[]) => warnings.push(args.join(" "));
      try {
        assert.match(await textOf(app, path), /Silk Press/);
      } finally {
        console.error = original;
      }
      assert.ok(
        warnings.some((w) => w.includes('"page_cache.time_limited"')),
        `a warning says pages are time-limited: ${warnings.join("\n")}`,
      );
      await t.db.query("UPDATE services SET name_en = 'Keratin' WHERE id = $1", [service.id]);
      await new Promise((r) => setTimeout(r, 300));
      assert.match(await textOf(app, path), /Silk Press/, "kept: nothing announced the change");
      t.clock.advance(t.config.pageCache.ttlMs);
      assert.match(await textOf(app, path), /Keratin/, "rendered again once its time was up");
    }),
});
