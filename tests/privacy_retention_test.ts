import assert from "node:assert/strict";
import { loadConfig } from "@/config.ts";
import type { Db } from "@/db/types.ts";
import {
  runRetention,
  runRetentionIfDue,
  startRetentionJob,
} from "@/services/privacy/retention.ts";
import { tableExists } from "@/services/privacy/redact.ts";
import { makeTestApp } from "./helpers/app.ts";
import { makeUser } from "./helpers/auth.ts";
import { testBackend } from "./helpers/db.ts";
import { makeBooking, makeSalon, makeService, makeStaff } from "./helpers/factories.ts";

const backend = testBackend();
const DAY = 86_400_000;

function ago(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY);
}

async function otp(db: Db, phone: string, at: Date) {
  await db.query(
    `INSERT INTO otp_requests (phone_number, channel, purpose, provider, status, request_ip,
       device_signal, created_at, expires_at)
     VALUES ($1, 'sms', 'auth', 'console', 'used', '203.0.113.7', 'sha256:abc', $2, $3)`,
    [phone, at, new Date(at.getTime() + 300_000)],
  );
}

async function message(db: Db, userId: string, at: Date, status: string, key: string) {
  await db.query(
    `INSERT INTO messages (dedupe_key, kind, event, recipient_user_id, recipient_role,
       recipient_phone, channel, template, locale, max_attempts, run_at, status, body, sent_at,
       last_error, created_at, updated_at)
     VALUES ($1, 'event', 'created', $2, 'customer', '+966512345678', 'sms',
       'msg.customer.created', 'en', 3, $3, $4, 'Your booking at 4:30 pm', $5, $6, $3, $3)`,
    [key, userId, at, status, status === "sent" ? at : null, status === "dead" ? "boom" : null],
  );
}

async function counts(db: Db, tables: string[]) {
  const out: Record<string, number> = {};
  for (const table of tables) {
    if (!(await tableExists(db, table))) continue;
    const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    out[table] = n;
  }
  return out;
}

Deno.test(`privacy retention (${backend}) - an injected clock: old login codes, addresses and message texts go; audit rows and recent data stay`, async (s) => {
  const t = await makeTestApp();
  try {
    const now = new Date("2027-06-01T03:00:00Z");
    const db = t.db;
    const customer = await makeUser(db, { phone: "+966512345678" });
    await db.query("UPDATE users SET is_phone_verified = true, created_at = $2 WHERE id = $1", [
      customer,
      ago(now, 400),
    ]);

    await otp(db, "+966512345678", ago(now, 31));
    await otp(db, "+966512345678", ago(now, 29));
    await otp(db, "+966512345679", ago(now, 90));

    const session = async (lastUsed: Date, expires: Date, revoked: Date | null = null) => {
      const [row] = await db.query<{ id: string }>(
        `INSERT INTO sessions (user_id, created_at, last_used_at, user_agent, ip, revoked_at,
           revoked_reason)
         VALUES ($1, $2, $2, 'Mozilla/5.0 (iPhone)', '203.0.113.7', $3, $4) RETURNING id`,
        [customer, lastUsed, revoked, revoked ? "logout" : null],
      );
      await db.query(
        `INSERT INTO refresh_tokens (session_id, token_hash, created_at, expires_at)
         VALUES ($1, $2, $3, $4)`,
        [row.id, crypto.randomUUID(), lastUsed, expires],
      );
      return row.id;
    };
    const active = await session(ago(now, 1), new Date(now.getTime() + 29 * DAY));
    const idle = await session(ago(now, 40), new Date(now.getTime() + 5 * DAY));
    const ended = await session(ago(now, 70), ago(now, 40));
    const loggedOut = await session(ago(now, 50), new Date(now.getTime() + DAY), ago(now, 45));

    await message(db, customer, ago(now, 181), "sent", "m-old-sent");
    await message(db, customer, ago(now, 200), "dead", "m-old-dead");
    await message(db, customer, ago(now, 179), "sent", "m-recent");
    await message(db, customer, ago(now, 300), "queued", "m-waiting");

    // Accounts from login requests that were never completed.
    const abandoned = await makeUser(db, { phone: "+966512340001" });
    const recentSignup = await makeUser(db, { phone: "+966512340002" });
    const admin = await makeUser(db, { phone: "+966512340003", isAdmin: true });
    await db.query(
      `UPDATE users SET created_at = CASE WHEN id = $2 THEN $4::timestamptz ELSE $3 END
       WHERE id IN ($1, $2, $5)`,
      [abandoned, recentSignup, ago(now, 31), ago(now, 10), admin],
    );
    await db.query(
      `INSERT INTO privacy_consents (user_id, notice_version, accepted_at, source)
       VALUES ($1, '2026-11-01', $2, 'web'), ($3, '2026-11-01', $4, 'web')`,
      [abandoned, ago(now, 31), customer, ago(now, 400)],
    );

    // Audit rows, years old.
    const salon = await makeSalon(db);
    const service = await makeService(db, salon);
    const staff = await makeStaff(db, salon, { services: [service.id] });
    const booking = await makeBooking(db, {
      service,
      staff,
      starts_at: ago(now, 700),
      customer_id: customer,
      status: "completed",
    });
    await db.query(
      `INSERT INTO booking_events (booking_id, at, actor_role, kind, to_status, reason)
       VALUES ($1, $2, 'customer', 'created', 'confirmed', 'old reason')`,
      [booking.id, ago(now, 700)],
    );
    const [review] = await db.query<{ id: string }>(
      `INSERT INTO reviews (booking_id, salon_id, customer_id, staff_id, service_id, rating, body,
         created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 5, 'Great', $6, $6) RETURNING id`,
      [booking.id, salon.id, customer, staff.id, service.id, ago(now, 690)],
    );
    await db.query(
      `INSERT INTO review_events (review_id, at, actor_role, action, reason)
       VALUES ($1, $2, 'salon', 'hidden', 'spam')`,
      [review.id, ago(now, 600)],
    );
    if (await tableExists(db, "audit_log")) {
      await db.query(
        `INSERT INTO audit_log (actor_role, action, entity, at) VALUES ('system', 'x.y', 'x', $1)`,
        [ago(now, 900)],
      );
    }
    const audit = ["booking_events", "review_events", "privacy_consents", "audit_log", "bookings"];
    const auditBefore = await counts(db, audit);

    const result = await s.step("defaults (30 / 180 days)", async () => {
      const r = await runRetention(db, now, { otpDays: 30, messageBodyDays: 180 });
      assert.deepEqual(r, {
        otpRequestsDeleted: 2,
        sessionsScrubbed: 3,
        refreshTokensDeleted: 1,
        sessionsDeleted: 2,
        messageBodiesCleared: 2,
        abandonedSignupsDeleted: 1,
      });
    });
    assert.ok(result);

    await s.step("login codes: only the last 30 days remain", async () => {
      const rows = await db.query<{ created_at: Date; request_ip: string }>(
        "SELECT created_at, request_ip FROM otp_requests",
      );
      assert.deepEqual(rows.map((r) => r.created_at), [ago(now, 29)]);
    });

    await s.step(
      "sessions: the active one untouched, idle ones lose IP and browser, ended ones go",
      async () => {
        const rows = await db.query<{ id: string; ip: string | null; user_agent: string }>(
          "SELECT id, ip, user_agent FROM sessions ORDER BY last_used_at DESC",
        );
        assert.deepEqual([...rows], [
          { id: active, ip: "203.0.113.7", user_agent: "Mozilla/5.0 (iPhone)" },
          { id: idle, ip: null, user_agent: "" },
        ]);
        assert.ok(!rows.some((r) => r.id === ended || r.id === loggedOut));
      },
    );

    await s.step(
      "messages: old texts blanked, rows and statuses kept; recent and unsent kept",
      async () => {
        const rows = await db.query<{ dedupe_key: string; status: string; body: string | null }>(
          "SELECT dedupe_key, status, body, last_error FROM messages ORDER BY dedupe_key",
        );
        assert.deepEqual([...rows], [
          { dedupe_key: "m-old-dead", status: "dead", body: null, last_error: null },
          { dedupe_key: "m-old-sent", status: "sent", body: null, last_error: null },
          {
            dedupe_key: "m-recent",
            status: "sent",
            body: "Your booking at 4:30 pm",
            last_error: null,
          },
          {
            dedupe_key: "m-waiting",
            status: "queued",
            body: "Your booking at 4:30 pm",
            last_error: null,
          },
        ]);
      },
    );

    await s.step("abandoned sign-ups go; recent ones, admins and real customers stay", async () => {
      const ids = (await db.query<{ id: string }>("SELECT id FROM users")).map((u) => u.id);
      assert.ok(!ids.includes(abandoned));
      for (const kept of [customer, recentSignup, admin]) assert.ok(ids.includes(kept));
    });

    await s.step("audit rows are never touched", async () => {
      const after = await counts(db, audit);
      assert.deepEqual(
        { ...after, privacy_consents: after.privacy_consents + 1 },
        auditBefore,
        "only the abandoned account's consent went, with the account",
      );
      const [e] = await db.query<{ reason: string }>("SELECT reason FROM booking_events");
      assert.equal(e.reason, "old reason");
    });

    await s.step("idempotent: a second run finds nothing", async () => {
      const again = await runRetention(db, now, { otpDays: 30, messageBodyDays: 180 });
      assert.ok(Object.values(again).every((n) => n === 0), JSON.stringify(again));
    });

    await s.step(
      "the periods are configuration: 7 days takes the 29-day-old code too",
      async () => {
        const r = await runRetention(db, now, { otpDays: 7, messageBodyDays: 100 });
        assert.equal(r.otpRequestsDeleted, 1);
        assert.equal(r.messageBodiesCleared, 1);
        assert.equal(r.sessionsScrubbed, 0, "the active session was used yesterday");
      },
    );
  } finally {
    await t.close();
  }
});

Deno.test(`privacy retention (${backend}) - scheduled once per interval however many instances ask; configuration from the environment`, async (s) => {
  const t = await makeTestApp();
  try {
    const config = { otpDays: 30, messageBodyDays: 180, intervalMs: DAY, inProcess: true };
    const now = new Date("2027-06-01T03:00:00Z");
    await s.step("two instances at the same moment: one runs", async () => {
      const results = await Promise.all([
        runRetentionIfDue(t.db, now, config),
        runRetentionIfDue(t.db, now, config),
      ]);
      assert.equal(results.filter((r) => r !== null).length, 1);
    });
    await s.step("an hour later: not due; a day later: due", async () => {
      assert.equal(
        await runRetentionIfDue(t.db, new Date(now.getTime() + 3_600_000), config),
        null,
      );
      assert.notEqual(await runRetentionIfDue(t.db, new Date(now.getTime() + DAY), config), null);
      const [job] = await t.db.query<
        { last_finished_at: Date; last_result: Record<string, number> }
      >(
        "SELECT last_finished_at, last_result FROM scheduled_jobs WHERE name = 'retention'",
      );
      assert.deepEqual(job.last_finished_at, new Date(now.getTime() + DAY));
      assert.equal(job.last_result.otpRequestsDeleted, 0);
    });
    await s.step("the in-process scheduler runs it and stops cleanly", async () => {
      const clock = new Date(now.getTime() + 3 * DAY);
      const job = startRetentionJob(t.db, config, {
        now: () => clock,
        firstCheckMs: 1,
        checkMs: 60_000,
      });
      for (let i = 0; i < 100; i++) {
        const [row] = await t.db.query<{ last_started_at: Date }>(
          "SELECT last_started_at FROM scheduled_jobs WHERE name = 'retention'",
        );
        if (row.last_started_at.getTime() === clock.getTime()) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await job.stop();
      const [row] = await t.db.query<{ last_finished_at: Date }>(
        "SELECT last_finished_at FROM scheduled_jobs WHERE name = 'retention'",
      );
      assert.deepEqual(row.last_finished_at, clock);
    });
    await s.step(
      "OTP_RETENTION_DAYS, MESSAGE_BODY_RETENTION_DAYS, RETENTION_INTERVAL_HOURS",
      () => {
        assert.deepEqual(loadConfig({ APP_ENV: "test" }).retention, {
          otpDays: 30,
          messageBodyDays: 180,
          intervalMs: DAY,
          inProcess: true,
        });
        assert.deepEqual(
          loadConfig({
            APP_ENV: "test",
            OTP_RETENTION_DAYS: "14",
            MESSAGE_BODY_RETENTION_DAYS: "90",
            RETENTION_INTERVAL_HOURS: "6",
            RETENTION_IN_PROCESS: "false",
          }).retention,
          { otpDays: 14, messageBodyDays: 90, intervalMs: 6 * 3_600_000, inProcess: false },
        );
        assert.throws(() => loadConfig({ APP_ENV: "test", OTP_RETENTION_DAYS: "0" }));
      },
    );
  } finally {
    await t.close();
  }
});
