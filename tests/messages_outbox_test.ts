import assert from "node:assert/strict";
import { enqueueBookingEvent, enqueueMessage } from "@/services/messages/enqueue.ts";
import {
  backoffMs,
  claimMessages,
  runWorkerOnce,
  startWorker,
} from "@/services/messages/worker.ts";
import type { MessageParams, MessageRow } from "@/services/messages/types.ts";
import { TestClock } from "./helpers/app.ts";
import { createTestDb, testBackend } from "./helpers/db.ts";
import {
  insertBooking,
  makeUser,
  makeWorld,
  messagesOf,
  scriptedProvider,
  workerDeps,
} from "./helpers/messages.ts";
import type { Queryable } from "@/db/types.ts";

const backend = testBackend();
const PARAMS: MessageParams = {
  salon: "Lamsa Salon",
  service: "Haircut",
  staff: "Noura",
  startsAt: "2026-11-25T13:30:00Z",
  timeZone: "Asia/Riyadh",
  linkPath: "/b/Ab3dE9xZ",
};

/** One plain SMS message, due now. */
async function queueOne(
  db: Queryable,
  clock: TestClock,
  overrides: { key?: string; channel?: "sms" | "whatsapp"; maxAttempts?: number } = {},
) {
  const user = await makeUser(db, { preferred_language: "en" });
  const row = await db.transaction((tx) =>
    enqueueMessage(tx, {
      dedupeKey: overrides.key ?? `test:${crypto.randomUUID()}:${overrides.channel ?? "sms"}`,
      kind: "event",
      bookingId: null,
      event: "created",
      recipient: { userId: user.id, role: "customer", phone: user.phone_number, locale: "en" },
      channel: overrides.channel ?? "sms",
      template: "msg.customer.confirmed",
      params: PARAMS,
      runAt: clock.now(),
      now: clock.now(),
      maxAttempts: overrides.maxAttempts,
    })
  );
  assert.ok(row);
  return { id: row.id, user };
}

async function one(db: Queryable, id: string): Promise<MessageRow> {
  const [row] = await db.query<MessageRow>("SELECT * FROM messages WHERE id = $1", [id]);
  return row;
}

Deno.test(`messages (${backend}) - a rolled-back booking transaction enqueues nothing`, async () => {
  const { db, close } = await createTestDb();
  try {
    const clock = new TestClock();
    const world = await makeWorld(db);
    await assert.rejects(
      db.transaction(async (tx) => {
        const booking = await insertBooking(tx, world, new Date("2026-11-25T13:30:00Z"));
        const queued = await enqueueBookingEvent(tx, {
          bookingId: booking.id,
          event: "created",
          actor: { userId: world.customer.id, role: "customer" },
          now: clock.now(),
        });
        assert.ok(queued.messages >= 3, "the transaction did queue messages before it failed");
        throw new Error("payment hold failed");
      }),
      /payment hold failed/,
    );
    assert.equal((await db.query("SELECT count(*)::int AS n FROM messages"))[0].n, 0);
    assert.equal((await db.query("SELECT count(*)::int AS n FROM booking_links"))[0].n, 0);
    assert.equal((await db.query("SELECT count(*)::int AS n FROM bookings"))[0].n, 0);
  } finally {
    await close();
  }
});

Deno.test(`messages (${backend}) - provider down then up: delivered later, exactly once`, async () => {
  const { db, close } = await createTestDb();
  try {
    const clock = new TestClock();
    const provider = scriptedProvider();
    const deps = workerDeps(provider, clock.now, { workerId: "w1" });
    const { id } = await queueOne(db, clock);

    provider.down = true;
    const first = await runWorkerOnce(db, deps);
    assert.deepEqual([first.claimed, first.failed, first.sent], [1, 1, 0]);
    let row = await one(db, id);
    assert.equal(row.status, "failed");
    assert.equal(row.attempts, 1);
    assert.match(row.last_error ?? "", /503/);
    // Backoff with random() = 0.5: base 30 s × 2^0 → 15 s fixed + 7.5 s jitter.
    assert.equal(row.run_at.getTime() - clock.now().getTime(), 22_500);
    assert.equal(row.locked_by, null);

    // Not due yet: nothing is claimed, even with the provider back.
    provider.down = false;
    assert.equal((await runWorkerOnce(db, deps)).claimed, 0);

    clock.advance(22_500);
    const second = await runWorkerOnce(db, deps);
    assert.deepEqual([second.claimed, second.sent], [1, 1]);
    row = await one(db, id);
    assert.equal(row.status, "sent");
    assert.equal(row.attempts, 2);
    assert.equal(row.last_error, null);
    assert.equal(row.provider_message_id, "p-1");
    assert.deepEqual(row.sent_at, clock.now());
    assert.match(row.body ?? "", /^Lamsa Salon: your booking is confirmed/);

    clock.advance(3_600_000);
    assert.equal((await runWorkerOnce(db, deps)).claimed, 0);
    assert.equal(provider.delivered.length, 1);
    assert.equal(provider.calls.length, 2);
  } finally {
    await close();
  }
});

Deno.test(`messages (${backend}) - retries back off exponentially with jitter, then the message is dead with its last error`, async (t) => {
  await t.step("backoff doubles per attempt, jitter spans the upper half, capped", () => {
    assert.equal(backoffMs(1, () => 0, 30_000), 15_000);
    assert.equal(backoffMs(1, () => 0.999999, 30_000), 30_000);
    assert.equal(backoffMs(2, () => 0, 30_000), 30_000);
    assert.equal(backoffMs(4, () => 0, 30_000), 120_000);
    assert.equal(backoffMs(20, () => 1, 30_000, 3_600_000), 3_600_000);
  });
  const { db, close } = await createTestDb();
  try {
    const clock = new TestClock();
    const provider = scriptedProvider();
    provider.down = true;
    const deps = workerDeps(provider, clock.now, { random: () => 0 });
    const { id } = await queueOne(db, clock, { maxAttempts: 4 });
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const round = await runWorkerOnce(db, deps);
      assert.equal(round.claimed, 1, `attempt ${i + 1} is due`);
      const row = await one(db, id);
      if (row.status === "failed") {
        delays.push(row.run_at.getTime() - clock.now().getTime());
        clock.set(row.run_at.toISOString());
      }
    }
    assert.deepEqual(delays, [15_000, 30_000, 60_000]);
    const row = await one(db, id);
    assert.equal(row.status, "dead");
    assert.equal(row.attempts, 4);
    assert.equal(row.last_error, "RetryableSendError: provider: HTTP 503");
    clock.advance(86_400_000);
    assert.equal((await runWorkerOnce(db, deps)).claimed, 0, "dead messages stay dead");
    assert.equal(provider.delivered.length, 0);
  } finally {
    await close();
  }
});

Deno.test(`messages (${backend}) - a permanent error makes the message dead at once`, async () => {
  const { db, close } = await createTestDb();
  try {
    const clock = new TestClock();
    const provider = scriptedProvider();
    provider.refuse.add("sms");
    const { id } = await queueOne(db, clock);
    const round = await runWorkerOnce(db, workerDeps(provider, clock.now));
    assert.equal(round.dead, 1);
    const row = await one(db, id);
    assert.equal(row.status, "dead");
    assert.equal(row.attempts, 1);
    assert.match(row.last_error ?? "", /PermanentSendError: provider: sms refused/);
  } finally {
    await close();
  }
});

Deno.test(`messages (${backend}) - a crash after the provider call but before marking: once with a deduplicating provider, one retry otherwise, never zero`, async (t) => {
  for (const dedupe of [true, false]) {
    await t.step(dedupe ? "provider deduplicates" : "provider does not deduplicate", async () => {
      const { db, close } = await createTestDb();
      try {
        const clock = new TestClock();
        const provider = scriptedProvider({ dedupe });
        const { id } = await queueOne(db, clock);

        // Worker A claims, calls the provider, and dies before it can mark the message.
        const [claimed] = await claimMessages(db, "worker-a", clock.now(), { leaseMs: 60_000 });
        assert.equal(claimed.id, id);
        await provider.send({
          to: claimed.recipient_phone,
          channel: claimed.channel,
          body: "first attempt",
          idempotencyKey: claimed.id,
        });
        assert.equal(provider.delivered.length, 1);

        // While A's lease holds, nobody else takes the message.
        const deps = workerDeps(provider, clock.now, { workerId: "worker-b" });
        clock.advance(59_000);
        assert.equal((await runWorkerOnce(db, deps)).claimed, 0);

        // The lease lapses: worker B sends it again with the same idempotency key.
        clock.advance(1_000);
        const round = await runWorkerOnce(db, deps);
        assert.deepEqual([round.claimed, round.sent], [1, 1]);
        const row = await one(db, id);
        assert.equal(row.status, "sent");
        assert.equal(row.attempts, 2);
        assert.equal(provider.calls.length, 2);
        assert.deepEqual(provider.calls.map((c) => c.idempotencyKey), [id, id]);
        assert.equal(provider.delivered.length, dedupe ? 1 : 2);

        clock.advance(3_600_000);
        assert.equal((await runWorkerOnce(db, deps)).claimed, 0);
        assert.equal(provider.calls.length, 2, "no further sends once marked");
      } finally {
        await close();
      }
    });
  }
});

Deno.test(`messages (${backend}) - a worker that vanished during the last attempt leaves a dead message, not a lost one`, async () => {
  const { db, close } = await createTestDb();
  try {
    const clock = new TestClock();
    const provider = scriptedProvider();
    const { id } = await queueOne(db, clock, { maxAttempts: 1 });
    await claimMessages(db, "worker-a", clock.now(), { leaseMs: 60_000 });
    clock.advance(60_000);
    const round = await runWorkerOnce(db, workerDeps(provider, clock.now));
    assert.equal(round.dead, 1);
    const row = await one(db, id);
    assert.equal(row.status, "dead");
    assert.match(row.last_error ?? "", /worker lost during the last attempt/);
    assert.equal(provider.calls.length, 0);
  } finally {
    await close();
  }
});

Deno.test(`messages (${backend}) - stopping (SIGTERM) finishes the message in hand and hands the rest back`, async () => {
  const { db, close } = await createTestDb();
  try {
    const clock = new TestClock();
    const provider = scriptedProvider();
    for (let i = 0; i < 5; i++) await queueOne(db, clock);
    const controller = new AbortController();
    provider.onSend = () => controller.abort();
    const round = await runWorkerOnce(db, workerDeps(provider, clock.now), {
      signal: controller.signal,
    });
    assert.deepEqual([round.claimed, round.sent, round.released], [5, 1, 4]);
    const rows = await messagesOf(db);
    assert.equal(rows.filter((r) => r.status === "sent").length, 1);
    const back = rows.filter((r) => r.status === "queued");
    assert.equal(back.length, 4);
    assert.ok(back.every((r) => r.attempts === 0 && r.locked_by === null));

    provider.onSend = undefined;
    const next = await runWorkerOnce(db, workerDeps(provider, clock.now));
    assert.equal(next.sent, 4, "handed-back messages are due at once");
    assert.equal(provider.delivered.length, 5);
  } finally {
    await close();
  }
});

Deno.test(`messages (${backend}) - the worker loop delivers as messages arrive and stops cleanly when aborted`, async () => {
  const { db, close } = await createTestDb();
  try {
    const provider = scriptedProvider();
    const now = () => new Date();
    const controller = new AbortController();
    const running = startWorker(db, workerDeps(provider, now, { batchSize: 3 }), {
      signal: controller.signal,
      pollMs: 10,
    });
    const clock = new TestClock(new Date());
    for (let i = 0; i < 7; i++) await queueOne(db, clock);
    const deadline = Date.now() + 10_000;
    while (provider.delivered.length < 7 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    controller.abort();
    await running;
    assert.equal(provider.delivered.length, 7);
    const rows = await messagesOf(db);
    assert.ok(rows.every((r) => r.status === "sent"));
  } finally {
    await close();
  }
});

Deno.test(`messages (${backend}) - a failed WhatsApp message falls back to SMS, and the fallback is recorded`, async () => {
  const { db, close } = await createTestDb();
  try {
    const clock = new TestClock();
    const provider = scriptedProvider();
    provider.refuse.add("whatsapp");
    const key = `booking:x:created:u:whatsapp`;
    const { id } = await queueOne(db, clock, { key, channel: "whatsapp" });
    const round = await runWorkerOnce(db, workerDeps(provider, clock.now));
    assert.equal(round.dead, 1);
    const wa = await one(db, id);
    assert.equal(wa.status, "dead");
    assert.equal(wa.channel, "whatsapp");
    const [sms] = await db.query<MessageRow>("SELECT * FROM messages WHERE fallback_of = $1", [id]);
    assert.equal(sms.channel, "sms");
    assert.equal(sms.dedupe_key, "booking:x:created:u:sms");
    assert.equal(sms.status, "queued");
    await runWorkerOnce(db, workerDeps(provider, clock.now));
    assert.equal((await one(db, sms.id)).status, "sent");
    assert.deepEqual(provider.delivered.map((d) => d.channel), ["sms"]);
    assert.equal(provider.delivered[0].body, wa.body);
  } finally {
    await close();
  }
});

Deno.test(`messages (${backend}) - a provider without WhatsApp sends the message by SMS on the same row`, async () => {
  const { db, close } = await createTestDb();
  try {
    const clock = new TestClock();
    const provider = scriptedProvider({ channels: ["sms"], name: "smsonly" });
    const { id } = await queueOne(db, clock, { channel: "whatsapp" });
    await runWorkerOnce(db, workerDeps(provider, clock.now));
    const row = await one(db, id);
    assert.equal(row.status, "sent");
    assert.equal(row.channel, "sms");
    assert.equal(row.last_error, "smsonly has no whatsapp; sent by SMS");
    assert.equal(provider.delivered.length, 1);
    assert.equal((await db.query("SELECT count(*)::int AS n FROM messages"))[0].n, 1);
  } finally {
    await close();
  }
});
