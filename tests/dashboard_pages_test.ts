import assert from "node:assert/strict";
import { arDashboard } from "@/i18n/ar_dashboard.ts";
import { enDashboard } from "@/i18n/en_dashboard.ts";
import { loadAgenda } from "@/services/dashboard/agenda.ts";
import { getUser, type SessionUser } from "@/services/auth/users.ts";
import { localInstant, subtract, wallMinute } from "@/services/dashboard/schedule.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { auditCount, book, get, makeWorld, post, type World } from "./helpers/dashboard.ts";
import { pageDotsBesideArabicDigits } from "./helpers/digits.ts";
import { makeBooking, makeBreak, makeTimeOff } from "./helpers/factories.ts";

// The test clock: 2026-11-21T09:00Z, Saturday 12:00 in Riyadh.

async function withWorld(fn: (t: TestApp, w: World, base: string) => Promise<void>) {
  const t = await makeTestApp();
  try {
    const w = await makeWorld(t);
    await fn(t, w, `/dashboard/${w.salon.slug}`);
  } finally {
    await t.close();
  }
}

async function actor(t: TestApp, id: string) {
  const user = { ...(await getUser(t.db, id))!, role: "customer", sessionId: "s", via: "cookie" };
  return { user: user as SessionUser, now: t.clock.now() };
}

const hhmm = (ms: number) => new Date(ms + 3 * 3_600_000).toISOString().slice(11, 16);

Deno.test("dashboard agenda - late, coming up, gaps (after hours, breaks, time off and buffers) and pending payments", async () => {
  await withWorld(async (t, w) => {
    await t.db.query("UPDATE services SET buffer_after_minutes = 15 WHERE id = $1", [w.service.id]);
    const late = await book(t, w, { start: "2026-11-21T07:00:00Z" }); // 10:00 Noura, not marked
    const done = await book(t, w, { start: "2026-11-21T06:00:00Z", staff: w.reem }); // 09:00 Reem
    await t.db.query("UPDATE bookings SET status = 'completed' WHERE id = $1", [done.id]);
    const next = await book(t, w, { start: "2026-11-21T10:00:00Z" }); // 13:00–14:00 (+15)
    const pending = await makeBooking(t.db, {
      service: w.service,
      staff: w.reem,
      starts_at: new Date("2026-11-22T10:00:00Z"),
      status: "pending",
      hold_expires_at: new Date("2026-11-21T09:05:00Z"),
      payment_mode: "full",
      deposit_halalas: 10000,
      customer_id: w.users.customer,
    });
    await makeBooking(t.db, {
      service: w.service,
      staff: w.reem,
      starts_at: new Date("2026-11-23T10:00:00Z"),
      status: "pending",
      hold_expires_at: new Date("2026-11-21T08:00:00Z"), // lapsed: not waiting any more
      payment_mode: "full",
      customer_id: w.users.customer,
    });
    await makeBreak(t.db, w.salon, { start_minute: 16 * 60, end_minute: 16 * 60 + 30 });
    await makeTimeOff(t.db, w.reem, {
      starts_at: new Date("2026-11-21T14:00:00Z"), // 17:00–21:00
      ends_at: new Date("2026-11-21T18:00:00Z"),
    });

    const agenda = await loadAgenda(t.db, await actor(t, w.users.manager), w.salon);
    assert.equal(agenda.date, "2026-11-21");
    assert.deepEqual(agenda.late.map((b) => b.id), [late.id]);
    assert.deepEqual(agenda.next.map((b) => b.id), [next.id]);
    assert.deepEqual(agenda.pending.map((b) => b.id), [pending.id]);
    assert.deepEqual(agenda.counts, { total: 3, completed: 1, noShow: 0, cancelled: 0 });
    assert.deepEqual(
      agenda.gaps.map((g) => `${g.name_en} ${hhmm(g.startMs)}–${hhmm(g.endMs)}`),
      [
        "Noura 12:00–13:00",
        "Reem 12:00–16:00",
        "Noura 14:15–16:00",
        "Noura 16:30–21:00",
        "Reem 16:30–17:00",
      ],
    );

    const staffView = await loadAgenda(t.db, await actor(t, w.users.staff), w.salon);
    assert.deepEqual(staffView.late.map((b) => b.id), [late.id]);
    assert.deepEqual(staffView.pending, [], "no money for staff");
    assert.ok(staffView.gaps.every((g) => g.staffId === w.noura.id));
  });
});

Deno.test("dashboard calendar - bookings placed by the salon's wall clock, off hours and time off shaded, staff filter", async () => {
  await withWorld(async (t, w, base) => {
    const b = await book(t, w, { start: "2026-11-22T10:30:00Z" }); // Sunday 13:30–14:30
    await makeTimeOff(t.db, w.reem, {
      starts_at: new Date("2026-11-22T06:00:00Z"),
      ends_at: new Date("2026-11-22T08:00:00Z"),
      reason: "Dentist",
    });
    const html = await (await get(t, `${base}/calendar?date=2026-11-22&lang=en`, w.jars.manager))
      .text();
    const block =
      new RegExp(`<a href="${base}/bookings/${b.id}" class="([^"]+)"`).exec(html)?.[1] ?? "";
    // The grid starts at 09:00 (opening); 13:30 is 270 minutes below, one hour tall.
    assert.match(block, /top-\[270px\] h-\[60px\]/);
    assert.ok(html.includes('data-kind="time-off"'));
    assert.match(html, /data-kind="working"/);
    assert.ok(!html.includes('data-kind="now"'), "Sunday is not today");
    assert.equal([...html.matchAll(/data-staff="/g)].length, 2);

    const only =
      await (await get(t, `${base}/calendar?date=2026-11-22&staff=${w.reem.id}`, w.jars.manager))
        .text();
    assert.deepEqual([...only.matchAll(/data-staff="([^"]+)"/g)].map((m) => m[1]), [w.reem.id]);

    const week =
      await (await get(t, `${base}/calendar?view=week&date=2026-11-21&lang=ar`, w.jars.manager))
        .text();
    assert.equal([...week.matchAll(/data-staff="/g)].length, 14);
    assert.ok(week.includes("سبعة أيام من السبت، ٢١ نوفمبر ٢٠٢٦"));
    assert.ok(week.includes('data-kind="now"'), "today has the now line");
  });
});

Deno.test("dashboard schedule - wall-clock math across a DST change (Europe/London, 25 October 2026)", () => {
  const tz = "Europe/London";
  // 01:00–02:00 BST happens twice: 10:00 local is 11 hours of elapsed time after midnight.
  const ten = localInstant("2026-10-25", 600, tz);
  assert.equal(new Date(ten).toISOString(), "2026-10-25T10:00:00.000Z");
  assert.equal((ten - localInstant("2026-10-25", 0, tz)) / 3_600_000, 11);
  assert.equal(wallMinute(ten, "2026-10-25", tz), 600, "placed at 10:00 on the grid");
  assert.equal(wallMinute(localInstant("2026-10-26", 0, tz), "2026-10-25", tz), 1440);
  assert.deepEqual(
    subtract([{ startMs: 0, endMs: 100 }], [{ startMs: 10, endMs: 20 }, {
      startMs: 90,
      endMs: 200,
    }]),
    [{ startMs: 0, endMs: 10 }, { startMs: 20, endMs: 90 }],
  );
});

Deno.test("dashboard audit page - every change with who and when, filterable by kind, person, item and date; managers only", async () => {
  await withWorld(async (t, w, base) => {
    const b = await book(t, w, { start: "2026-11-22T07:00:00Z" });
    await post(t, `${base}/bookings/${b.id}/cancel`, w.jars.manager, { reason: "Closed" });
    t.clock.set("2026-11-23T09:00:00Z");
    await post(t, `${base}/settings`, w.jars.manager, {
      intent: "break_add",
      weekday: "",
      start: "12:00",
      end: "12:30",
    });
    assert.equal(await auditCount(t), 2);

    const page = (q: string) =>
      get(t, `${base}/audit?${q}&lang=en`, w.jars.manager).then((r) => r.text());
    const actions = (html: string) =>
      [...html.matchAll(/data-audit-action="([^"]+)"/g)].map((m) => m[1]);
    const all = await page("");
    assert.deepEqual(actions(all), ["break.create", "booking.cancel"], "newest first");
    assert.ok(all.includes("Booking cancelled") && all.includes("Break added"));
    assert.ok(all.includes("+966 55 100 0001"), "who");
    assert.ok(all.includes(`${base}/bookings/${b.id}`), "a link to the booking");
    assert.deepEqual(actions(await page("action=booking")), ["booking.cancel"]);
    assert.deepEqual(actions(await page("action=booking.cancel")), ["booking.cancel"]);
    assert.deepEqual(actions(await page(`entity_id=${b.id}`)), ["booking.cancel"]);
    assert.deepEqual(actions(await page("from=2026-11-23&to=2026-11-23")), ["break.create"]);
    assert.deepEqual(actions(await page(`who=${w.users.manager}`)).length, 2);
    assert.deepEqual(actions(await page(`who=${w.users.admin}`)), []);
    assert.equal((await get(t, `${base}/audit`, w.jars.staff)).status, 403);
  });
});

Deno.test("dashboard pages in Arabic - both calendars joined by a word, time stamps in one calendar, no middle dot beside an Arabic-Indic digit", async () => {
  await withWorld(async (t, w, base) => {
    const b = await book(t, w, { start: "2026-11-22T07:00:00Z" }); // Sunday 10:00 in Riyadh
    await post(t, `${base}/bookings/${b.id}/cancel`, w.jars.manager, { reason: "Closed" });
    const pages: Record<string, string> = {};
    for (
      const path of [
        `bookings/${b.id}`,
        "agenda",
        "calendar?date=2026-11-22",
        "bookings",
        `bookings/new?service=${w.service.id}&staff=any&date=2026-11-24`,
        "reports",
        "audit",
        "settings",
        `staff/${w.noura.id}`,
      ]
    ) {
      const res = await get(t, `${base}/${path}`, w.jars.manager);
      assert.equal(res.status, 200, path);
      pages[path] = await res.text();
      assert.deepEqual(pageDotsBesideArabicDigits(pages[path]), [], path);
    }
    const detail = pages[`bookings/${b.id}`];
    assert.ok(detail.includes("الأحد، ٢٢ نوفمبر ٢٠٢٦ الموافق ١٢ جمادى الآخرة ١٤٤٨ هـ"));
    // The history stamps are the Gregorian date and the time, with no Hijri date.
    const from = detail.indexOf('id="history"');
    const history = detail.slice(from, detail.indexOf("</ol>", from));
    assert.match(history, />السبت، ٢١ نوفمبر ٢٠٢٦ ١٢:٠٠ م</);
    assert.ok(!history.includes("جمادى"));
    assert.ok(pages.agenda.includes("السبت، ٢١ نوفمبر ٢٠٢٦ الموافق ١١ جمادى الآخرة ١٤٤٨ هـ"));
    assert.ok(pages["calendar?date=2026-11-22"].includes("الموافق ١٢ جمادى الآخرة ١٤٤٨ هـ"));
    const walkIn = pages[`bookings/new?service=${w.service.id}&staff=any&date=2026-11-24`];
    assert.match(walkIn, /استشوار، ٦٠ دقيقة، \u200f?١٠٠٫٠٠\sر\.س\./);
    assert.ok(walkIn.includes("الثلاثاء، ٢٤ نوفمبر ٢٠٢٦ الموافق ١٤ جمادى الآخرة ١٤٤٨ هـ"));
    assert.match(pages.reports, /٢٠٢٦، عدد الأيام: [٠-٩]+/);
    assert.match(pages.audit, />السبت، ٢١ نوفمبر ٢٠٢٦ ١٢:٠٠ م</);
    assert.ok(!pages.audit.includes("الموافق"));
  });
});

Deno.test("dashboard - the salon switcher for people in several salons, the header link for people with a dashboard", async () => {
  await withWorld(async (t, w, base) => {
    await t.db.query(
      "INSERT INTO salon_memberships (user_id, salon_id, role) VALUES ($1, $2, 'staff')",
      [w.users.manager, w.other.id],
    );
    const index = await get(t, "/dashboard?lang=en", w.jars.manager);
    assert.equal(index.status, 200);
    const html = await index.text();
    assert.ok(
      html.includes(`/dashboard/${w.salon.slug}/agenda`) &&
        html.includes(`/dashboard/${w.other.slug}/agenda`),
    );
    const agenda = await (await get(t, `${base}/agenda?lang=en`, w.jars.manager)).text();
    assert.ok(agenda.includes("Switch salon"));
    assert.ok(agenda.includes(`href="/dashboard/${w.other.slug}/agenda"`));
    assert.ok(agenda.includes('href="/dashboard"'), "header link");

    const customer = await (await get(t, "/?lang=en", w.jars.customer)).text();
    assert.ok(!customer.includes('href="/dashboard"'), "customers get no dashboard link");
    const managerHome = await (await get(t, "/?lang=en", w.jars.manager)).text();
    assert.ok(managerHome.includes('href="/dashboard"'), "a salon's team gets it on public pages");
    const none = await (await get(t, "/dashboard?lang=en", w.jars.customer)).text();
    assert.match(none, /does not manage or work at any salon yet/);
    const admin = await (await get(t, "/?lang=en", w.jars.admin)).text();
    assert.ok(admin.includes('href="/dashboard"'), "admins get the link");
    // A platform admin who also works at a salon as staff still acts as a manager there.
    await t.db.query(
      "INSERT INTO salon_memberships (user_id, salon_id, role) VALUES ($1, $2, 'staff')",
      [w.users.admin, w.salon.id],
    );
    assert.equal((await get(t, `${base}/settings`, w.jars.admin)).status, 200);
  });
});

Deno.test("dashboard catalogs - every string in both languages, Arabic really Arabic, same placeholders", () => {
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  assert.deepEqual(Object.keys(arDashboard).sort(), Object.keys(enDashboard).sort());
  for (const [key, en] of Object.entries(enDashboard)) {
    const ar = arDashboard[key as keyof typeof arDashboard];
    assert.ok(/[\u0600-\u06FF]/.test(ar), `${key}: the Arabic has no Arabic letters: ${ar}`);
    assert.notEqual(ar, en, key);
    assert.deepEqual(placeholders(ar), placeholders(en), key);
  }
});

Deno.test("dashboard booking page - headed for the salon, not the customer; admin counts read as labels in both languages", async () => {
  await withWorld(async (t, w, base) => {
    const booking = await book(t, w, { start: "2026-11-23T07:00:00Z" });
    for (const lang of ["en", "ar"]) {
      const html =
        await (await get(t, `${base}/bookings/${booking.id}?lang=${lang}`, w.jars.manager))
          .text();
      assert.ok(!html.includes(lang === "en" ? "Manage your booking" : "إدارة حجزك"), lang);
      assert.ok(html.includes(lang === "en" ? ">Actions<" : ">الإجراءات<"), lang);
    }
    const admin = await (await get(t, "/admin?lang=en", w.jars.admin)).text();
    assert.ok(!/\b1 managers\b/.test(admin), "no '1 managers'");
    assert.match(admin, /Managers: 1\b/);
  });
});
