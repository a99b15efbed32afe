/**
 * Outbox throughput and enqueue-to-delivery latency with the console provider (its output
 * silenced), on a fresh embedded database (or TEST_DATABASE_URL's server). Prints p50/p99 latency
 * and jobs per second; `deno bench` times each whole run.
 */
import { enqueueMessage } from "@/services/messages/enqueue.ts";
import { consoleMessageProvider } from "@/services/messages/providers.ts";
import { runWorkerOnce, startWorker } from "@/services/messages/worker.ts";
import type { Queryable } from "@/db/types.ts";
import { setLogLevel } from "@/log.ts";
import { createTestDb, testBackend } from "../tests/helpers/db.ts";

setLogLevel("error");
const backend = testBackend();

async function makeRecipient(db: Queryable): Promise<{ id: string; phone: string }> {
  const phone = `+9665${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
  const [user] = await db.query<{ id: string }>(
    "INSERT INTO users (phone_number, preferred_language) VALUES ($1, 'ar') RETURNING id",
    [phone],
  );
  return { id: user.id, phone };
}

function enqueueOne(db: Queryable, user: { id: string; phone: string }, i: number) {
  const now = new Date();
  return db.transaction((tx) =>
    enqueueMessage(tx, {
      dedupeKey: `bench:${crypto.randomUUID()}:${i}:sms`,
      kind: "event",
      bookingId: null,
      event: "confirmed",
      recipient: { userId: user.id, role: "customer", phone: user.phone, locale: "ar" },
      channel: "sms",
      template: "msg.customer.confirmed",
      params: {
        salon: "صالون لمسة",
        service: "قص وتصفيف الشعر",
        staff: "نورة",
        startsAt: "2026-11-25T13:30:00Z",
        timeZone: "Asia/Riyadh",
        linkPath: "/b/Ab3dE9xZ",
      },
      runAt: now,
      now,
    })
  );
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const LATENCY_JOBS = 300;
const POLL_MS = 10;

Deno.bench({
  name:
    `messages (${backend}) - enqueue-to-delivery latency, ${LATENCY_JOBS} messages, worker polling every ${POLL_MS} ms`,
  n: 1,
  warmup: 0,
  async fn() {
    const { db, close } = await createTestDb();
    try {
      const user = await makeRecipient(db);
      const enqueuedAt = new Map<string, number>();
      const latencies: number[] = [];
      let done!: () => void;
      const allDelivered = new Promise<void>((r) => (done = r));
      const provider = consoleMessageProvider((line) => {
        const started = enqueuedAt.get(line.idempotency_key);
        if (started !== undefined) latencies.push(performance.now() - started);
        if (latencies.length === LATENCY_JOBS) done();
      });
      const controller = new AbortController();
      const worker = startWorker(
        db,
        { provider, now: () => new Date(), publicUrl: "https://salon.sa", batchSize: 50 },
        { signal: controller.signal, pollMs: POLL_MS },
      );
      for (let i = 0; i < LATENCY_JOBS; i++) {
        const before = performance.now();
        const row = await enqueueOne(db, user, i);
        // Latency counts from the commit: a message cannot be seen before it.
        enqueuedAt.set(row!.id, before);
        await new Promise((r) => setTimeout(r, 2));
      }
      await allDelivered;
      controller.abort();
      await worker;
      latencies.sort((a, b) => a - b);
      console.log(
        `messages (${backend}): enqueue-to-delivery p50 ${
          percentile(latencies, 50).toFixed(1)
        } ms, ` +
          `p99 ${
            percentile(latencies, 99).toFixed(1)
          } ms (poll ${POLL_MS} ms; the server's default ` +
          `WORKER_POLL_MS=1000 adds up to a second while idle)`,
      );
    } finally {
      await close();
    }
  },
});

const THROUGHPUT_JOBS = 2000;

Deno.bench({
  name:
    `messages (${backend}) - drain ${THROUGHPUT_JOBS} queued messages, one worker, batches of 100`,
  n: 1,
  warmup: 0,
  async fn(b) {
    const { db, close } = await createTestDb();
    try {
      const user = await makeRecipient(db);
      for (let i = 0; i < THROUGHPUT_JOBS; i++) await enqueueOne(db, user, i);
      let delivered = 0;
      const provider = consoleMessageProvider(() => delivered++);
      const deps = {
        provider,
        now: () => new Date(),
        publicUrl: "https://salon.sa",
        batchSize: 100,
        workerId: "bench",
      };
      b.start();
      const started = performance.now();
      while ((await runWorkerOnce(db, deps)).claimed > 0) {
        // until the queue is empty
      }
      const seconds = (performance.now() - started) / 1000;
      b.end();
      if (delivered !== THROUGHPUT_JOBS) throw new Error(`delivered ${delivered}`);
      console.log(
        `messages (${backend}): ${(THROUGHPUT_JOBS / seconds).toFixed(0)} jobs/s ` +
          `(${THROUGHPUT_JOBS} in ${seconds.toFixed(2)} s, console provider, one worker)`,
      );
    } finally {
      await close();
    }
  },
});
