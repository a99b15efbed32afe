/** The Authentica provider against a local fake of its v2 OTP API. */
import assert from "node:assert/strict";
import { authenticaOtpProvider, OtpProviderError } from "@/services/auth/otp_providers.ts";
import { startAuthenticaFake } from "./fakes/authentica.ts";
import { makeTestApp } from "./helpers/app.ts";
import { testBackend } from "./helpers/db.ts";
import { ACCEPT_PRIVACY, PHONE, PHONE_LOCAL, postJson } from "./helpers/auth.ts";

const backend = testBackend();

async function setup(env: Record<string, string> = {}) {
  const fake = startAuthenticaFake();
  const t = await makeTestApp({
    OTP_PROVIDER: "authentica",
    AUTHENTICA_API_KEY: fake.key,
    AUTHENTICA_BASE_URL: fake.url,
    AUTHENTICA_TIMEOUT_MS: "300",
    ...env,
  });
  return {
    fake,
    t,
    async close() {
      await t.close();
      await fake.close();
    },
  };
}

const request = (t: Awaited<ReturnType<typeof setup>>["t"], channel = "sms") =>
  postJson(t.app, "/api/auth/phone/request/", {
    phone_number: PHONE_LOCAL,
    channel,
    ...ACCEPT_PRIVACY,
  }, {
    "accept-language": "en",
  });

const verify = (t: Awaited<ReturnType<typeof setup>>["t"], request_id: string, code: string) =>
  postJson(t.app, "/api/auth/phone/verify/", { request_id, code }, { "accept-language": "en" });

Deno.test(`authentica (${backend}) - success: send-otp and verify-otp with the documented shapes log the customer in`, async () => {
  const { fake, t, close } = await setup();
  try {
    const res = await request(t);
    assert.equal(res.status, 201);
    const { request_id } = await res.json();
    const [send] = fake.requests;
    assert.equal(send.path, "/api/v2/send-otp");
    assert.deepEqual(send.body, { method: "sms", phone: PHONE });
    assert.equal(send.headers["x-authorization"], fake.key);
    assert.equal(send.headers["content-type"], "application/json");
    assert.equal(send.headers["accept"], "application/json");
    const [row] = await t.db.query<{ code_hash: string | null; provider: string }>(
      "SELECT code_hash, provider FROM otp_requests WHERE id = $1",
      [request_id],
    );
    assert.deepEqual(row, { code_hash: null, provider: "authentica" }, "Authentica holds the code");

    const ok = await verify(t, request_id, fake.codeFor(PHONE)!);
    assert.equal(ok.status, 200);
    const body = await ok.json();
    assert.ok(body.access && body.refresh);
    assert.equal(body.user.is_phone_verified, true);
    const check = fake.requests.at(-1)!;
    assert.equal(check.path, "/api/v2/verify-otp");
    assert.deepEqual(Object.keys(check.body).sort(), ["otp", "phone"]);
    assert.equal(check.body.phone, PHONE);
    assert.equal(check.headers["x-authorization"], fake.key);
  } finally {
    await close();
  }
});

Deno.test(`authentica (${backend}) - WhatsApp goes out as method "whatsapp"; an unknown channel never reaches Authentica`, async () => {
  const { fake, t, close } = await setup();
  try {
    assert.equal((await request(t, "whatsapp")).status, 201);
    assert.equal(fake.requests[0].body.method, "whatsapp");
    const email = await request(t, "email");
    assert.equal(email.status, 400);
    assert.ok("channel" in await email.json());
    assert.equal(fake.requests.length, 1);
  } finally {
    await close();
  }
});

Deno.test(`authentica (${backend}) - a wrong code (400 or 200 {status:false}) is "Invalid or expired code"; 5 wrong and the right one fails too`, async () => {
  const { fake, t, close } = await setup();
  try {
    const { request_id } = await (await request(t)).json();
    const right = fake.codeFor(PHONE)!;
    const wrong = right === "000000" ? "111111" : "000000";
    for (const style of ["400", "200", "400", "200", "400"] as const) {
      fake.wrongCodeStyle = style;
      const res = await verify(t, request_id, wrong);
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), { detail: "Invalid or expired code" });
    }
    const asked = fake.requests.length;
    const sixth = await verify(t, request_id, right);
    assert.equal(sixth.status, 400);
    assert.equal(fake.requests.length, asked, "an exhausted request is refused without asking");
  } finally {
    await close();
  }
});

Deno.test(`authentica (${backend}) - a timeout is a 502 that leaves no usable code and does not start the cooldown`, async () => {
  const { fake, t, close } = await setup();
  try {
    fake.mode = "slow";
    const started = performance.now();
    const res = await request(t);
    assert.ok(performance.now() - started < 1200, "gave up at AUTHENTICA_TIMEOUT_MS");
    assert.equal(res.status, 502);
    assert.deepEqual(await res.json(), {
      detail:
        "We couldn't reach our messaging service. No code was sent; please try again in a moment.",
    });
    const [row] = await t.db.query<{ id: string; status: string }>(
      "SELECT id, status FROM otp_requests",
    );
    assert.equal(row.status, "failed");
    fake.mode = "ok";
    assert.equal((await verify(t, row.id, "123456")).status, 400, "the failed request is dead");
    assert.equal((await request(t)).status, 201, "no cooldown after a failed send");
  } finally {
    await close();
  }
});

Deno.test(`authentica (${backend}) - a 500, a 401 or {success:false} from send-otp is a 502`, async () => {
  const { fake, t, close } = await setup({ OTP_RESEND_COOLDOWN_SECONDS: "0" });
  try {
    for (const mode of ["error500", "unauthorized", "sendRefused"] as const) {
      fake.mode = mode;
      const res = await request(t);
      assert.equal(res.status, 502, mode);
    }
    const statuses = await t.db.query<{ status: string }>("SELECT status FROM otp_requests");
    assert.ok(statuses.every((r) => r.status === "failed"));
  } finally {
    await close();
  }
});

Deno.test(`authentica (${backend}) - verify-otp failing (500 or timeout) is a 502 and gives the attempt back`, async () => {
  const { fake, t, close } = await setup();
  try {
    const { request_id } = await (await request(t)).json();
    for (const mode of ["error500", "slow"] as const) {
      fake.mode = mode;
      const res = await verify(t, request_id, fake.codeFor(PHONE)!);
      assert.equal(res.status, 502, mode);
    }
    const [row] = await t.db.query<{ attempt_count: number }>(
      "SELECT attempt_count FROM otp_requests WHERE id = $1",
      [request_id],
    );
    assert.equal(row.attempt_count, 0);
    fake.mode = "ok";
    assert.equal((await verify(t, request_id, fake.codeFor(PHONE)!)).status, 200);
  } finally {
    await close();
  }
});

Deno.test("authentica - the provider on its own: the seed's {verified: true} answer counts, errors throw OtpProviderError", async () => {
  const answers: Response[] = [];
  const calls: { url: string; init: RequestInit }[] = [];
  const provider = authenticaOtpProvider({
    apiKey: "api-key",
    baseUrl: "https://authentica.test",
    timeoutMs: 7000,
    fetch: (url, init) => {
      calls.push({ url: String(url), init: init! });
      return Promise.resolve(answers.shift()!);
    },
  });
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

  answers.push(json(200, { success: true }));
  await provider.send({
    phone: PHONE,
    channel: "sms",
    code: null,
    requestId: "r",
    locale: "ar",
    now: new Date(),
  });
  assert.equal(calls[0].url, "https://authentica.test/api/v2/send-otp");
  assert.equal(new Headers(calls[0].init.headers).get("x-authorization"), "api-key");
  assert.ok(calls[0].init.signal, "every call has a timeout signal");

  answers.push(json(200, { verified: true }));
  assert.equal(await provider.check!({ phone: PHONE, code: "123456" }), true);
  assert.deepEqual(JSON.parse(String(calls[1].init.body)), { phone: PHONE, otp: "123456" });
  answers.push(json(200, { verified: false }));
  assert.equal(await provider.check!({ phone: PHONE, code: "123456" }), false);
  answers.push(json(422, { message: "invalid" }));
  assert.equal(await provider.check!({ phone: PHONE, code: "123456" }), false);

  answers.push(json(503, { detail: "fail" }));
  await assert.rejects(provider.check!({ phone: PHONE, code: "123456" }), OtpProviderError);
  answers.push(json(400, { detail: "fail" }));
  await assert.rejects(
    provider.send({
      phone: PHONE,
      channel: "sms",
      code: null,
      requestId: "r",
      locale: "ar",
      now: new Date(),
    }),
    OtpProviderError,
  );
});
