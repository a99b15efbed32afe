/**
 * The seed's accounts tests (Django: apps/accounts/tests), ported one by one to our endpoints.
 * Each test name starts with the seed test it ports.
 */
import assert from "node:assert/strict";
import { DbError, PG_CHECK_VIOLATION, PG_UNIQUE_VIOLATION } from "@/db/types.ts";
import { makeTestApp } from "./helpers/app.ts";
import { testBackend } from "./helpers/db.ts";
import {
  ACCEPT_PRIVACY,
  codeFor,
  fromIp,
  login,
  makeUser,
  PHONE,
  PHONE_LOCAL,
  postJson,
  requestCode,
  wrongCode,
} from "./helpers/auth.ts";

const backend = testBackend();
const PG_NOT_NULL_VIOLATION = "23502";
const SEED_INVALID_EN = "Phone number must be in E.164 format or a valid Saudi mobile";
const SEED_INVALID_AR = "يجب أن يكون رقم الهاتف بصيغة E.164 أو رقم جوال سعودي صالح";

type Otp = {
  id: string;
  phone_number: string;
  channel: string;
  purpose: string;
  attempt_count: number;
  status: string;
  used_at: Date | null;
  request_ip: string | null;
  device_signal: string;
};

async function otpRow(db: { query: <T>(q: string, p?: unknown[]) => Promise<T[]> }, id: string) {
  const [row] = await db.query<Otp>("SELECT * FROM otp_requests WHERE id = $1", [id]);
  return row;
}

async function count(
  db: { query: <T>(q: string, p?: unknown[]) => Promise<T[]> },
  sql: string,
  params: unknown[] = [],
) {
  const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params);
  return row.n;
}

Deno.test(`seed contract (${backend}) - test_phone_auth_creates_user_and_issues_tokens: verify returns access + refresh and marks the phone verified`, async () => {
  const t = await makeTestApp();
  try {
    const { request_id } = await requestCode(t, PHONE_LOCAL);
    const res = await postJson(t.app, "/api/auth/phone/verify/", {
      request_id,
      code: codeFor(t, request_id),
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /application\/json/);
    const body = await res.json();
    assert.ok(body.access && body.refresh);
    assert.equal(body.user.phone_number, PHONE);
    const [user] = await t.db.query<{ is_phone_verified: boolean }>(
      "SELECT is_phone_verified FROM users WHERE phone_number = $1",
      [PHONE],
    );
    assert.equal(user.is_phone_verified, true);
  } finally {
    await t.close();
  }
});

Deno.test(`seed contract (${backend}) - test_phone_auth_refresh_endpoint_still_works: the refresh token from verify buys a new access token`, async () => {
  const t = await makeTestApp();
  try {
    const { refresh } = await login(t);
    const res = await postJson(t.app, "/api/auth/token/refresh/", { refresh });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.ok(body.access);
  } finally {
    await t.close();
  }
});

Deno.test(`seed contract (${backend}) - test_phone_auth_request_creates_customer_for_new_phone: an unverified customer and an auth sms code for the E.164 number`, async () => {
  const t = await makeTestApp();
  try {
    const res = await postJson(t.app, "/api/auth/phone/request/", {
      phone_number: PHONE_LOCAL,
      channel: "sms",
      first_name: "Sara",
      last_name: "Ali",
      email: "sara@example.com",
      ...ACCEPT_PRIVACY,
    });
    assert.equal(res.status, 201);
    const data = await res.json();
    assert.ok(data.request_id);
    assert.ok(data.expires_at);
    const [user] = await t.db.query<Record<string, unknown>>(
      "SELECT * FROM users WHERE phone_number = $1",
      [PHONE],
    );
    assert.equal(user.is_admin, false, "a customer, not an admin");
    assert.equal(user.is_phone_verified, false);
    assert.equal(user.first_name, "Sara");
    assert.equal(user.email, "sara@example.com");
    const otp = await otpRow(t.db, data.request_id);
    assert.equal(otp.phone_number, PHONE);
    assert.equal(otp.channel, "sms");
    assert.equal(otp.purpose, "auth");
    // And the role the API reports is customer.
    const { user: shown } = await login(t, "+966 50 000 0009");
    assert.equal(shown.role, "customer");
  } finally {
    await t.close();
  }
});

Deno.test(`seed contract (${backend}) - test_phone_auth_request_existing_phone_no_duplicate_user: one user, one code, the existing profile untouched`, async () => {
  const t = await makeTestApp();
  try {
    await makeUser(t.db, { phone: PHONE, email: "existing@example.com", firstName: "Existing" });
    const res = await postJson(t.app, "/api/auth/phone/request/", {
      phone_number: PHONE_LOCAL,
      channel: "sms",
      first_name: "Intruder",
    });
    assert.equal(res.status, 201);
    assert.equal(await count(t.db, "users WHERE phone_number = $1", [PHONE]), 1);
    assert.equal(await count(t.db, "otp_requests WHERE phone_number = $1", [PHONE]), 1);
    const [user] = await t.db.query<{ first_name: string }>(
      "SELECT first_name FROM users WHERE phone_number = $1",
      [PHONE],
    );
    assert.equal(user.first_name, "Existing");
  } finally {
    await t.close();
  }
});

Deno.test(`seed contract (${backend}) - test_phone_auth_request_rejects_email_already_used: 400 {detail}, no user and no code created`, async () => {
  const t = await makeTestApp();
  try {
    await makeUser(t.db, { phone: "+966500000001", email: "taken@example.com" });
    const before = await count(t.db, "otp_requests");
    const res = await postJson(t.app, "/api/auth/phone/request/", {
      phone_number: PHONE_LOCAL,
      channel: "sms",
      email: "Taken@Example.com",
    }, { "accept-language": "en" });
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.equal(body.detail, "This email is already used by another account.");
    assert.equal(await count(t.db, "users WHERE phone_number = $1", [PHONE]), 0);
    assert.equal(await count(t.db, "otp_requests"), before);
    assert.equal(t.otpMessages.length, 0, "nothing was sent");
  } finally {
    await t.close();
  }
});

Deno.test(`seed contract (${backend}) - test_phone_auth_request_invalid_phone_localized_en/ar: the seed's exact messages under phone_number`, async (s) => {
  const t = await makeTestApp();
  try {
    for (
      const [lang, expected] of [["en", SEED_INVALID_EN], ["ar-sa", SEED_INVALID_AR]] as const
    ) {
      await s.step(lang, async () => {
        const res = await postJson(t.app, "/api/auth/phone/request/", {
          phone_number: "123",
          channel: "sms",
        }, { "accept-language": lang });
        assert.equal(res.status, 400);
        assert.equal((await res.json()).phone_number[0], expected);
      });
    }
    await s.step("the otp endpoint (ar) uses the same message", async () => {
      const { access } = await login(t);
      const res = await postJson(t.app, "/api/auth/otp/request/", {
        phone_number: "123",
        channel: "sms",
      }, { "accept-language": "ar-sa", authorization: `Bearer ${access}` });
      assert.equal(res.status, 400);
      assert.equal((await res.json()).phone_number[0], SEED_INVALID_AR);
    });
  } finally {
    await t.close();
  }
});

Deno.test(`seed contract (${backend}) - test_phone_auth_request_cooldown_returns_retry_after: a second request within 60 s → 429 with retry_after_seconds`, async () => {
  const t = await makeTestApp({
    OTP_MAX_PER_WINDOW: "5",
    OTP_WINDOW_MINUTES: "15",
    OTP_RESEND_COOLDOWN_SECONDS: "60",
  });
  try {
    const body = { phone_number: PHONE_LOCAL, channel: "sms" };
    assert.equal((await postJson(t.app, "/api/auth/phone/request/", body)).status, 201);
    const second = await postJson(t.app, "/api/auth/phone/request/", body);
    assert.equal(second.status, 429);
    const data = await second.json();
    assert.ok(data.detail);
    assert.equal(data.retry_after_seconds, 60, "the clock has not moved: exactly 60");
    assert.equal(second.headers.get("retry-after"), "60");
  } finally {
    await t.close();
  }
});

Deno.test(`seed contract (${backend}) - test_phone_auth_request_rate_limit_returns_retry_after: past OTP_MAX_PER_WINDOW → 429 with retry_after_seconds`, async () => {
  const t = await makeTestApp({
    OTP_MAX_PER_WINDOW: "1",
    OTP_WINDOW_MINUTES: "15",
    OTP_RESEND_COOLDOWN_SECONDS: "0",
  });
  try {
    const body = { phone_number: PHONE_LOCAL, channel: "sms" };
    assert.equal((await postJson(t.app, "/api/auth/phone/request/", body)).status, 201);
    const second = await postJson(t.app, "/api/auth/phone/request/", body);
    assert.equal(second.status, 429);
    const data = await second.json();
    assert.ok(data.detail);
    assert.ok(data.retry_after_seconds > 0);
  } finally {
    await t.close();
  }
});

Deno.test(`seed contract (${backend}) - test_phone_auth_request_ip_throttle_returns_retry_after: the third number from one IP (limit 2) → 429`, async () => {
  const t = await makeTestApp({
    OTP_MAX_PER_WINDOW: "20",
    OTP_RESEND_COOLDOWN_SECONDS: "0",
    OTP_RISK_WINDOW_MINUTES: "15",
    OTP_IP_MAX_PER_WINDOW: "2",
    OTP_DEVICE_MAX_PER_WINDOW: "20",
  });
  try {
    const ip = fromIp("203.0.113.10");
    const send = (phone: string, device: string) =>
      postJson(
        t.app,
        "/api/auth/phone/request/",
        {
          phone_number: phone,
          channel: "sms",
          device_id: device,
        },
        {},
        ip,
      );
    assert.equal((await send("0512345678", "d1")).status, 201);
    assert.equal((await send("0512345679", "d2")).status, 201);
    const third = await send("0512345680", "d3");
    assert.equal(third.status, 429);
    const data = await third.json();
    assert.ok(data.detail);
    assert.ok(data.retry_after_seconds > 0);
    assert.equal(
      (await postJson(
        t.app,
        "/api/auth/phone/request/",
        {
          phone_number: "0512345681",
          channel: "sms",
        },
        {},
        fromIp("203.0.113.11"),
      )).status,
      201,
      "another IP is not affected",
    );
  } finally {
    await t.close();
  }
});

Deno.test(`seed contract (${backend}) - test_phone_auth_request_persists_request_ip_and_device_signal`, async () => {
  const t = await makeTestApp();
  try {
    const res = await postJson(
      t.app,
      "/api/auth/phone/request/",
      {
        phone_number: PHONE_LOCAL,
        channel: "sms",
        device_id: "device-abc",
      },
      { "user-agent": "pytest-agent" },
      fromIp("198.51.100.40"),
    );
    assert.equal(res.status, 201);
    const otp = await otpRow(t.db, (await res.json()).request_id);
    assert.equal(otp.request_ip, "198.51.100.40");
    assert.match(otp.device_signal, /^sha256:[0-9a-f]{24}$/);
    assert.ok(!otp.device_signal.includes("device-abc"), "the device id is stored hashed");
  } finally {
    await t.close();
  }
});

Deno.test(`seed contract (${backend}) - test_create_user_rejects_email_only_identity / test_db_rejects_null_phone_number: no user without a phone`, async () => {
  const t = await makeTestApp();
  try {
    const err = await t.db.query("INSERT INTO users (email) VALUES ('email-only@example.com')")
      .catch((e) => e);
    assert.ok(err instanceof DbError);
    assert.equal(err.code, PG_NOT_NULL_VIOLATION);
  } finally {
    await t.close();
  }
});

Deno.test(`seed contract (${backend}) - test_register_requires_phone_number: signing up without a phone is a 400 on phone_number`, async () => {
  const t = await makeTestApp();
  try {
    const res = await postJson(t.app, "/api/auth/phone/request/", {
      email: "new@example.com",
      channel: "sms",
    });
    assert.equal(res.status, 400);
    assert.ok("phone_number" in await res.json());
    assert.equal(await count(t.db, "users"), 0);
  } finally {
    await t.close();
  }
});

Deno.test(`seed contract (${backend}) - test_phone_auth_verify_rejects_verify_purpose_otp / test_otp_verify_rejects_auth_purpose_otp: each verify endpoint takes only its own purpose`, async (s) => {
  const t = await makeTestApp();
  try {
    const { access } = await login(t);
    const bearer = { authorization: `Bearer ${access}` };
    t.clock.advance(61_000);
    await s.step("a verify code at /phone/verify/ → 400, and stays usable", async () => {
      const res = await postJson(t.app, "/api/auth/otp/request/", { channel: "sms" }, bearer);
      assert.equal(res.status, 201);
      const { request_id } = await res.json();
      const code = codeFor(t, request_id);
      const wrong = await postJson(t.app, "/api/auth/phone/verify/", { request_id, code });
      assert.equal(wrong.status, 400);
      assert.equal((await wrong.json()).detail, "الرمز غير صحيح أو منتهي الصلاحية");
      assert.equal((await otpRow(t.db, request_id)).attempt_count, 0, "no attempt was spent");
      const right = await postJson(t.app, "/api/auth/otp/verify/", { request_id, code }, bearer);
      assert.equal(right.status, 200);
    });
    await s.step("an auth code at /otp/verify/ → 400", async () => {
      t.clock.advance(61_000);
      const { request_id } = await requestCode(t);
      const res = await postJson(t.app, "/api/auth/otp/verify/", {
        request_id,
        code: codeFor(t, request_id),
      }, { ...bearer, "accept-language": "en" });
      assert.equal(res.status, 400);
      assert.equal((await res.json()).detail, "Invalid or expired code");
    });
  } finally {
    await t.close();
  }
});

Deno.test(`seed contract (${backend}) - test_db_rejects_non_e164_phone_number / duplicate: the CHECK and UNIQUE constraints hold`, async () => {
  const t = await makeTestApp();
  try {
    const bad = await t.db.query("INSERT INTO users (phone_number) VALUES ('0512345678')").catch((
      e,
    ) => e);
    assert.ok(bad instanceof DbError);
    assert.equal(bad.code, PG_CHECK_VIOLATION);
    assert.equal(bad.constraint, "users_phone_e164");
    await makeUser(t.db, { phone: PHONE });
    const dup = await makeUser(t.db, { phone: PHONE }).catch((e) => e);
    assert.ok(dup instanceof DbError);
    assert.equal(dup.code, PG_UNIQUE_VIOLATION);
    assert.equal(dup.constraint, "users_phone_number_key");
  } finally {
    await t.close();
  }
});

Deno.test(`seed contract (${backend}) - test_password_token_endpoint_is_disabled: /api/auth/token/ → 410 {detail}`, async () => {
  const t = await makeTestApp();
  try {
    await makeUser(t.db);
    const res = await postJson(t.app, "/api/auth/token/", {
      phone_number: PHONE,
      password: "StrongPass123",
    });
    assert.equal(res.status, 410);
    assert.ok((await res.json()).detail);
    const social = await postJson(t.app, "/api/auth/social/", { provider: "google" });
    assert.equal(social.status, 501);
    assert.ok((await social.json()).detail);
  } finally {
    await t.close();
  }
});

Deno.test(`seed contract (${backend}) - test_otp_max_attempts_blocks_verification: after 5 wrong codes even the right one fails`, async () => {
  const t = await makeTestApp();
  try {
    const { request_id } = await requestCode(t);
    const code = codeFor(t, request_id);
    for (let i = 0; i < 5; i++) {
      const res = await postJson(t.app, "/api/auth/phone/verify/", {
        request_id,
        code: wrongCode(code),
      });
      assert.equal(res.status, 400);
    }
    assert.equal((await otpRow(t.db, request_id)).attempt_count, 5);
    const right = await postJson(t.app, "/api/auth/phone/verify/", { request_id, code });
    assert.equal(right.status, 400);
    const otp = await otpRow(t.db, request_id);
    assert.ok(otp.attempt_count >= 5);
    assert.equal(otp.used_at, null);
  } finally {
    await t.close();
  }
});

Deno.test(`seed contract (${backend}) - test_otp_cooldown_retry_after_seconds / test_otp_rate_limit_retry_after_seconds: exact waits with the clock`, async (s) => {
  await s.step("cooldown: exactly 60", async () => {
    const t = await makeTestApp({ OTP_RESEND_COOLDOWN_SECONDS: "60" });
    try {
      await requestCode(t);
      const res = await postJson(t.app, "/api/auth/phone/request/", {
        phone_number: PHONE,
        channel: "sms",
      });
      assert.equal(res.status, 429);
      assert.equal((await res.json()).retry_after_seconds, 60);
    } finally {
      await t.close();
    }
  });
  await s.step("window: the oldest code leaves the window in exactly 10 s", async () => {
    const t = await makeTestApp({
      OTP_MAX_PER_WINDOW: "1",
      OTP_WINDOW_MINUTES: "15",
      OTP_RESEND_COOLDOWN_SECONDS: "0",
    });
    try {
      await requestCode(t);
      t.clock.advance(15 * 60_000 - 10_000);
      const res = await postJson(t.app, "/api/auth/phone/request/", {
        phone_number: PHONE,
        channel: "sms",
      });
      assert.equal(res.status, 429);
      assert.equal((await res.json()).retry_after_seconds, 10);
      t.clock.advance(10_000);
      assert.equal(
        (await postJson(t.app, "/api/auth/phone/request/", {
          phone_number: PHONE,
          channel: "sms",
        })).status,
        201,
      );
    } finally {
      await t.close();
    }
  });
});

Deno.test(`seed contract (${backend}) - test_otp_resend_after_cooldown_ok: after the cooldown a second code is sent`, async () => {
  const t = await makeTestApp({ OTP_RESEND_COOLDOWN_SECONDS: "1" });
  try {
    await requestCode(t);
    t.clock.advance(5_000);
    await requestCode(t);
    assert.equal(await count(t.db, "otp_requests WHERE phone_number = $1", [PHONE]), 2);
  } finally {
    await t.close();
  }
});

Deno.test(`seed contract (${backend}) - test_verify_otp_rejects_expired: an expired code fails and spends no attempt`, async () => {
  const t = await makeTestApp();
  try {
    const { request_id } = await requestCode(t);
    t.clock.advance(5 * 60_000 + 1);
    const res = await postJson(t.app, "/api/auth/phone/verify/", {
      request_id,
      code: codeFor(t, request_id),
    });
    assert.equal(res.status, 400);
    const otp = await otpRow(t.db, request_id);
    assert.equal(otp.attempt_count, 0);
    assert.equal(otp.used_at, null);
  } finally {
    await t.close();
  }
});

Deno.test(`seed contract (${backend}) - test_verify_otp_rejects_reuse_after_verified: a used code fails and spends no attempt`, async () => {
  const t = await makeTestApp();
  try {
    const { request_id } = await requestCode(t);
    const code = codeFor(t, request_id);
    assert.equal(
      (await postJson(t.app, "/api/auth/phone/verify/", { request_id, code })).status,
      200,
    );
    assert.equal((await otpRow(t.db, request_id)).attempt_count, 1);
    assert.equal(
      (await postJson(t.app, "/api/auth/phone/verify/", { request_id, code })).status,
      400,
    );
    assert.equal((await otpRow(t.db, request_id)).attempt_count, 1);
  } finally {
    await t.close();
  }
});

Deno.test(`seed contract (${backend}) - test_otp_request_whatsapp_ok / test_otp_verify_rejects_expired: the verify-purpose endpoints`, async (s) => {
  const t = await makeTestApp();
  try {
    const { access } = await login(t);
    const bearer = { authorization: `Bearer ${access}` };
    let requestId = "";
    await s.step("whatsapp request → 201 {request_id, expires_at}", async () => {
      const res = await postJson(t.app, "/api/auth/otp/request/", {
        phone_number: PHONE_LOCAL,
        channel: "whatsapp",
      }, bearer);
      assert.equal(res.status, 201);
      const data = await res.json();
      assert.ok(data.request_id);
      assert.ok(data.expires_at);
      requestId = data.request_id;
      assert.equal(t.otpMessages.at(-1)?.channel, "whatsapp");
    });
    await s.step("expired → 400", async () => {
      t.clock.advance(5 * 60_000 + 1);
      const res = await postJson(t.app, "/api/auth/otp/verify/", {
        request_id: requestId,
        code: codeFor(t, requestId),
      }, bearer);
      assert.equal(res.status, 400);
    });
    await s.step("signed out → 401", async () => {
      const res = await postJson(t.app, "/api/auth/otp/request/", { channel: "sms" });
      assert.equal(res.status, 401);
    });
  } finally {
    await t.close();
  }
});

Deno.test(`seed contract (${backend}) - phone auth 404 handling: unknown or malformed request ids are the same 400 as a wrong code`, async () => {
  const t = await makeTestApp();
  try {
    for (const request_id of [crypto.randomUUID(), "not-a-uuid", "1; DROP TABLE users"]) {
      const res = await postJson(t.app, "/api/auth/phone/verify/", { request_id, code: "123456" }, {
        "accept-language": "en",
      });
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), { detail: "Invalid or expired code" });
    }
  } finally {
    await t.close();
  }
});
