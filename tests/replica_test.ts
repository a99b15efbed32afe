/**
 * A real streaming replica (scripts/replica.sh; TEST_REPLICA_URL, set by .ci/run): public reads
 * go to it while it keeps up, writes and their re-checks stay on the primary, a visitor who has
 * just booked reads the primary, and a replica that is behind, stopped or lost is skipped. Replay
 * is paused on the replica to make its lag visible.
 */
import assert from "node:assert/strict";
import { loadConfig } from "@/config.ts";
import { openPostgres } from "@/db/postgres.ts";
import { type ReplicaReads, replicaReads } from "@/db/replica.ts";
import type { Db } from "@/db/types.ts";
import { login } from "./helpers/auth.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { testBackend } from "./helpers/db.ts";
import { makeBooking, makeSalon, makeService, makeStaff } from "./helpers/factories.ts";

const replicaUrl = loadConfig(undefined, { APP_ENV: "test" }).testReplicaUrl;
const ignore = testBackend() !== "postgres" || !replicaUrl;

// The test clock starts at 2026-11-21T09:00Z; the next day is open 09:00–21:00 in Riyadh.
const NOON = "2026-11-22T09:00:00.000Z";
const ONE_PM = "2026-11-22T10:00:00.000Z";

interface Fixture {
  t: TestApp;
  replica: Db;
  salon: { id: string; slug: string };
  service: { id: string; salon_id: string; duration_minutes: number; price_halalas: number };
  staff: { id: string };
}

async function onReplica(t: TestApp, url = replicaUrl!): Promise<Db> {
  const [{ name }] = await t.db.query<{ name: string }>("SELECT current_database() AS name");
  const u = new URL(url);
  u.pathname = `/${name}`;
  return openPostgres(u.toString(), { max: 2 });
}

async function until(check: () => Promise<boolean>, what: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) assert.fail(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A salon on the primary, replayed on the replica; the page cache is off to see every read. */
async function fixture(): Promise<Fixture> {
  const t = await makeTestApp({ PAGE_CACHE_SECONDS: "0" });
  const salon = await makeSalon(t.db);
  const service = await makeService(t.db, salon, { duration_minutes: 60 });
  const staff = await makeStaff(t.db, salon, { services: [service.id] });
  const replica = await onReplica(t);
  await until(
    async () => (await replica.query("SELECT 1 FROM staff WHERE id = $1", [staff.id])).length > 0,
    "the replica replays the salon",
  );
  return { t, replica, salon, service, staff };
}

async function offered(f: Fixture, app: TestApp["app"], cookie = ""): Promise<string[]> {
  const res = await app.request(
    `/api/salons/${f.salon.slug}/slots/?service=${f.service.id}&staff=${f.staff.id}&date=2026-11-22`,
    { headers: cookie ? { cookie } : {} },
  );
  assert.equal(res.status, 200);
  const body = await res.json() as { days: { slots: { start: string }[] }[] };
  return body.days.flatMap((d) => d.slots.map((s) => s.start));
}

async function withPausedReplay<T>(replica: Db, fn: () => Promise<T>): Promise<T> {
  await replica.query("SELECT pg_wal_replay_pause()");
  try {
    return await fn();
  } finally {
    await replica.query("SELECT pg_wal_replay_resume()");
  }
}

async function close(f: Fixture, reads?: ReplicaReads) {
  await reads?.close();
  await f.replica.close().catch(() => {});
  await f.t.close();
}

Deno.test({
  name:
    "replica - public reads come from the replica; writes re-check on the primary; a booker reads the primary",
  ignore,
  async fn() {
    const f = await fixture();
    const reads = replicaReads(await onReplica(f.t), f.t.db, 60_000);
    try {
      assert.equal(await reads.check(), true, "the replica is healthy");
      const app = f.t.instanceOn(f.t.db, reads);
      const alice = await login(f.t, "0512345678");
      await withPausedReplay(f.replica, async () => {
        // Someone takes noon; the paused replica has not seen it.
        await makeBooking(f.t.db, {
          service: f.service,
          staff: f.staff,
          starts_at: new Date(NOON),
        });
        assert.ok((await offered(f, app)).includes(NOON), "the slot list came from the replica");

        const book = (start: string) =>
          app.request("/api/bookings/", {
            method: "POST",
            headers: {
              "content-type": "application/json",
              authorization: `Bearer ${alice.access}`,
              "idempotency-key": crypto.randomUUID(),
            },
            body: JSON.stringify({
              salon: f.salon.slug,
              service: f.service.id,
              staff: f.staff.id,
              start,
            }),
          });
        assert.equal((await book(NOON)).status, 409, "the booking re-checks on the primary");

        const created = await book(ONE_PM);
        assert.equal(created.status, 201);
        const cookie = created.headers.get("set-cookie")?.split(";")[0] ?? "";
        assert.match(cookie, /^primary_until=/);
        const mine = await offered(f, app, cookie);
        assert.ok(!mine.includes(ONE_PM) && !mine.includes(NOON), "the booker reads the primary");
        assert.ok((await offered(f, app)).includes(ONE_PM), "others may read a second behind");
      });
    } finally {
      await close(f, reads);
    }
  },
});

Deno.test({
  name: "replica - further behind than REPLICA_MAX_LAG_MS, reads go to the primary",
  ignore,
  async fn() {
    const f = await fixture();
    const reads = replicaReads(await onReplica(f.t), f.t.db, 1000);
    try {
      assert.equal(await reads.check(), true);
      const app = f.t.instanceOn(f.t.db, reads);
      await withPausedReplay(f.replica, async () => {
        await makeBooking(f.t.db, {
          service: f.service,
          staff: f.staff,
          starts_at: new Date(NOON),
        });
        await until(async () => !(await reads.check()), "the lag is noticed", 5000);
        assert.ok(!(await offered(f, app)).includes(NOON), "read from the primary");
      });
      await until(() => reads.check(), "the replica catches up and is used again");
    } finally {
      await close(f, reads);
    }
  },
});

Deno.test({
  name: "replica - stopped or lost mid-use, the app keeps serving from the primary",
  ignore,
  async fn() {
    const f = await fixture();
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const closedPort = listener.addr.port;
    listener.close(); // nothing listens there: a stopped replica
    const stopped = replicaReads(
      await onReplica(f.t, `postgres://postgres@127.0.0.1:${closedPort}/postgres`),
      f.t.db,
      60_000,
    );
    const lost = replicaReads(await onReplica(f.t), f.t.db, 60_000);
    try {
      assert.equal(await stopped.check(), false);
      assert.ok((await offered(f, f.t.instanceOn(f.t.db, stopped))).includes(NOON));

      assert.equal(await lost.check(), true);
      await makeBooking(f.t.db, { service: f.service, staff: f.staff, starts_at: new Date(NOON) });
      await lost.close(); // its connections end while it is still thought healthy
      const app = f.t.instanceOn(f.t.db, lost);
      assert.ok(!(await offered(f, app)).includes(NOON), "the read fell back to the primary");
    } finally {
      await stopped.close();
      await close(f);
    }
  },
});
