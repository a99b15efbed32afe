import assert from "node:assert/strict";
import type { OutgoingMessage } from "@/services/messages/providers.ts";
import { runWorkerOnce } from "@/services/messages/worker.ts";
import { TestClock } from "./helpers/app.ts";
import { createTestDb, testBackend } from "./helpers/db.ts";
import {
  enqueuePlainMessages,
  makeUser,
  scriptedProvider,
  workerDeps,
} from "./helpers/messages.ts";

const backend = testBackend();
const JOBS = 1000;

Deno.test(`messages (${backend}) - two workers racing over ${JOBS} messages deliver each exactly once`, async () => {
  const testDb = await createTestDb();
  try {
    const clock = new TestClock();
    const { db } = testDb;
    // On Postgres the second worker has its own pool, as a second process would; PGlite has one
    // connection, so both workers share the handle (their statements interleave).
    const other = testDb.openAnother() ?? db;
    const user = await makeUser(db, { preferred_language: "en" });
    await enqueuePlainMessages(db, user, JOBS, clock.now(), "race");
    // A provider that does not deduplicate: a double claim would show as a double delivery.
    const provider = scriptedProvider();
    const byWorker: Record<string, OutgoingMessage[]> = { a: [], b: [] };
    const run = async (name: "a" | "b", handle: typeof db) => {
      const deps = workerDeps(
        {
          name: provider.name,
          channels: provider.channels,
          async send(message) {
            byWorker[name].push(message);
            return await provider.send(message);
          },
        },
        clock.now,
        { workerId: `worker-${name}`, batchSize: 25 },
      );
      while ((await runWorkerOnce(handle, deps)).claimed > 0) {
        // keep going until nothing is due
      }
    };
    await Promise.all([run("a", db), run("b", other)]);

    const keys = provider.delivered.map((d) => d.idempotencyKey);
    assert.equal(keys.length, JOBS, "every message delivered");
    assert.equal(new Set(keys).size, JOBS, "none delivered twice");
    assert.ok(byWorker.a.length > 0 && byWorker.b.length > 0, "both workers took part");
    const [counts] = await db.query<{ sent: number; attempts: number }>(
      "SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, sum(attempts)::int AS attempts FROM messages",
    );
    assert.deepEqual(counts, { sent: JOBS, attempts: JOBS });
  } finally {
    await testDb.close();
  }
});
