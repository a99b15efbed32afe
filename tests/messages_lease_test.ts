/**
 * One message, one delivery: with several workers and a provider slower than a worker's lease on
 * its batch, a message is sent only by the worker that holds it right before the send.
 */
import assert from "node:assert/strict";
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
const MESSAGES = 20;

Deno.test(`messages (${backend}) - two workers, a provider taking 7 s a send: no message is sent twice`, async () => {
  const testDb = await createTestDb();
  try {
    const clock = new TestClock();
    const { db } = testDb;
    const other = testDb.openAnother() ?? db;
    const user = await makeUser(db, { preferred_language: "en" });
    await enqueuePlainMessages(db, user, MESSAGES, clock.now(), "slow");
    const provider = scriptedProvider();
    const slow = {
      name: provider.name,
      channels: provider.channels,
      async send(message: Parameters<typeof provider.send>[0]) {
        clock.advance(7_000); // a WhatsApp API answering slowly
        await new Promise((r) => setTimeout(r, 5));
        return await provider.send(message);
      },
    };
    // Each worker claims the whole batch with a 60 s lease; the 10th send starts after it lapsed.
    const run = async (name: string, handle: typeof db) => {
      const deps = workerDeps(slow, clock.now, { workerId: name, batchSize: MESSAGES });
      for (let round = 0; round < 40; round++) {
        await runWorkerOnce(handle, deps);
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    await Promise.all([run("worker-a", db), run("worker-b", other)]);
    const keys = provider.delivered.map((d) => d.idempotencyKey);
    assert.equal(new Set(keys).size, MESSAGES, "every message delivered");
    assert.equal(keys.length, MESSAGES, "none delivered twice");
    if (other !== db) await other.close();
  } finally {
    await testDb.close();
  }
});
