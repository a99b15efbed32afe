import assert from "node:assert/strict";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { get, makeWorld, post, type World } from "./helpers/dashboard.ts";
import { makeReview } from "./helpers/dashboard_fixtures.ts";

// The test clock: 2026-11-21T09:00Z, Saturday 12:00 in Riyadh.

async function withWorld(fn: (t: TestApp, w: World, base: string) => Promise<void>) {
  const t = await makeTestApp();
  try {
    const w = await makeWorld(t);
    await fn(t, w, `/dashboard/${w.salon.slug}/reviews`);
  } finally {
    await t.close();
  }
}

async function reviewRow(t: TestApp, id: string) {
  const [row] = await t.db.query<
    { reply: string | null; hidden: boolean; hidden_reason: string | null; replied_by: string }
  >("SELECT reply, hidden, hidden_reason, replied_by FROM reviews WHERE id = $1", [id]);
  return row;
}

async function audits(t: TestApp, action: string) {
  return await t.db.query<{
    entity_id: string;
    actor_role: string;
    before: Record<string, unknown>;
    after: Record<string, unknown>;
  }>("SELECT * FROM audit_log WHERE action = $1 ORDER BY at, id", [action]);
}

const ids = (html: string) => [...html.matchAll(/data-review-id="([^"]+)"/g)].map((m) => m[1]);

Deno.test("dashboard reviews - newest first with stars, service and staff, text escaped, hidden ones too, filters", async () => {
  await withWorld(async (t, w, base) => {
    const older = await makeReview(t, w, {
      start: new Date("2026-11-10T07:00:00Z"),
      rating: 5,
      body: `<script>alert("x")</script> & "great" hair`,
      createdAt: new Date("2026-11-11T10:00:00Z"),
    });
    const newer = await makeReview(t, w, {
      start: new Date("2026-11-12T07:00:00Z"),
      staff: w.reem,
      rating: 2,
      body: "تأخرت الموظفة ربع ساعة",
      createdAt: new Date("2026-11-13T10:00:00Z"),
    });
    const hidden = await makeReview(t, w, {
      start: new Date("2026-11-08T07:00:00Z"),
      rating: 1,
      hidden: true,
      createdAt: new Date("2026-11-09T10:00:00Z"),
    });
    const res = await get(t, `${base}?lang=en`, w.jars.manager);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /text\/html/);
    const html = await res.text();
    assert.deepEqual(ids(html), [newer.id, older.id, hidden.id], "newest first, hidden too");
    assert.ok(html.includes('aria-label="5 out of 5 stars"'));
    assert.ok(html.includes('aria-label="2 out of 5 stars"'));
    assert.ok(!html.includes('<script>alert("x")'), "review text is never markup");
    assert.ok(html.includes("&lt;script>alert(&quot;x&quot;)&lt;/script> &amp; &quot;great&quot;"));
    assert.ok(html.includes("تأخرت الموظفة ربع ساعة"));
    assert.match(html, /Blow-dry with Reem/);
    assert.match(html, /Blow-dry with Noura/);
    assert.match(html, /Hidden from the salon page/);
    assert.match(html, /Hidden because:<\/span> <bdi>Spam<\/bdi>/);
    assert.match(html, /aria-current="page"[^>]*>Reviews</);

    const hiddenOnly = await get(t, `${base}?show=hidden&lang=en`, w.jars.manager)
      .then((r) => r.text());
    assert.deepEqual(ids(hiddenOnly), [hidden.id]);
    // Arabic: the page in Arabic, with Arabic-Indic digits.
    const ar = await get(t, `${base}?lang=ar`, w.jars.manager).then((r) => r.text());
    assert.ok(ar.includes('aria-label="٥ من ٥ نجوم"'));
    assert.match(ar, /مخفي من صفحة الصالون/);
  });
});

Deno.test("dashboard reviews - reply once and edit it, hide and show again with a reason; audited", async () => {
  await withWorld(async (t, w, base) => {
    const review = await makeReview(t, w, { start: new Date("2026-11-15T07:00:00Z") });
    const other = await makeReview(t, w, {
      start: new Date("2026-11-16T07:00:00Z"),
      staff: w.reem,
      rating: 2,
    });
    const url = `${base}?lang=en`;

    // An empty reply: 400, the form again with the message, nothing saved.
    const empty = await post(t, url, w.jars.manager, {
      intent: "reply",
      review_id: review.id,
      text: "   ",
    });
    assert.equal(empty.status, 400);
    const emptyHtml = await empty.text();
    assert.match(emptyHtml, /This field is required/);
    assert.match(emptyHtml, /<details open>/, "the form that failed stays open");
    assert.equal((await reviewRow(t, review.id)).reply, null);
    // Too long: 1001 characters.
    const long = await post(t, url, w.jars.manager, {
      intent: "reply",
      review_id: review.id,
      text: "x".repeat(1001),
    });
    assert.equal(long.status, 400);

    const first = await post(t, url, w.jars.manager, {
      intent: "reply",
      review_id: review.id,
      text: "Thank you, <b>Sara</b>!",
    });
    assert.equal(first.status, 303);
    assert.equal(
      first.headers.get("location"),
      `${base}?notice=replied#review-${review.id}`,
    );
    assert.equal((await reviewRow(t, review.id)).reply, "Thank you, <b>Sara</b>!");
    assert.equal((await reviewRow(t, review.id)).replied_by, w.users.manager);
    const edited = await post(t, url, w.jars.manager, {
      intent: "reply",
      review_id: review.id,
      text: "Thank you, Sara — see you soon.",
    });
    assert.equal(edited.status, 303);
    assert.equal((await reviewRow(t, review.id)).reply, "Thank you, Sara — see you soon.");
    const replies = await audits(t, "review.reply");
    assert.equal(replies.length, 2);
    assert.deepEqual(
      replies.map((a) => [a.before.reply, a.after.reply]).sort((a, b) =>
        String(a[0]).localeCompare(String(b[0]))
      ),
      [
        [null, "Thank you, <b>Sara</b>!"],
        ["Thank you, <b>Sara</b>!", "Thank you, Sara — see you soon."],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    assert.ok(replies.every((a) => a.entity_id === review.id && a.actor_role === "manager"));
    const page = await get(t, url, w.jars.manager).then((r) => r.text());
    assert.match(page, /Thank you, Sara — see you soon\./);
    assert.match(page, /Edit the reply/);

    // Hiding needs a reason.
    const noReason = await post(t, url, w.jars.manager, {
      intent: "hide",
      review_id: other.id,
      reason: "",
    });
    assert.equal(noReason.status, 400);
    assert.equal((await reviewRow(t, other.id)).hidden, false);

    const hide = await post(t, `${base}?show=all`, w.jars.manager, {
      intent: "hide",
      review_id: other.id,
      reason: "Rude language",
      show: "unanswered",
    });
    assert.equal(hide.status, 303);
    assert.equal(
      hide.headers.get("location"),
      `${base}?notice=hidden&show=unanswered#review-${other.id}`,
    );
    const hiddenRow = await reviewRow(t, other.id);
    assert.equal(hiddenRow.hidden, true);
    assert.equal(hiddenRow.hidden_reason, "Rude language");
    // The salon's rating is recounted from the visible reviews only (the 4-star one).
    const [salon] = await t.db.query<{ rating_count: number; rating_avg: number }>(
      "SELECT rating_count, rating_avg FROM salons WHERE id = $1",
      [w.salon.id],
    );
    assert.equal(salon.rating_count, 1);
    assert.equal(Number(salon.rating_avg), 4);
    const [hidAudit] = await audits(t, "review.hide");
    assert.equal(hidAudit.before.hidden, false);
    assert.equal(hidAudit.after.hidden, true);
    assert.equal(hidAudit.after.reason, "Rude language");

    const unhide = await post(t, url, w.jars.manager, {
      intent: "unhide",
      review_id: other.id,
      reason: "Customer apologised",
    });
    assert.equal(unhide.status, 303);
    assert.equal((await reviewRow(t, other.id)).hidden, false);
    const [unhidAudit] = await audits(t, "review.unhide");
    assert.equal(unhidAudit.after.reason, "Customer apologised");
    const events = await t.db.query<{ action: string; reason: string | null }>(
      "SELECT action, reason FROM review_events WHERE review_id = $1 ORDER BY at, action",
      [other.id],
    );
    assert.deepEqual(events.map((e) => e.action).sort(), ["hidden", "unhidden"]);
    // The audit page lists them in words.
    const auditPage = await get(t, `/dashboard/${w.salon.slug}/audit?lang=en`, w.jars.manager)
      .then((r) => r.text());
    assert.match(auditPage, /Review hidden/);
    assert.match(auditPage, /Review shown again/);
    assert.match(auditPage, /Review replied to/);
  });
});

Deno.test("dashboard reviews - staff get 403, other salons 404, another salon's review 404; nothing changes", async () => {
  await withWorld(async (t, w, base) => {
    const review = await makeReview(t, w, { start: new Date("2026-11-15T07:00:00Z") });
    const body = { intent: "hide", review_id: review.id, reason: "Spam" };
    assert.equal((await get(t, base, w.jars.staff)).status, 403);
    assert.equal((await post(t, base, w.jars.staff, body)).status, 403);
    assert.equal((await get(t, base, w.jars.otherManager)).status, 404);
    assert.equal((await post(t, base, w.jars.otherManager, body)).status, 404);
    // Salon B's manager on their own dashboard cannot reach salon A's review.
    const res = await post(t, `/dashboard/${w.other.slug}/reviews`, w.jars.otherManager, body);
    assert.equal(res.status, 404);
    assert.equal((await post(t, base, w.jars.manager, { ...body, review_id: "nope" })).status, 404);
    assert.equal((await reviewRow(t, review.id)).hidden, false);
    assert.equal((await audits(t, "review.hide")).length, 0);
    const none = await get(t, `${base}?show=hidden&lang=en`, w.jars.manager).then((r) => r.text());
    assert.deepEqual(ids(none), []);
    assert.match(none, /No reviews here yet/);
  });
});
