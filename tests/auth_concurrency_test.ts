/**
 * Limits and tokens under many simultaneous requests over two app instances, with a clock that
 * ticks like a wall clock (each request reads a slightly different time, as in production).
 */
import assert from "node:assert/strict";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { testBackend } from "./helpers/db.ts";
import { ACCEPT_PRIVACY, fromIp, login, postJson } from "./helpers/auth.ts";

const backend = testBackend();

function codeRequest(
  t: TestApp,
  i: number,
  fields: { phone?: string; device?: string; ip?: string; headers?: Record<string, string> },
) {
  const apps = [t.app, t.secondInstance()];
  return postJson(
    apps[i % 2],
    "/api/auth/phone/request/",
    {
      phone_number: fields.phone ?? `0512${String(100000 + i)}`,
      channel: "sms",
      device_id: fields.device ?? `device-${i}`,
      ...ACCEPT_PRIVACY,
    },
    fields.headers ?? {},
    fromIp(fields.ip ?? `198.51.100.${(i % 250) + 1}`),
  ).then(async (r) => {
    await r.body?.cancel();
    return r.status;
  });
}

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

Deno.test(`otp limits (${backend}) - 60 simultaneous requests from one address issue at most 20 codes`, async () => {
  const t = await makeTestApp();
  try {
    t.clock.ticking(50);
    const statuses = await Promise.all(
      Array.from({ length: 60 }, (_, i) => codeRequest(t, i, { ip: "203.0.113.9" })),
    );
    assert.equal(count(statuses, 201), 20, JSON.stringify(statuses));
    assert.equal(count(statuses, 429), 40);
    const [{ n }] = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM otp_requests WHERE status <> 'failed'",
    );
    assert.equal(n, 20, "20 codes recorded");
    assert.equal(t.otpMessages.length, 20, "20 codes sent");
  } finally {
    await t.close();
  }
});

Deno.test(`otp limits (${backend}) - 20 simultaneous requests for one phone and channel issue one`, async () => {
  const t = await makeTestApp();
  try {
    t.clock.ticking(50);
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => codeRequest(t, i, { phone: "0512345678" })),
    );
    assert.equal(count(statuses, 201), 1, JSON.stringify(statuses));
    assert.equal(t.otpMessages.length, 1);
  } finally {
    await t.close();
  }
});

Deno.test(`otp limits (${backend}) - 40 simultaneous requests from one device issue at most 20`, async () => {
  const t = await makeTestApp();
  try {
    t.clock.ticking(50);
    const statuses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => codeRequest(t, i, { device: "one-phone-many-sims" })),
    );
    assert.equal(count(statuses, 201), 20, JSON.stringify(statuses));
    assert.equal(t.otpMessages.length, 20);
  } finally {
    await t.close();
  }
});

Deno.test(`otp limits (${backend}) - behind a trusted proxy, a forged X-Forwarded-For entry does not escape the address limit`, async () => {
  const t = await makeTestApp({ TRUST_PROXY: "true", OTP_IP_MAX_PER_WINDOW: "3" });
  try {
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      // The client writes whatever it likes first; the proxy appends the address it saw.
      statuses.push(
        await codeRequest(t, i, {
          ip: "10.0.0.5",
          headers: { "x-forwarded-for": `1.2.3.${i + 1}, 203.0.113.50` },
        }),
      );
    }
    assert.deepEqual(statuses, [201, 201, 201, 429, 429]);
    const ips = await t.db.query<{ request_ip: string }>(
      "SELECT DISTINCT request_ip FROM otp_requests",
    );
    assert.deepEqual(ips.map((r) => r.request_ip), ["203.0.113.50"]);
  } finally {
    await t.close();
  }
});

Deno.test(`otp limits (${backend}) - TRUST_PROXY_HOPS=2 takes the address the outer proxy appended`, async () => {
  const t = await makeTestApp({ TRUST_PROXY: "true", TRUST_PROXY_HOPS: "2" });
  try {
    // client → CDN (appends the client's address) → load balancer (appends the CDN's) → app
    assert.equal(
      await codeRequest(t, 0, {
        ip: "10.0.0.5",
        headers: { "x-forwarded-for": "1.2.3.9, 203.0.113.50, 192.0.2.10" },
      }),
      201,
    );
    const [row] = await t.db.query<{ request_ip: string }>("SELECT request_ip FROM otp_requests");
    assert.equal(row.request_ip, "203.0.113.50");
  } finally {
    await t.close();
  }
});

Deno.test(`sessions (${backend}) - five simultaneous uses of one refresh token get one successor`, async () => {
  const t = await makeTestApp();
  try {
    const { refresh } = await login(t);
    t.clock.ticking(50);
    const apps = [t.app, t.secondInstance()];
    const responses = await Promise.all(
      Array.from(
        { length: 5 },
        (_, i) => postJson(apps[i % 2], "/api/auth/token/refresh/", { refresh }),
      ),
    );
    assert.deepEqual(responses.map((r) => r.status), [200, 200, 200, 200, 200]);
    const successors = new Set(
      await Promise.all(responses.map(async (r) => (await r.json()).refresh)),
    );
    assert.equal(successors.size, 1, "one successor for every concurrent use");
    const [{ live }] = await t.db.query<{ live: number }>(
      "SELECT count(*)::int AS live FROM refresh_tokens WHERE rotated_at IS NULL",
    );
    assert.equal(live, 1, "one live chain");
    const [successor] = successors;
    const next = await postJson(t.app, "/api/auth/token/refresh/", { refresh: successor });
    assert.equal(next.status, 200, "the successor carries the session on");
    t.clock.advance(11_000);
    const replay = await postJson(t.app, "/api/auth/token/refresh/", { refresh });
    assert.equal(replay.status, 401, "reuse after the grace window still revokes the family");
  } finally {
    await t.close();
  }
});

Deno.test(`auth (${backend}) - POST /api/auth/register/ is retired: 410 Gone with a detail`, async () => {
  const t = await makeTestApp();
  try {
    const res = await postJson(t.app, "/api/auth/register/", {
      phone_number: "0512345678",
      password: "x",
    });
    assert.equal(res.status, 410);
    assert.ok((await res.json()).detail);
    assert.equal((await t.db.query("SELECT 1 FROM users")).length, 0, "nobody was registered");
  } finally {
    await t.close();
  }
});
