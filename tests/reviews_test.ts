import assert from "node:assert/strict";
import type { Db } from "@/db/types.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { browserLogin, type CookieJar, type LoggedIn, login, postJson } from "./helpers/auth.ts";
import { testBackend } from "./helpers/db.ts";
import { makeBooking, makeSalon, makeService, makeStaff } from "./helpers/factories.ts";

const backend = testBackend();
const DAY = 86_400_000;

const bearer = (who: LoggedIn) => ({ authorization: `Bearer ${who.access}` });

/** After moving the clock by days: a new access token from the refresh token. */
async function refresh(t: TestApp, who: LoggedIn) {
  const res = await postJson(t.app, "/api/auth/token/refresh/", { refresh: who.refresh });
  assert.equal(res.status, 200);
  const body = await res.json();
  who.access = body.access;
  who.refresh = body.refresh;
}

function send(t: TestApp, method: string, path: string, body: unknown, who: LoggedIn) {
  return t.app.request(path, {
    method,
    headers: { "content-type": "application/json", "accept-language": "en", ...bearer(who) },
    body: JSON.stringify(body),
  });
}

async function salonWithTeam(db: Db) {
  const salon = await makeSalon(db);
  const service = await makeService(db, salon, { name_en: "Henna", name_ar: "حناء" });
  const staff = await makeStaff(db, salon, {
    services: [service.id],
    name_en: "Noura",
    name_ar: "نورة",
  });
  return { salon, service, staff };
}

/** A booking of `customerId` that ended `daysAgo` days before the test clock, with `status`. */
function visit(
  t: TestApp,
  team: Awaited<ReturnType<typeof salonWithTeam>>,
  customerId: string,
  daysAgo: number,
  status = "completed",
  hour = 10,
) {
  const start = new Date(t.clock.now().getTime() - daysAgo * DAY - 3_600_000);
  start.setUTCHours(hour, 0, 0, 0);
  return makeBooking(t.db, {
    service: team.service,
    staff: team.staff,
    starts_at: start,
    customer_id: customerId,
    status,
  });
}

async function salonRating(db: Db, salonId: string) {
  const [row] = await db.query<{ rating_avg: number; rating_count: number }>(
    "SELECT rating_avg, rating_count FROM salons WHERE id = $1",
    [salonId],
  );
  return [Number(row.rating_avg), row.rating_count];
}

Deno.test(`reviews (${backend}) - eligibility: only the customer of a completed booking, once, within 30 days`, async (s) => {
  const t = await makeTestApp();
  try {
    const team = await salonWithTeam(t.db);
    const sara = await login(t, "0512345678");
    const huda = await login(t, "0512345679");
    const saraId = sara.user.id as string;

    await s.step("a booking that is not completed → 409, nothing written", async () => {
      for (const status of ["confirmed", "pending", "cancelled", "no_show", "expired"]) {
        const b = await visit(
          t,
          team,
          saraId,
          1,
          status,
          8 + ["confirmed", "pending", "cancelled", "no_show", "expired"].indexOf(status),
        );
        const res = await send(t, "POST", `/api/bookings/${b.id}/review/`, { rating: 5 }, sara);
        assert.equal(res.status, 409, status);
        assert.equal(
          (await res.json()).detail,
          "You can review a visit once the salon has marked it completed.",
        );
      }
      const [{ n }] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM reviews");
      assert.equal(n, 0);
    });

    const done = await visit(t, team, saraId, 2, "completed", 14);
    await s.step("someone else's booking → 404 (as if it did not exist)", async () => {
      const res = await send(t, "POST", `/api/bookings/${done.id}/review/`, { rating: 1 }, huda);
      assert.equal(res.status, 404);
      const anon = await t.app.request(`/api/bookings/${done.id}/review/`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ rating: 5 }),
      });
      assert.equal(anon.status, 401);
    });

    await s.step("bad input → 400 with the field, nothing written", async () => {
      for (const body of [{ rating: 0 }, { rating: 6 }, { rating: 4.5 }, { rating: "5" }, {}]) {
        const res = await send(t, "POST", `/api/bookings/${done.id}/review/`, body, sara);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.ok((await res.json()).rating, JSON.stringify(body));
      }
      const long = await send(t, "POST", `/api/bookings/${done.id}/review/`, {
        rating: 5,
        text: "ح".repeat(1001),
      }, sara);
      assert.equal(long.status, 400);
      assert.deepEqual((await long.json()).text, ["This value is too long."]);
    });

    await s.step("the customer's completed booking → 201; the salon's rating follows", async () => {
      const res = await send(t, "POST", `/api/bookings/${done.id}/review/`, {
        rating: 4,
        text: "  Lovely henna.\r\n\r\n\r\n\r\nWill come back.\u202e  ",
      }, sara);
      assert.equal(res.status, 201);
      const { review } = await res.json();
      assert.equal(review.rating, 4);
      assert.equal(review.text, "Lovely henna.\n\nWill come back.", "cleaned: trimmed, no bidi");
      assert.deepEqual(await salonRating(t.db, team.salon.id), [4, 1]);
      // Exactly 1000 characters (Arabic, code points) is fine.
      const other = await visit(t, team, saraId, 3, "completed", 16);
      const max = await send(t, "POST", `/api/bookings/${other.id}/review/`, {
        rating: 5,
        text: "ح".repeat(1000),
      }, sara);
      assert.equal(max.status, 201);
      assert.deepEqual(await salonRating(t.db, team.salon.id), [4.5, 2]);
    });

    await s.step("twice → 409; changing it goes through PATCH", async () => {
      const again = await send(t, "POST", `/api/bookings/${done.id}/review/`, { rating: 1 }, sara);
      assert.equal(again.status, 409);
      assert.match((await again.json()).detail, /already reviewed/);
      const edit = await send(t, "PATCH", `/api/bookings/${done.id}/review/`, {
        rating: 2,
        text: "Changed my mind.",
      }, sara);
      assert.equal(edit.status, 200);
      assert.equal((await edit.json()).review.rating, 2);
      assert.deepEqual(await salonRating(t.db, team.salon.id), [3.5, 2]);
      const mine = await t.app.request(`/api/bookings/${done.id}/review/`, {
        headers: bearer(sara),
      });
      assert.equal((await mine.json()).review.text, "Changed my mind.");
      const events = await t.db.query<{ action: string }>(
        `SELECT e.action FROM review_events e JOIN reviews r ON r.id = e.review_id
         WHERE r.booking_id = $1 ORDER BY e.at`,
        [done.id],
      );
      assert.deepEqual(events.map((e) => e.action), ["created", "edited"]);
    });

    await s.step("30 days after the visit: still possible; a minute later → 409", async () => {
      const late = await visit(t, team, saraId, 29, "completed", 12);
      const [{ ends_at }] = await t.db.query<{ ends_at: Date }>(
        "SELECT ends_at FROM bookings WHERE id = $1",
        [late.id],
      );
      const lateToo = await visit(t, team, saraId, 29, "completed", 9);
      t.clock.set(new Date(ends_at.getTime() + 30 * DAY).toISOString());
      await refresh(t, sara);
      const ok = await send(t, "POST", `/api/bookings/${late.id}/review/`, { rating: 3 }, sara);
      assert.equal(ok.status, 201, "exactly at the deadline");
      t.clock.advance(60_000);
      const [{ ends_at: e2 }] = await t.db.query<{ ends_at: Date }>(
        "SELECT ends_at FROM bookings WHERE id = $1",
        [lateToo.id],
      );
      assert.ok(t.clock.now().getTime() > e2.getTime() + 30 * DAY);
      const tooLate = await send(t, "POST", `/api/bookings/${lateToo.id}/review/`, {
        rating: 3,
      }, sara);
      assert.equal(tooLate.status, 409);
      assert.equal(
        (await tooLate.json()).detail,
        "Reviews can be written or changed up to 30 days after the visit.",
      );
      const edit = await send(t, "PATCH", `/api/bookings/${late.id}/review/`, { rating: 1 }, sara);
      assert.equal(edit.status, 409, "and editing closes with it");
    });
  } finally {
    await t.close();
  }
});

Deno.test(`reviews (${backend}) - managers reply once and hide/unhide with a reason; hidden reviews leave the page and the average`, async (s) => {
  const t = await makeTestApp();
  try {
    const team = await salonWithTeam(t.db);
    const otherSalon = await makeSalon(t.db);
    const sara = await login(t, "0512345678");
    const manager = await login(t, "0512345671");
    const stranger = await login(t, "0512345672");
    const otherManager = await login(t, "0512345673");
    await t.db.query(
      `INSERT INTO salon_memberships (user_id, salon_id, role) VALUES ($1, $2, 'manager'),
         ($3, $4, 'manager'), ($5, $2, 'staff')`,
      [manager.user.id, team.salon.id, otherManager.user.id, otherSalon.id, stranger.user.id],
    );
    const b1 = await visit(t, team, sara.user.id as string, 3, "completed", 10);
    const b2 = await visit(t, team, sara.user.id as string, 2, "completed", 12);
    const r1 = (await (await send(t, "POST", `/api/bookings/${b1.id}/review/`, {
      rating: 5,
      text: "Perfect",
    }, sara)).json()).review;
    t.clock.advance(60_000);
    const r2 = (await (await send(t, "POST", `/api/bookings/${b2.id}/review/`, {
      rating: 1,
      text: "Rude",
    }, sara)).json()).review;
    assert.deepEqual(await salonRating(t.db, team.salon.id), [3, 2]);
    const base = `/api/salons/${team.salon.slug}/reviews`;

    await s.step(
      "staff, other salons' managers, customers → 403; unknown review → 404",
      async () => {
        for (const who of [stranger, otherManager, sara]) {
          const res = await send(t, "POST", `${base}/${r1.id}/reply/`, { text: "Hi" }, who);
          assert.equal(res.status, 403);
          const hide = await send(t, "POST", `${base}/${r1.id}/hide/`, { reason: "x" }, who);
          assert.equal(hide.status, 403);
        }
        const other = await send(
          t,
          "POST",
          `/api/salons/${otherSalon.slug}/reviews/${r1.id}/reply/`,
          { text: "Hi" },
          otherManager,
        );
        assert.equal(other.status, 404, "a review of another salon is not found there");
        const missing = await send(t, "POST", `${base}/${crypto.randomUUID()}/reply/`, {
          text: "Hi",
        }, manager);
        assert.equal(missing.status, 404);
      },
    );

    await s.step("one reply per review: replying again replaces it", async () => {
      const empty = await send(t, "POST", `${base}/${r1.id}/reply/`, { text: "   " }, manager);
      assert.equal(empty.status, 400);
      const first = await send(t, "POST", `${base}/${r1.id}/reply/`, { text: "Thanks!" }, manager);
      assert.equal(first.status, 200);
      const second = await send(t, "POST", `${base}/${r1.id}/reply/`, {
        text: "Thank you, see you soon.",
      }, manager);
      assert.equal(second.status, 200);
      const [row] = await t.db.query<{ reply: string; replied_by: string }>(
        "SELECT reply, replied_by FROM reviews WHERE id = $1",
        [r1.id],
      );
      assert.deepEqual(row, { reply: "Thank you, see you soon.", replied_by: manager.user.id });
    });

    await s.step("hide needs a reason; hidden → off the list and out of the average", async () => {
      const noReason = await send(t, "POST", `${base}/${r2.id}/hide/`, { reason: "" }, manager);
      assert.equal(noReason.status, 400);
      const hide = await send(t, "POST", `${base}/${r2.id}/hide/`, {
        reason: "Abusive language",
      }, manager);
      assert.equal(hide.status, 200);
      assert.equal((await hide.json()).review.hidden, true);
      assert.deepEqual(await salonRating(t.db, team.salon.id), [5, 1]);
      const list = await (await t.app.request(`${base}/`)).json();
      assert.deepEqual(list.results.map((r: { id: string }) => r.id), [r1.id]);
      assert.deepEqual([list.salon.rating_avg, list.salon.rating_count], [5, 1]);
      const again = await send(t, "POST", `${base}/${r2.id}/hide/`, { reason: "Again" }, manager);
      assert.equal(again.status, 200, "hiding a hidden review changes nothing");
      const mine = await (await t.app.request(`/api/bookings/${b2.id}/review/`, {
        headers: bearer(sara),
      })).json();
      assert.equal(mine.review.hidden_reason, "Abusive language", "the author sees why");
    });

    await s.step("unhide (with a reason) brings it back; the audit trail has both", async () => {
      const res = await send(t, "POST", `${base}/${r2.id}/unhide/`, {
        reason: "Customer apologised",
      }, manager);
      assert.equal(res.status, 200);
      assert.deepEqual(await salonRating(t.db, team.salon.id), [3, 2]);
      const events = await t.db.query<{ action: string; reason: string; actor_user_id: string }>(
        "SELECT action, reason, actor_user_id FROM review_events WHERE review_id = $1 ORDER BY at",
        [r2.id],
      );
      assert.deepEqual(events.map((e) => [e.action, e.reason]), [
        ["created", null],
        ["hidden", "Abusive language"],
        ["unhidden", "Customer apologised"],
      ]);
      assert.equal(events[1].actor_user_id, manager.user.id);
    });

    await s.step(
      "the salon page lists reviews newest first with staff, service and reply",
      async () => {
        const html = await (await t.app.request(`/salons/${team.salon.slug}?lang=en`)).text();
        const iRude = html.indexOf("Rude");
        const iPerfect = html.indexOf("Perfect");
        assert.ok(iRude > 0 && iPerfect > iRude, "newest first");
        assert.ok(html.includes("Henna with Noura"));
        assert.ok(html.includes("The salon&#39;s reply") || html.includes("The salon's reply"));
        assert.ok(html.includes("Thank you, see you soon."));
        assert.ok(html.includes("5 out of 5 stars"));
        const ar = await (await t.app.request(`/salons/${team.salon.slug}?lang=ar`)).text();
        assert.ok(ar.includes("حناء مع نورة"));
        assert.ok(ar.includes("ردّ الصالون"));
      },
    );

    await s.step("the API pages with a cursor and never shows the customer's phone", async () => {
      const first = await (await t.app.request(`${base}/?limit=1`)).json();
      assert.equal(first.results.length, 1);
      assert.equal(first.results[0].id, r2.id);
      assert.ok(first.next);
      assert.equal(first.results[0].staff.name_en, "Noura");
      assert.equal(first.results[0].service.name_en, "Henna");
      const second = await (await t.app.request(
        `${base}/?limit=1&before=${encodeURIComponent(first.next)}`,
      )).json();
      assert.deepEqual(second.results.map((r: { id: string }) => r.id), [r1.id]);
      assert.equal(second.next, null);
      const raw = await (await t.app.request(`${base}/`)).text();
      assert.ok(!raw.includes("+96651234567"), "no phone numbers");
      assert.ok(!raw.includes(sara.user.id as string), "no customer ids");
    });
  } finally {
    await t.close();
  }
});

async function formPost(
  t: TestApp,
  path: string,
  jar: CookieJar,
  fields: Record<string, string>,
) {
  const page = await (await t.app.request(path, { headers: { cookie: jar.header() } })).text();
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(page)?.[1] ?? "";
  return t.app.request(path, {
    method: "POST",
    headers: { cookie: jar.header(), "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...fields, csrf_token: csrf }),
  });
}

Deno.test(`reviews (${backend}) - the booking page invites a review; the form works without JavaScript`, async () => {
  const t = await makeTestApp();
  try {
    const team = await salonWithTeam(t.db);
    const jar = await browserLogin(t);
    const [{ id: userId }] = await t.db.query<{ id: string }>("SELECT id FROM users LIMIT 1");
    const b = await visit(t, team, userId, 2);
    const booking = await (await t.app.request(`/bookings/${b.id}?lang=en`, {
      headers: { cookie: jar.header() },
    })).text();
    assert.ok(booking.includes("Write a review"));
    assert.ok(booking.includes(`href="/bookings/${b.id}/review"`));

    const form = await (await t.app.request(`/bookings/${b.id}/review?lang=en`, {
      headers: { cookie: jar.header() },
    })).text();
    assert.match(form, /name="rating" value="5"/);
    assert.match(form, /<textarea name="text"/);
    assert.doesNotMatch(form, /<script/, "no JavaScript needed");

    const missing = await formPost(t, `/bookings/${b.id}/review`, jar, { text: "Nice" });
    assert.equal(missing.status, 400);
    assert.ok((await missing.text()).includes("Nice"), "what was typed stays");

    const ok = await formPost(t, `/bookings/${b.id}/review`, jar, { rating: "5", text: "Nice" });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get("location"), `/bookings/${b.id}?reviewed=1#review`);
    const after = await (await t.app.request(`/bookings/${b.id}?reviewed=1&lang=en`, {
      headers: { cookie: jar.header() },
    })).text();
    assert.ok(after.includes("Thank you! Your review was saved."));
    assert.ok(after.includes("Change your review"));

    const edit = await formPost(t, `/bookings/${b.id}/review`, jar, { rating: "3", text: "" });
    assert.equal(edit.status, 303);
    const [row] = await t.db.query<{ rating: number; body: string }>(
      "SELECT rating, body FROM reviews WHERE booking_id = $1",
      [b.id],
    );
    assert.deepEqual(row, { rating: 3, body: "" });
    assert.deepEqual(await salonRating(t.db, team.salon.id), [3, 1]);

    // Not completed yet: the page says why and offers no form.
    const future = await visit(t, team, userId, 1, "confirmed", 8);
    const closed = await (await t.app.request(`/bookings/${future.id}/review?lang=en`, {
      headers: { cookie: jar.header() },
    })).text();
    assert.ok(closed.includes("once the salon has marked it completed"));
    assert.doesNotMatch(closed, /name="rating"/);
    const refused = await postJson(t.app, `/api/bookings/${future.id}/review/`, { rating: 5 }, {
      cookie: jar.header(),
      "sec-fetch-site": "same-origin",
    });
    assert.equal(refused.status, 409);
  } finally {
    await t.close();
  }
});
