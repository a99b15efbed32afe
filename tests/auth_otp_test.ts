/** One-time codes: secrecy, single use, binding, expiry, limits across instances, provider failure. */
import assert from "node:assert/strict";
import { flushLog, setLogLevel } from "@/log.ts";
import { generateCode } from "@/services/auth/crypto.ts";
import { normalizeIp } from "@/services/auth/otp.ts";
import { consoleOtpProvider, OtpProviderError } from "@/services/auth/otp_providers.ts";
import { makeTestApp } from "./helpers/app.ts";
import { testBackend } from "./helpers/db.ts";
import {
  ACCEPT_PRIVACY,
  codeFor,
  fromIp,
  PHONE,
  PHONE_LOCAL,
  postJson,
  requestCode,
  wrongCode,
} from "./helpers/auth.ts";

const backend = testBackend();

Deno.test(`otp (${backend}) - brute force: after 5 wrong guesses the 6th attempt fails even with the right code`, async () => {
  const t = await makeTestApp();
  try {
    const { request_id } = await requestCode(t);
    const code = codeFor(t, request_id);
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (await postJson(t.app, "/api/auth/phone/verify/", { request_id, code: wrongCode(code) }))
          .status,
      );
    }
    assert.deepEqual(statuses, [400, 400, 400, 400, 400]);
    const sixth = await postJson(t.app, "/api/auth/phone/verify/", { request_id, code });
    assert.equal(sixth.status, 400);
    const [user] = await t.db.query<{ is_phone_verified: boolean }>(
      "SELECT is_phone_verified FROM users WHERE phone_number = $1",
      [PHONE],
    );
    assert.equal(user.is_phone_verified, false);
    assert.equal((await t.db.query("SELECT 1 FROM sessions")).length, 0, "no session was made");
  } finally {
    await t.close();
  }
});

Deno.test(`otp (${backend}) - codes are 6 CSPRNG digits stored only as a keyed hash`, async () => {
  const t = await makeTestApp();
  try {
    const { request_id } = await requestCode(t);
    const code = codeFor(t, request_id);
    assert.match(code, /^[0-9]{6}$/);
    const [row] = await t.db.query<{ code_hash: string }>(
      "SELECT code_hash FROM otp_requests WHERE id = $1",
      [request_id],
    );
    assert.match(row.code_hash, /^[0-9a-f]{64}$/);
    const dump = JSON.stringify(await t.db.query("SELECT * FROM otp_requests"));
    assert.ok(!dump.includes(code), "the code itself is nowhere in the table");
    const seen = new Set(Array.from({ length: 2000 }, generateCode));
    assert.ok(seen.size > 1990, "codes do not repeat in practice");
    assert.ok([...seen].every((c) => /^[0-9]{6}$/.test(c)));
  } finally {
    await t.close();
  }
});

Deno.test(`otp (${backend}) - a code is bound to its request: another request's id does not take it`, async () => {
  const t = await makeTestApp();
  try {
    const a = await requestCode(t, "0512345678");
    const b = await requestCode(t, "0512345679");
    const res = await postJson(t.app, "/api/auth/phone/verify/", {
      request_id: b.request_id,
      code: codeFor(t, a.request_id),
    });
    // (a 1-in-a-million coincidence aside)
    if (codeFor(t, a.request_id) !== codeFor(t, b.request_id)) assert.equal(res.status, 400);
  } finally {
    await t.close();
  }
});

Deno.test(`otp (${backend}) - a newer code supersedes the older one for the same phone`, async () => {
  const t = await makeTestApp();
  try {
    const first = await requestCode(t);
    t.clock.advance(61_000);
    const second = await requestCode(t);
    const old = await postJson(t.app, "/api/auth/phone/verify/", {
      request_id: first.request_id,
      code: codeFor(t, first.request_id),
    });
    assert.equal(old.status, 400);
    const fresh = await postJson(t.app, "/api/auth/phone/verify/", {
      request_id: second.request_id,
      code: codeFor(t, second.request_id),
    });
    assert.equal(fresh.status, 200);
  } finally {
    await t.close();
  }
});

Deno.test(`otp (${backend}) - expiry follows the injected clock: valid at 4:59, dead at 5:00`, async (s) => {
  const t = await makeTestApp({ OTP_RESEND_COOLDOWN_SECONDS: "0" });
  try {
    await s.step("4:59 → 200", async () => {
      const { request_id, expires_at } = await requestCode(t);
      assert.equal(new Date(expires_at).getTime() - t.clock.now().getTime(), 300_000);
      t.clock.advance(299_000);
      const res = await postJson(t.app, "/api/auth/phone/verify/", {
        request_id,
        code: codeFor(t, request_id),
      });
      assert.equal(res.status, 200);
    });
    await s.step("5:00 → 400", async () => {
      const { request_id } = await requestCode(t);
      t.clock.advance(300_000);
      const res = await postJson(t.app, "/api/auth/phone/verify/", {
        request_id,
        code: codeFor(t, request_id),
      });
      assert.equal(res.status, 400);
    });
  } finally {
    await t.close();
  }
});

Deno.test(`otp (${backend}) - codes typed with Arabic-Indic digits or spaces are accepted`, async () => {
  const t = await makeTestApp();
  try {
    const { request_id } = await requestCode(t);
    const code = codeFor(t, request_id);
    const arabic = [...code].map((d) => String.fromCharCode(0x0660 + Number(d))).join("");
    const res = await postJson(t.app, "/api/auth/phone/verify/", {
      request_id,
      code: `${arabic.slice(0, 3)} ${arabic.slice(3)}`,
    });
    assert.equal(res.status, 200);
  } finally {
    await t.close();
  }
});

Deno.test(`otp (${backend}) - limits hold across two app instances sharing one database`, async (s) => {
  const t = await makeTestApp({ OTP_MAX_PER_WINDOW: "2", OTP_RESEND_COOLDOWN_SECONDS: "60" });
  try {
    const a = t.app;
    const b = t.secondInstance();
    const body = { phone_number: PHONE_LOCAL, channel: "sms", ...ACCEPT_PRIVACY };
    await s.step("cooldown set on A is enforced by B", async () => {
      assert.equal((await postJson(a, "/api/auth/phone/request/", body)).status, 201);
      const res = await postJson(b, "/api/auth/phone/request/", body);
      assert.equal(res.status, 429);
      assert.equal((await res.json()).retry_after_seconds, 60);
    });
    await s.step("the per-phone window counts codes from both instances", async () => {
      t.clock.advance(61_000);
      assert.equal((await postJson(b, "/api/auth/phone/request/", body)).status, 201);
      t.clock.advance(61_000);
      const res = await postJson(a, "/api/auth/phone/request/", body);
      assert.equal(res.status, 429);
      const data = await res.json();
      assert.equal(data.retry_after_seconds, 15 * 60 - 122, "until the first code leaves");
    });
    await s.step("a code sent through A is redeemed through B", async () => {
      const [{ id }] = await t.db.query<{ id: string }>(
        "SELECT id FROM otp_requests WHERE status = 'sent'",
      );
      const res = await postJson(b, "/api/auth/phone/verify/", {
        request_id: id,
        code: codeFor(t, id),
      });
      assert.equal(res.status, 200);
    });
  } finally {
    await t.close();
  }
});

Deno.test(`otp (${backend}) - 12 simultaneous requests for one phone over two instances: exactly one code`, async () => {
  const t = await makeTestApp();
  try {
    const apps = [t.app, t.secondInstance()];
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        postJson(apps[i % 2], "/api/auth/phone/request/", {
          phone_number: PHONE_LOCAL,
          channel: "sms",
          ...ACCEPT_PRIVACY,
        }).then((r) => r.status)),
    );
    assert.equal(results.filter((s) => s === 201).length, 1, JSON.stringify(results));
    assert.equal(results.filter((s) => s === 429).length, 11);
    const [{ n }] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM users");
    assert.equal(n, 1, "one user, however the requests interleaved");
    assert.equal(t.otpMessages.length, 1);
  } finally {
    await t.close();
  }
});

Deno.test(`otp (${backend}) - per-device limit: one device_id across many phones and IPs`, async () => {
  const t = await makeTestApp({ OTP_DEVICE_MAX_PER_WINDOW: "3", OTP_RESEND_COOLDOWN_SECONDS: "0" });
  try {
    const send = (i: number, device: string) =>
      postJson(
        t.app,
        "/api/auth/phone/request/",
        {
          phone_number: `05123456${String(i).padStart(2, "0")}`,
          channel: "sms",
          device_id: device,
        },
        {},
        fromIp(`198.51.100.${i}`),
      ).then((r) => r.status);
    assert.deepEqual([await send(1, "dev-1"), await send(2, "dev-1"), await send(3, "dev-1")], [
      201,
      201,
      201,
    ]);
    assert.equal(await send(4, "dev-1"), 429);
    assert.equal(await send(5, "dev-2"), 201, "another device is fine");
    t.clock.advance(15 * 60_000);
    assert.equal(await send(6, "dev-1"), 201, "the window moves on");
  } finally {
    await t.close();
  }
});

Deno.test(`otp (${backend}) - without a device_id, user agent + language is the device`, async () => {
  const t = await makeTestApp({
    OTP_DEVICE_MAX_PER_WINDOW: "1",
    OTP_IP_MAX_PER_WINDOW: "0",
  });
  try {
    const headers = { "user-agent": "Phone/1.0", "accept-language": "ar" };
    const send = (phone: string, h: Record<string, string>) =>
      postJson(t.app, "/api/auth/phone/request/", { phone_number: phone, channel: "sms" }, h)
        .then((r) => r.status);
    assert.equal(await send("0512345671", headers), 201);
    assert.equal(await send("0512345672", headers), 429);
    assert.equal(await send("0512345673", { ...headers, "user-agent": "Other/2.0" }), 201);
  } finally {
    await t.close();
  }
});

Deno.test(`otp (${backend}) - the answer is the same whether or not the phone has an account`, async () => {
  const t = await makeTestApp();
  try {
    await requestCode(t, "0512345671");
    t.clock.advance(61_000);
    const known = await postJson(t.app, "/api/auth/phone/request/", {
      phone_number: "0512345671",
      channel: "sms",
    });
    const unknown = await postJson(t.app, "/api/auth/phone/request/", {
      phone_number: "0512345672",
      channel: "sms",
    });
    assert.equal(known.status, unknown.status);
    const [a, b] = [await known.json(), await unknown.json()];
    assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort());
    assert.equal(a.resend_after_seconds, b.resend_after_seconds);
    assert.equal(
      new Date(a.expires_at).getTime() - t.clock.now().getTime(),
      new Date(b.expires_at).getTime() - t.clock.now().getTime(),
    );
  } finally {
    await t.close();
  }
});

Deno.test(`otp (${backend}) - only ALLOWED_PHONE_COUNTRIES receive codes (SMS-pumping defence)`, async (s) => {
  await s.step("default SA: a UAE mobile → 400 on phone_number, nothing sent", async () => {
    const t = await makeTestApp();
    try {
      const res = await postJson(t.app, "/api/auth/phone/request/", {
        phone_number: "+971501234567",
        channel: "sms",
      }, { "accept-language": "en" });
      assert.equal(res.status, 400);
      assert.deepEqual((await res.json()).phone_number, [
        "We can't send codes to numbers in this country yet.",
      ]);
      assert.equal(t.otpMessages.length, 0);
    } finally {
      await t.close();
    }
  });
  await s.step("SA,AE: the same number → 201", async () => {
    const t = await makeTestApp({ ALLOWED_PHONE_COUNTRIES: "SA, ae" });
    try {
      const res = await postJson(t.app, "/api/auth/phone/request/", {
        phone_number: "00971501234567",
        channel: "whatsapp",
      });
      assert.equal(res.status, 201);
      assert.equal(t.otpMessages[0].phone, "+971501234567");
    } finally {
      await t.close();
    }
  });
});

Deno.test(`otp (${backend}) - a provider failure is a localized 502 and leaves no usable code`, async () => {
  let fail = true;
  const inner = consoleOtpProvider(() => {});
  const sent: string[] = [];
  const flaky = {
    ...inner,
    send(message: Parameters<typeof inner.send>[0]) {
      if (fail) return Promise.reject(new OtpProviderError("down"));
      sent.push(message.code!);
      return inner.send(message);
    },
  };
  const t = await makeTestApp({}, { otp: flaky });
  try {
    const res = await postJson(t.app, "/api/auth/phone/request/", {
      phone_number: PHONE_LOCAL,
      channel: "sms",
    }, { "accept-language": "ar" });
    assert.equal(res.status, 502);
    assert.equal(
      (await res.json()).detail,
      "تعذّر الوصول إلى خدمة الرسائل ولم يُرسَل أي رمز. حاول مرة أخرى بعد قليل.",
    );
    const [row] = await t.db.query<{ id: string; status: string }>(
      "SELECT id, status FROM otp_requests",
    );
    assert.equal(row.status, "failed");
    for (const code of ["000000", "123456"]) {
      const verify = await postJson(t.app, "/api/auth/phone/verify/", {
        request_id: row.id,
        code,
      });
      assert.equal(verify.status, 400);
    }
    fail = false;
    const retry = await postJson(t.app, "/api/auth/phone/request/", {
      phone_number: PHONE_LOCAL,
      channel: "sms",
      ...ACCEPT_PRIVACY,
    });
    assert.equal(retry.status, 201, "a failed send does not start the cooldown");
    const { request_id } = await retry.json();
    const ok = await postJson(t.app, "/api/auth/phone/verify/", { request_id, code: sent[0] });
    assert.equal(ok.status, 200);
  } finally {
    await t.close();
  }
});

Deno.test(`otp (${backend}) - codes and tokens never reach the logs (only the console provider's own line)`, async () => {
  const lines: string[] = [];
  const original = { log: console.log, error: console.error };
  console.log = (...args: unknown[]) => lines.push(args.join(" "));
  console.error = (...args: unknown[]) => lines.push(args.join(" "));
  setLogLevel("debug");
  const t = await makeTestApp();
  setLogLevel("debug");
  try {
    const { request_id } = await requestCode(t);
    const code = codeFor(t, request_id);
    await postJson(t.app, "/api/auth/phone/verify/", { request_id, code: wrongCode(code) });
    const res = await postJson(t.app, "/api/auth/phone/verify/", { request_id, code });
    const { access, refresh } = await res.json();
    await postJson(t.app, "/api/auth/token/refresh/", { refresh });
    flushLog();
    const all = lines.join("\n");
    assert.ok(lines.some((l) => l.includes('"event":"http.request"')), "logging was on");
    for (const secret of [code, access, refresh]) assert.ok(!all.includes(secret));
  } finally {
    console.log = original.log;
    console.error = original.error;
    setLogLevel("warn");
    await t.close();
  }
});

Deno.test("otp - client IPs as rate-limit keys: IPv4 as is, IPv6 by /64, junk → null", () => {
  const cases: [string | undefined, string | null][] = [
    ["203.0.113.10", "203.0.113.10"],
    ["203.0.113.10, 10.0.0.1", "203.0.113.10"],
    ["2001:db8:85a3:1:2:8a2e:370:7334", "2001:db8:85a3:1::/64"],
    ["2001:db8:85a3:1::1", "2001:db8:85a3:1::/64"],
    ["[2001:0db8::1]", "2001:db8:0:0::/64"],
    ["::ffff:198.51.100.7", "198.51.100.7"],
    ["999.1.1.1", null],
    ["not an ip", null],
    ["", null],
    [undefined, null],
  ];
  for (const [input, expected] of cases) assert.equal(normalizeIp(input), expected, String(input));
});

Deno.test(`otp (${backend}) - X-Forwarded-For counts only behind a trusted proxy (TRUST_PROXY)`, async () => {
  // The proxy appended 198.51.100.20 (what it saw); 203.0.113.7 is whatever the client wrote.
  for (const [trust, expected] of [["false", "10.0.0.5"], ["true", "198.51.100.20"]] as const) {
    const t = await makeTestApp({ TRUST_PROXY: trust });
    try {
      const res = await postJson(
        t.app,
        "/api/auth/phone/request/",
        {
          phone_number: PHONE_LOCAL,
          channel: "sms",
        },
        { "x-forwarded-for": "203.0.113.7, 198.51.100.20" },
        fromIp("10.0.0.5"),
      );
      assert.equal(res.status, 201);
      const [row] = await t.db.query<{ request_ip: string }>("SELECT request_ip FROM otp_requests");
      assert.equal(row.request_ip, expected, `TRUST_PROXY=${trust}`);
    } finally {
      await t.close();
    }
  }
});
