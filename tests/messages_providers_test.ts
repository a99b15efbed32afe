import assert from "node:assert/strict";
import { loadConfig } from "@/config.ts";
import {
  authenticaMessageProvider,
  type ConsoleMessageLine,
  consoleMessageProvider,
  createMessageProvider,
  PermanentSendError,
  RetryableSendError,
} from "@/services/messages/providers.ts";
import { enqueueMessage } from "@/services/messages/enqueue.ts";
import { runWorkerOnce } from "@/services/messages/worker.ts";
import type { MessageRow } from "@/services/messages/types.ts";
import { TestClock } from "./helpers/app.ts";
import { createTestDb, testBackend } from "./helpers/db.ts";
import { makeUser, workerDeps } from "./helpers/messages.ts";
import { startFakeAuthentica } from "./fakes/authentica_messages.ts";

const MESSAGE = {
  to: "+966500000123",
  channel: "sms" as const,
  body: "صالون لمسة: تم تأكيد حجزك",
  idempotencyKey: "8f0c6f0e-0000-4000-8000-000000000001",
};

Deno.test("messages - authentica provider against a local fake: sender name, retryable and permanent failures", async (t) => {
  const fake = startFakeAuthentica();
  const provider = authenticaMessageProvider({
    apiKey: fake.apiKey,
    baseUrl: fake.url,
    timeoutMs: 300,
    senderName: "Salon",
  });
  try {
    await t.step("accepted: phone, message and sender name as documented", async () => {
      const result = await provider.send(MESSAGE);
      assert.equal(result.providerMessageId, "sms-1");
      assert.deepEqual(fake.sent, [{
        phone: MESSAGE.to,
        message: MESSAGE.body,
        sender_name: "Salon",
      }]);
    });
    await t.step("5xx and 429 are retryable", async () => {
      for (const status of [503, 500, 429]) {
        fake.failNext(1, status);
        const err = await provider.send(MESSAGE).catch((e) => e);
        assert.ok(err instanceof RetryableSendError, `${status}`);
        assert.equal(err.status, status);
      }
    });
    await t.step("422 and 401 are permanent, with the provider's message", async () => {
      fake.failNext(1, 422, "The phone field is invalid.");
      const invalid = await provider.send(MESSAGE).catch((e) => e);
      assert.ok(invalid instanceof PermanentSendError);
      assert.equal(invalid.message, "authentica: HTTP 422: The phone field is invalid.");
      const wrongKey = authenticaMessageProvider({
        apiKey: "wrong",
        baseUrl: fake.url,
        timeoutMs: 300,
      });
      assert.ok((await wrongKey.send(MESSAGE).catch((e) => e)) instanceof PermanentSendError);
    });
    await t.step("a timeout is retryable", async () => {
      fake.delayNext(1, 600);
      const err = await provider.send(MESSAGE).catch((e) => e);
      assert.ok(err instanceof RetryableSendError);
      assert.match(err.message, /timeout after 300 ms/);
    });
    await t.step("a network error is retryable", async () => {
      const down = authenticaMessageProvider({
        apiKey: fake.apiKey,
        baseUrl: "http://127.0.0.1:9",
        timeoutMs: 300,
      });
      assert.ok((await down.send(MESSAGE).catch((e) => e)) instanceof RetryableSendError);
    });
    await t.step("free-text WhatsApp is not offered", async () => {
      assert.deepEqual(provider.channels, ["sms"]);
      const err = await provider.send({ ...MESSAGE, channel: "whatsapp" }).catch((e) => e);
      assert.ok(err instanceof PermanentSendError);
    });
  } finally {
    await fake.close();
  }
});

Deno.test(`messages (${testBackend()}) - worker with the authentica provider: fake down then up, delivered once, by SMS`, async () => {
  const fake = startFakeAuthentica();
  const { db, close } = await createTestDb();
  try {
    const clock = new TestClock();
    const provider = authenticaMessageProvider({
      apiKey: fake.apiKey,
      baseUrl: fake.url,
      timeoutMs: 1000,
      senderName: "Salon",
    });
    const user = await makeUser(db, { preferred_language: "ar" });
    const row = await db.transaction((tx) =>
      enqueueMessage(tx, {
        dedupeKey: `test:${user.id}:whatsapp`,
        kind: "event",
        bookingId: null,
        event: "confirmed",
        recipient: { userId: user.id, role: "customer", phone: user.phone_number, locale: "ar" },
        channel: "whatsapp",
        template: "msg.customer.confirmed",
        params: {
          salon: "صالون لمسة",
          service: "قص شعر",
          staff: "نورة",
          startsAt: "2026-11-25T13:30:00Z",
          timeZone: "Asia/Riyadh",
          linkPath: "/b/Ab3dE9xZ",
        },
        runAt: clock.now(),
        now: clock.now(),
      })
    );
    fake.failNext(1, 503);
    const deps = workerDeps(provider, clock.now);
    assert.equal((await runWorkerOnce(db, deps)).failed, 1);
    clock.advance(60_000);
    assert.equal((await runWorkerOnce(db, deps)).sent, 1);
    clock.advance(3_600_000);
    assert.equal((await runWorkerOnce(db, deps)).claimed, 0);
    assert.equal(fake.requests, 2);
    assert.equal(fake.sent.length, 1);
    assert.equal(fake.sent[0].phone, user.phone_number);
    assert.match(fake.sent[0].message, /^صالون لمسة: تم تأكيد حجزك قص شعر مع نورة/);
    const [msg] = await db.query<MessageRow>("SELECT * FROM messages WHERE id = $1", [row!.id]);
    assert.equal(msg.status, "sent");
    assert.equal(msg.channel, "sms");
    assert.equal(msg.provider, "authentica");
    assert.equal(msg.provider_message_id, "sms-1");
  } finally {
    await close();
    await fake.close();
  }
});

Deno.test("messages - console provider prints one message.sent line and keeps nothing", async () => {
  const lines: ConsoleMessageLine[] = [];
  const provider = consoleMessageProvider((line) => lines.push(line));
  const result = await provider.send(MESSAGE);
  assert.equal(lines.length, 1);
  assert.equal(lines[0].event, "message.sent");
  assert.equal(lines[0].to, MESSAGE.to);
  assert.equal(lines[0].body, MESSAGE.body);
  assert.equal(lines[0].idempotency_key, MESSAGE.idempotencyKey);
  assert.equal(lines[0].message_id, result.providerMessageId);
  assert.deepEqual(provider.channels, ["sms", "whatsapp"]);
});

Deno.test("messages - NOTIFICATION_PROVIDER is independent of OTP_PROVIDER", () => {
  const base = { APP_ENV: "test" };
  assert.equal(createMessageProvider(loadConfig(base)).name, "console");
  const both = loadConfig({ ...base, AUTHENTICA_API_KEY: "k" });
  assert.equal(createMessageProvider(both).name, "authentica");
  const split = loadConfig({ ...base, AUTHENTICA_API_KEY: "k", NOTIFICATION_PROVIDER: "console" });
  assert.equal(split.notifications.provider, "console");
  assert.equal(
    loadConfig({ ...base, AUTHENTICA_API_KEY: "k", AUTHENTICA_SENDER_NAME: "Salon" })
      .notifications.authentica.senderName,
    "Salon",
  );
  assert.throws(
    () => loadConfig({ ...base, NOTIFICATION_PROVIDER: "authentica" }),
    /AUTHENTICA_API_KEY is required when NOTIFICATION_PROVIDER=authentica/,
  );
  assert.throws(
    () =>
      loadConfig({
        APP_ENV: "production",
        APP_SECRET: "x".repeat(32),
        NOTIFICATION_PROVIDER: "console",
        AUTHENTICA_API_KEY: "k",
      }),
    /NOTIFICATION_PROVIDER=console/,
  );
  assert.equal(
    loadConfig({ ...base, WORKER_IN_PROCESS: "false" }).notifications.workerInProcess,
    false,
  );
});
