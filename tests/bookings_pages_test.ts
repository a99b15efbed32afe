import assert from "node:assert/strict";
import ICAL from "ical.js";
import { cancelBooking, createBooking, rescheduleBooking } from "@/services/bookings/mod.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { browserLogin, type CookieJar } from "./helpers/auth.ts";
import { pageDotsBesideArabicDigits } from "./helpers/digits.ts";
import { makeSalon, makeService, makeStaff } from "./helpers/factories.ts";

async function bookedCustomer(t: TestApp, salonOverrides: Record<string, unknown> = {}) {
  const salon = await makeSalon(t.db, { latitude: 24.7136, longitude: 46.6753, ...salonOverrides });
  const service = await makeService(t.db, salon, { name_en: "Blow-dry", name_ar: "استشوار" });
  const staff = await makeStaff(t.db, salon, {
    services: [service.id],
    name_en: "Noura",
    name_ar: "نورة",
  });
  const jar = await browserLogin(t);
  const [user] = await t.db.query<{ id: string }>("SELECT id FROM users LIMIT 1");
  const { booking } = await createBooking(t.db, {
    customerId: user.id,
    salon: salon.slug,
    serviceId: service.id,
    staff: staff.id,
    start: new Date("2026-11-23T13:30:00Z"), // Monday 16:30 in Riyadh
    now: t.clock.now(),
    actor: { userId: user.id, role: "customer" },
  });
  return { salon, service, staff, jar, booking, userId: user.id };
}

function get(t: TestApp, path: string, jar: CookieJar) {
  return t.app.request(path, { headers: { cookie: jar.header() } });
}

/** A same-origin form post, as the browser sends it, with the page's CSRF token. */
async function postForm(t: TestApp, path: string, jar: CookieJar, fields: Record<string, string>) {
  const page = await (await get(t, path.replace(/\/(cancel)$/, ""), jar)).text();
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(page)?.[1] ?? "";
  return t.app.request(path, {
    method: "POST",
    headers: {
      cookie: jar.header(),
      "content-type": "application/x-www-form-urlencoded",
      origin: "http://localhost",
      "sec-fetch-site": "same-origin",
    },
    body: new URLSearchParams({ ...fields, csrf_token: csrf }),
  });
}

Deno.test("booking page - the customer sees salon, map link, Gregorian + Hijri date and the zone, in both languages", async () => {
  const t = await makeTestApp();
  try {
    const { booking, jar } = await bookedCustomer(t);
    const ar = await get(t, `/bookings/${booking.id}`, jar);
    assert.equal(ar.status, 200);
    const arHtml = await ar.text();
    assert.match(arHtml, /<html lang="ar" dir="rtl">/);
    assert.ok(arHtml.includes("استشوار") && arHtml.includes("نورة"));
    assert.ok(
      arHtml.includes("الاثنين، ٢٣ نوفمبر ٢٠٢٦ الموافق ١٣ جمادى الآخرة ١٤٤٨ هـ"),
      "dual date in Arabic, joined by a word: a middle dot between Arabic-Indic digits reads as ٠",
    );
    assert.deepEqual(pageDotsBesideArabicDigits(arHtml), [], "no middle dot beside a digit");
    assert.ok(arHtml.includes("٤:٣٠ م"), "time in the salon's zone");
    assert.ok(arHtml.includes("google.com/maps/search/?api=1&amp;query=24.7136,46.6753"));
    assert.ok(arHtml.includes(`/bookings/${booking.id}/calendar.ics`));
    const en = await (await get(t, `/bookings/${booking.id}?lang=en`, jar)).text();
    assert.ok(en.includes("Monday, 23 November 2026 · 13 Jumada II 1448 AH"));
    assert.ok(en.includes("4:30 pm"));
    assert.ok(en.includes("Confirmed"));
  } finally {
    await t.close();
  }
});

Deno.test("booking page - anonymous visitors go to login, other customers get a 404", async () => {
  const t = await makeTestApp();
  try {
    const { booking } = await bookedCustomer(t);
    const anon = await t.app.request(`/bookings/${booking.id}`);
    assert.equal(anon.status, 303);
    assert.equal(
      anon.headers.get("location"),
      `/login?next=${encodeURIComponent(`/bookings/${booking.id}`)}`,
    );
    const other = await browserLogin(t, "0512345670");
    const res = await get(t, `/bookings/${booking.id}`, other);
    assert.equal(res.status, 404);
  } finally {
    await t.close();
  }
});

Deno.test("booking page - cancel form: 303 with a notice inside the window, a reason why after it", async () => {
  const t = await makeTestApp();
  try {
    const { booking, jar } = await bookedCustomer(t);
    t.clock.set("2026-11-22T13:31:00Z"); // one minute after the 24 h deadline
    const late = await postForm(t, `/bookings/${booking.id}/cancel`, jar, {
      reason: "",
      confirm: "yes",
    });
    assert.equal(late.status, 303);
    assert.equal(late.headers.get("location"), `/bookings/${booking.id}?error=window`);
    const shown = await (await get(t, `/bookings/${booking.id}?error=window&lang=en`, jar)).text();
    assert.ok(shown.includes("up to 24 hours before the appointment"));
    const [still] = await t.db.query<{ status: string }>(
      "SELECT status FROM bookings WHERE id = $1",
      [booking.id],
    );
    assert.equal(still.status, "confirmed");

    t.clock.set("2026-11-22T13:29:00Z"); // one minute before
    const ok = await postForm(t, `/bookings/${booking.id}/cancel`, jar, {
      reason: "travel",
      confirm: "yes",
    });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get("location"), `/bookings/${booking.id}?notice=cancelled`);
    const [row] = await t.db.query<{ status: string; cancel_reason: string }>(
      "SELECT status, cancel_reason FROM bookings WHERE id = $1",
      [booking.id],
    );
    assert.deepEqual(row, { status: "cancelled", cancel_reason: "travel" });
  } finally {
    await t.close();
  }
});

Deno.test("booking page - a cookie-authenticated cancel without the CSRF token changes nothing", async () => {
  const t = await makeTestApp();
  try {
    const { booking, jar } = await bookedCustomer(t);
    const res = await t.app.request(`/bookings/${booking.id}/cancel`, {
      method: "POST",
      headers: { cookie: jar.header(), "content-type": "application/x-www-form-urlencoded" },
      body: "reason=x",
    });
    assert.equal(res.status, 403);
    const [row] = await t.db.query<{ status: string }>(
      "SELECT status FROM bookings WHERE id = $1",
      [booking.id],
    );
    assert.equal(row.status, "confirmed");
  } finally {
    await t.close();
  }
});

Deno.test("booking page - reschedule picks a new time on another day, one form post", async () => {
  const t = await makeTestApp();
  try {
    const { booking, jar } = await bookedCustomer(t);
    const pick = await get(t, `/bookings/${booking.id}/reschedule?date=2026-11-24&lang=en`, jar);
    assert.equal(pick.status, 200);
    const html = await pick.text();
    assert.ok(html.includes('value="2026-11-24T06:00:00.000Z"'), "09:00 Riyadh is offered");
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(html)![1];
    const moved = await t.app.request(`/bookings/${booking.id}/reschedule`, {
      method: "POST",
      headers: {
        cookie: jar.header(),
        "content-type": "application/x-www-form-urlencoded",
        "sec-fetch-site": "same-origin",
      },
      body: new URLSearchParams({ start: "2026-11-24T06:00:00.000Z", csrf_token: csrf }),
    });
    assert.equal(moved.status, 303);
    const [row] = await t.db.query<{ starts_at: Date }>(
      "SELECT starts_at FROM bookings WHERE id = $1",
      [booking.id],
    );
    assert.equal(row.starts_at.toISOString(), "2026-11-24T06:00:00.000Z");
  } finally {
    await t.close();
  }
});

Deno.test("booking .ics - UTC times, the booking's link and a 2-hour reminder", async () => {
  const t = await makeTestApp();
  try {
    const { booking, jar } = await bookedCustomer(t);
    const res = await get(t, `/bookings/${booking.id}/calendar.ics?lang=en`, jar);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, /^text\/calendar/);
    const ics = await res.text();
    assert.ok(ics.includes("DTSTART:20261123T133000Z\r\n"));
    assert.ok(ics.includes("DTEND:20261123T143000Z\r\n"));
    assert.ok(ics.includes("TRIGGER:-PT2H"));
    assert.ok(ics.includes(`UID:booking-${booking.id}@salon`));
    assert.ok(ics.split("\r\n").every((line) => new TextEncoder().encode(line).length <= 75));
  } finally {
    await t.close();
  }
});

Deno.test("my bookings - upcoming and past lists, in both languages", async () => {
  const t = await makeTestApp();
  try {
    const { jar } = await bookedCustomer(t);
    const ar = await (await get(t, "/me/bookings", jar)).text();
    assert.ok(ar.includes("القادمة") && ar.includes("استشوار"));
    const en = await (await get(t, "/me/bookings?lang=en", jar)).text();
    assert.ok(en.includes("Upcoming") && en.includes("Blow-dry"));
    t.clock.set("2026-12-01T00:00:00Z");
    const later = await (await get(t, "/me/bookings?lang=en", jar)).text();
    assert.ok(later.includes("You have no upcoming bookings."));
    assert.ok(later.includes("Past"));
  } finally {
    await t.close();
  }
});

Deno.test("my bookings - a cancelled future booking is listed as cancelled, not under past", async () => {
  const t = await makeTestApp();
  try {
    const { jar, booking } = await bookedCustomer(t);
    await t.db.query(
      "UPDATE bookings SET status = 'cancelled', cancelled_by = 'customer' WHERE id = $1",
      [booking.id],
    );
    const html = await (await get(t, "/me/bookings?lang=en", jar)).text();
    const section = (title: string) => {
      const start = html.indexOf(`>${title}</h2>`);
      if (start < 0) return "";
      const end = html.indexOf("</section>", start);
      return html.slice(start, end);
    };
    assert.ok(section("Cancelled or expired").includes("Blow-dry"));
    assert.equal(section("Past"), "", "no past section: the booking's time has not come");
    assert.ok(html.includes("You have no upcoming bookings."));
    t.clock.set("2026-12-01T00:00:00Z");
    const later = await (await get(t, "/me/bookings?lang=en", jar)).text();
    assert.ok(later.includes(">Past</h2>") && !later.includes(">Cancelled or expired</h2>"));
  } finally {
    await t.close();
  }
});

Deno.test("booking page confirm form - login first, then one booking per key, taken times go back to the picker", async () => {
  const t = await makeTestApp();
  try {
    const salon = await makeSalon(t.db);
    const service = await makeService(t.db, salon);
    const staff = await makeStaff(t.db, salon, { services: [service.id] });
    const fields = {
      service: service.id,
      staff: staff.id,
      start: "2026-11-23T07:00:00.000Z",
      idempotency_key: crypto.randomUUID(),
    };
    const confirmUrl = `/salons/${salon.slug}/book?service=${service.id}&staff=${staff.id}&start=${
      encodeURIComponent(fields.start)
    }`;
    const post = (jar: CookieJar | null, csrf: string, extra: Record<string, string> = {}) =>
      t.app.request(`/salons/${salon.slug}/book`, {
        method: "POST",
        headers: {
          ...(jar ? { cookie: jar.header() } : {}),
          "content-type": "application/x-www-form-urlencoded",
          "sec-fetch-site": "same-origin",
        },
        body: new URLSearchParams({ ...fields, ...extra, csrf_token: csrf }),
      });

    const anonymous = await post(null, "");
    assert.equal(anonymous.status, 303);
    assert.equal(
      anonymous.headers.get("location"),
      `/login?next=${encodeURIComponent(confirmUrl)}`,
    );

    const jar = await browserLogin(t);
    const page = await (await get(t, confirmUrl, jar)).text();
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(page)![1];
    const first = await post(jar, csrf);
    assert.equal(first.status, 303);
    const location = first.headers.get("location")!;
    assert.match(location, /^\/bookings\/[0-9a-f-]{36}\?notice=booked$/);
    const second = await post(jar, csrf);
    assert.equal(second.headers.get("location"), location, "a double click books once");
    assert.equal((await t.db.query<{ n: number }>("SELECT count(*) AS n FROM bookings"))[0].n, 1);

    const other = await browserLogin(t, "0512345670");
    const mePage = await (await get(t, "/me", other)).text();
    const otherCsrf = /name="csrf_token" value="([^"]+)"/.exec(mePage)?.[1];
    assert.ok(otherCsrf, "the signed-in page carries a CSRF token");
    const taken = await post(other, otherCsrf, { idempotency_key: crypto.randomUUID() });
    assert.equal(taken.status, 303);
    assert.equal(taken.headers.get("location"), confirmUrl);
    assert.equal((await t.db.query<{ n: number }>("SELECT count(*) AS n FROM bookings"))[0].n, 1);
  } finally {
    await t.close();
  }
});

Deno.test("booking page - says in plain words when reminders will come, never delivery internals", async () => {
  const t = await makeTestApp();
  try {
    const { booking, jar } = await bookedCustomer(t);
    const en = await (await get(t, `/bookings/${booking.id}?lang=en`, jar)).text();
    assert.ok(
      en.includes(
        "We will send you WhatsApp reminders 24 hours and 2 hours before your appointment.",
      ),
    );
    for (const internal of ["Attempts", "Queued", "Due "]) {
      assert.ok(!en.includes(internal), internal);
    }
    const ar = await (await get(t, `/bookings/${booking.id}`, jar)).text();
    assert.ok(ar.includes("نرسل لك تذكيرًا عبر واتساب قبل موعدك بيوم، وآخر قبله بساعتين."));
    t.clock.set("2026-11-23T08:00:00Z"); // inside the day before: only the 2 h reminder is left
    await t.db.query(
      "UPDATE messages SET status = 'sent', sent_at = $2 WHERE booking_id = $1 AND event = 'reminder_24h'",
      [booking.id, new Date("2026-11-22T13:30:00Z")],
    );
    const later = await (await get(t, `/bookings/${booking.id}?lang=en`, jar)).text();
    assert.ok(
      later.includes("We will send you a WhatsApp reminder 2 hours before your appointment."),
    );
    assert.ok(later.includes("Reminder, 24 hours before"), "the sent one is listed");
  } finally {
    await t.close();
  }
});

Deno.test(".ics - SEQUENCE and LAST-MODIFIED grow with every move; a cancelled booking's file says CANCELLED (read by ical.js)", async () => {
  const t = await makeTestApp();
  try {
    const { booking, jar, userId } = await bookedCustomer(t);
    const event = async () => {
      const res = await get(t, `/bookings/${booking.id}/calendar.ics?lang=en`, jar);
      const vevent = new ICAL.Component(ICAL.parse(await res.text())).getFirstSubcomponent(
        "vevent",
      )!;
      return {
        sequence: Number(vevent.getFirstPropertyValue("sequence")),
        lastModified: (vevent.getFirstPropertyValue("last-modified") as ICAL.Time).toJSDate(),
        status: String(vevent.getFirstPropertyValue("status")),
        start: (vevent.getFirstPropertyValue("dtstart") as ICAL.Time).toJSDate(),
      };
    };
    const first = await event();
    assert.equal(first.sequence, 0);
    assert.equal(first.status, "CONFIRMED");
    const actor = { userId, role: "customer" as const };
    for (const [i, start] of ["2026-11-23T14:30:00Z", "2026-11-23T15:30:00Z"].entries()) {
      t.clock.advance(60_000);
      await rescheduleBooking(t.db, {
        bookingId: booking.id,
        start: new Date(start),
        actor,
        now: t.clock.now(),
        scope: { customerId: userId },
      });
      const moved = await event();
      assert.equal(moved.sequence, i + 1);
      assert.equal(moved.start.toISOString(), new Date(start).toISOString());
      assert.equal(moved.lastModified.toISOString(), t.clock.now().toISOString());
    }
    t.clock.advance(60_000);
    await cancelBooking(t.db, {
      bookingId: booking.id,
      actor,
      now: t.clock.now(),
      scope: { customerId: userId },
    });
    const cancelled = await event();
    assert.equal(cancelled.status, "CANCELLED");
    assert.equal(cancelled.sequence, 3);
  } finally {
    await t.close();
  }
});

Deno.test("booking page - cancelling asks for confirmation and says what will be refunded", async () => {
  const t = await makeTestApp();
  try {
    const { booking, jar, salon, userId } = await bookedCustomer(t);
    // A paid deposit of SAR 30 on this booking (as the webhook would leave it).
    await t.db.query(
      `INSERT INTO payments (booking_id, salon_id, customer_id, purpose, status, amount_halalas,
         captured_halalas, provider_invoice_id, provider_payment_id, description, locale,
         created_at, updated_at)
       VALUES ($1, $2, $3, 'deposit', 'paid', 3000, 3000, 'inv-c', 'pay-c', 'Deposit', 'en', $4, $4)`,
      [booking.id, salon.id, userId, t.clock.now()],
    );
    const detail = await (await get(t, `/bookings/${booking.id}?lang=en`, jar)).text();
    assert.ok(detail.includes(`href="/bookings/${booking.id}/cancel"`), "a link to the step");
    const confirm = await (await get(t, `/bookings/${booking.id}/cancel?lang=en`, jar)).text();
    assert.ok(confirm.includes("Cancel this booking?"));
    assert.match(confirm, /SAR\s?30\.00 paid online will be refunded to your card/);
    assert.ok(confirm.includes('name="confirm" value="yes"'));
    // A post without the confirmation comes back to the step and cancels nothing.
    const unconfirmed = await postForm(t, `/bookings/${booking.id}/cancel`, jar, { reason: "x" });
    assert.equal(unconfirmed.status, 303);
    assert.equal(unconfirmed.headers.get("location"), `/bookings/${booking.id}/cancel`);
    const stray = await postForm(t, `/bookings/${booking.id}/cancel`, jar, { confirm: "no" });
    assert.equal(stray.status, 303, "a stray value is not a confirmation, and not a 400 either");
    assert.equal(stray.headers.get("location"), `/bookings/${booking.id}/cancel`);
    const [row] = await t.db.query<{ status: string }>(
      "SELECT status FROM bookings WHERE id = $1",
      [
        booking.id,
      ],
    );
    assert.equal(row.status, "confirmed");
    const ar = await (await get(t, `/bookings/${booking.id}/cancel`, jar)).text();
    assert.ok(ar.includes("سيُعاد المبلغ المدفوع عبر الإنترنت"));
  } finally {
    await t.close();
  }
});
