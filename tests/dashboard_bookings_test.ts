import assert from "node:assert/strict";
import { csvField, toCsv } from "@/services/dashboard/csv.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { auditCount, book, get, makeWorld, post, type World } from "./helpers/dashboard.ts";
import { makeBooking } from "./helpers/factories.ts";

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

async function bookingRow(t: TestApp, id: string) {
  const [row] = await t.db.query<{
    status: string;
    starts_at: Date;
    staff_id: string;
    cancel_reason: string | null;
    cancelled_by: string | null;
    source: string;
    payment_mode: string;
    customer_id: string;
  }>(
    `SELECT status, starts_at, staff_id, cancel_reason, cancelled_by, source, payment_mode,
            customer_id FROM bookings WHERE id = $1`,
    [id],
  );
  return row;
}

async function lastAudit(t: TestApp) {
  const [row] = await t.db.query<{
    action: string;
    entity: string;
    entity_id: string;
    actor_user_id: string;
    actor_role: string;
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
    request_id: string | null;
  }>("SELECT * FROM audit_log ORDER BY at DESC, id DESC LIMIT 1");
  return row;
}

const ids = (html: string) => [...html.matchAll(/data-booking-id="([^"]+)"/g)].map((m) => m[1]);

Deno.test("dashboard bookings - search by date range, staff, status and phone; staff see only their own", async () => {
  await withWorld(async (t, w, base) => {
    const other = await makeBooking(t.db, {
      service: w.service,
      staff: w.reem,
      starts_at: new Date("2026-11-22T07:00:00Z"),
      customer_id: w.users.otherStaff,
    });
    const a = await book(t, w, { start: "2026-11-21T10:00:00Z" }); // today 13:00, Noura
    const b = await book(t, w, { start: "2026-11-25T10:00:00Z", staff: w.reem });
    const html = (q: string, who: keyof World["jars"] = "manager") =>
      get(t, `${base}/bookings?${q}&lang=en`, w.jars[who]).then((r) => r.text());

    assert.deepEqual(ids(await html("")), [a.id, other.id, b.id], "today and the next 6 days");
    assert.deepEqual(ids(await html("from=2026-11-25&to=2026-11-25")), [b.id]);
    assert.deepEqual(ids(await html(`staff=${w.reem.id}`)), [other.id, b.id]);
    assert.deepEqual(ids(await html("status=confirmed&phone=0551000003")), [a.id, b.id]);
    assert.deepEqual(ids(await html("phone=٥٥١٠٠٠٠٠٣")), [a.id, b.id], "Arabic-Indic digits");
    assert.deepEqual(ids(await html("status=cancelled")), []);
    assert.deepEqual(ids(await html("", "staff")), [a.id], "staff: Noura's own only");
    assert.deepEqual(ids(await html(`staff=${w.reem.id}`, "staff")), [a.id], "cannot widen");
    const page = await html("");
    assert.match(page, /Bookings: 3/);
    assert.ok(page.includes("+966 55 100 0003"), "phone shown to managers");
  });
});

Deno.test("dashboard bookings - staff get 404 for a colleague's booking and cannot confirm or cancel", async () => {
  await withWorld(async (t, w, base) => {
    const reems = await book(t, w, { start: "2026-11-22T07:00:00Z", staff: w.reem });
    assert.equal((await get(t, `${base}/bookings/${reems.id}`, w.jars.staff)).status, 404);
    const own = await book(t, w, { start: "2026-11-22T07:00:00Z" });
    assert.equal((await get(t, `${base}/bookings/${own.id}`, w.jars.staff)).status, 200);
    const cancel = await post(t, `${base}/bookings/${own.id}/cancel`, w.jars.staff, {
      reason: "x",
    });
    assert.equal(cancel.status, 403);
    const confirm = await post(t, `${base}/bookings/${own.id}/status`, w.jars.staff, {
      to: "confirmed",
    });
    assert.equal(confirm.status, 403);
    assert.equal((await bookingRow(t, own.id)).status, "confirmed");
    assert.equal(await auditCount(t), 0);
  });
});

Deno.test("dashboard bookings - a manager confirms a pending booking; audited with before and after", async () => {
  await withWorld(async (t, w, base) => {
    const pending = await makeBooking(t.db, {
      service: w.service,
      staff: w.noura,
      starts_at: new Date("2026-11-22T07:00:00Z"),
      status: "pending",
      hold_expires_at: new Date("2026-11-21T09:10:00Z"),
      payment_mode: "deposit",
      deposit_halalas: 3000,
      customer_id: w.users.customer,
    });
    const res = await post(t, `${base}/bookings/${pending.id}/status`, w.jars.manager, {
      to: "confirmed",
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), `${base}/bookings/${pending.id}?notice=confirmed`);
    assert.equal((await bookingRow(t, pending.id)).status, "confirmed");
    const audit = await lastAudit(t);
    assert.equal(audit.action, "booking.confirm");
    assert.equal(audit.entity_id, pending.id);
    assert.equal(audit.actor_user_id, w.users.manager);
    assert.equal(audit.actor_role, "manager");
    assert.equal(audit.before?.status, "pending");
    assert.equal(audit.after?.status, "confirmed");
    assert.ok(audit.request_id, "the request id is kept");
    const [event] = await t.db.query<{ actor_role: string; actor_user_id: string }>(
      "SELECT actor_role, actor_user_id FROM booking_events WHERE booking_id = $1 AND to_status = 'confirmed'",
      [pending.id],
    );
    assert.deepEqual(event, { actor_role: "salon", actor_user_id: w.users.manager });
  });
});

Deno.test("dashboard bookings - completed and no-show only after the start, by the staff member or a manager", async () => {
  await withWorld(async (t, w, base) => {
    const b = await book(t, w, { start: "2026-11-21T10:00:00Z" }); // 13:00 today
    const second = await book(t, w, { start: "2026-11-21T10:00:00Z", staff: w.reem });
    const early = await post(t, `${base}/bookings/${b.id}/status`, w.jars.staff, {
      to: "completed",
    });
    assert.equal(early.status, 303);
    assert.equal(
      early.headers.get("location"),
      `${base}/bookings/${b.id}?error=booking.notStartedYet`,
    );
    const shown = await (await get(
      t,
      `${base}/bookings/${b.id}?error=booking.notStartedYet&lang=en`,
      w.jars.staff,
    )).text();
    assert.match(shown, /can only be recorded after the appointment has started/);
    assert.equal((await bookingRow(t, b.id)).status, "confirmed");
    assert.equal(await auditCount(t), 0);

    t.clock.set("2026-11-21T10:05:00Z");
    const done = await post(t, `${base}/bookings/${b.id}/status`, w.jars.staff, {
      to: "completed",
      return_to: `${base}/agenda`,
    });
    assert.equal(done.status, 303);
    assert.equal(done.headers.get("location"), `${base}/agenda?notice=completed`);
    assert.equal((await bookingRow(t, b.id)).status, "completed");
    assert.equal((await lastAudit(t)).actor_role, "staff");

    t.clock.set("2026-11-21T10:20:00Z");
    const noShow = await post(t, `${base}/bookings/${second.id}/status`, w.jars.manager, {
      to: "no_show",
      return_to: "https://evil.example/",
    });
    assert.equal(noShow.headers.get("location"), `${base}/bookings/${second.id}?notice=no_show`);
    assert.equal((await bookingRow(t, second.id)).status, "no_show");
    assert.equal((await lastAudit(t)).action, "booking.no_show");
  });
});

Deno.test("dashboard bookings - cancel needs a reason, tells the customer, and is audited", async () => {
  await withWorld(async (t, w, base) => {
    const b = await book(t, w, { start: "2026-11-22T07:00:00Z" });
    const blank = await post(t, `${base}/bookings/${b.id}/cancel`, w.jars.manager, { reason: " " });
    assert.equal(
      blank.headers.get("location"),
      `${base}/bookings/${b.id}?error=dash.error.reasonRequired`,
    );
    assert.equal((await bookingRow(t, b.id)).status, "confirmed");

    const res = await post(t, `${base}/bookings/${b.id}/cancel`, w.jars.manager, {
      reason: "Noura is ill",
    });
    assert.equal(res.status, 303);
    const row = await bookingRow(t, b.id);
    assert.equal(row.status, "cancelled");
    assert.equal(row.cancel_reason, "Noura is ill");
    assert.equal(row.cancelled_by, "salon");
    const messages = await t.db.query<{ template: string }>(
      "SELECT template FROM messages WHERE booking_id = $1 AND event = 'cancelled' AND recipient_role = 'customer'",
      [b.id],
    );
    assert.deepEqual(messages.map((m) => m.template), ["msg.customer.cancelled.salon"]);
    const audit = await lastAudit(t);
    assert.equal(audit.action, "booking.cancel");
    assert.equal(audit.after?.cancel_reason, "Noura is ill");

    const again = await post(t, `${base}/bookings/${b.id}/cancel`, w.jars.manager, {
      reason: "twice",
    });
    assert.equal(again.status, 303);
    assert.equal(await auditCount(t, "booking.cancel"), 1, "a no-op is not audited");
  });
});

Deno.test("dashboard bookings - reschedule through the booking service: a free time moves it, a taken one comes back", async () => {
  await withWorld(async (t, w, base) => {
    const b = await book(t, w, { start: "2026-11-22T07:00:00Z" }); // Sunday 10:00 Noura
    await book(t, w, { start: "2026-11-22T09:00:00Z", staff: w.reem }); // Reem 12:00

    const page = await (await get(
      t,
      `${base}/bookings/${b.id}/reschedule?date=2026-11-22&staff=${w.reem.id}&lang=en`,
      w.jars.manager,
    )).text();
    assert.ok(
      !page.includes('value="2026-11-22T09:00:00.000Z"'),
      "Reem's booked time is not offered",
    );
    assert.ok(page.includes('value="2026-11-22T10:00:00.000Z"'));

    const taken = await post(t, `${base}/bookings/${b.id}/reschedule`, w.jars.manager, {
      start: "2026-11-22T09:00:00.000Z",
      staff: w.reem.id,
    });
    assert.equal(taken.status, 303);
    assert.match(
      taken.headers.get("location") ?? "",
      /reschedule\?date=2026-11-22&staff=.*&error=taken$/,
    );
    assert.equal((await bookingRow(t, b.id)).staff_id, w.noura.id);

    const moved = await post(t, `${base}/bookings/${b.id}/reschedule`, w.jars.manager, {
      start: "2026-11-22T10:00:00.000Z",
      staff: w.reem.id,
    });
    assert.equal(moved.headers.get("location"), `${base}/bookings/${b.id}?notice=rescheduled`);
    const row = await bookingRow(t, b.id);
    assert.equal(row.staff_id, w.reem.id);
    assert.equal(row.starts_at.toISOString(), "2026-11-22T10:00:00.000Z");
    const audit = await lastAudit(t);
    assert.equal(audit.action, "booking.reschedule");
    assert.equal(audit.before?.staff_id, w.noura.id);
    assert.equal(audit.after?.staff_id, w.reem.id);
    assert.equal(audit.after?.starts_at, "2026-11-22T10:00:00.000Z");
  });
});

Deno.test("dashboard bookings - walk-in by phone: creates the customer if needed, confirmed at once and paid at the salon", async () => {
  await withWorld(async (t, w, base) => {
    // The salon asks online customers for 2 h notice and a deposit; neither applies at the desk.
    await t.db.query(
      "UPDATE salons SET min_notice_minutes = 120, payment_mode = 'deposit', deposit_percent = 20 WHERE id = $1",
      [w.salon.id],
    );
    const form = await (await get(
      t,
      `${base}/bookings/new?service=${w.service.id}&staff=${w.noura.id}&lang=en`,
      w.jars.manager,
    )).text();
    assert.ok(
      form.includes('value="2026-11-21T09:00:00.000Z"'),
      "12:00 (now) is offered at the desk",
    );

    const res = await post(t, `${base}/bookings/new?lang=en`, w.jars.manager, {
      phone: "٠٥٥ ٩٩٩ ٨٨٧٧",
      first_name: "Huda",
      language: "en",
      service: w.service.id,
      staff: w.noura.id,
      start: "2026-11-21T09:00:00.000Z",
    });
    assert.equal(res.status, 303);
    const id = /bookings\/([0-9a-f-]{36})\?notice=created/.exec(res.headers.get("location") ?? "")
      ?.[1];
    assert.ok(id);
    const row = await bookingRow(t, id);
    assert.deepEqual([row.status, row.source, row.payment_mode], [
      "confirmed",
      "salon",
      "at_salon",
    ]);
    const [customer] = await t.db.query<
      {
        phone_number: string;
        first_name: string;
        preferred_language: string;
        is_phone_verified: boolean;
      }
    >(
      "SELECT phone_number, first_name, preferred_language, is_phone_verified FROM users WHERE id = $1",
      [row.customer_id],
    );
    assert.deepEqual(customer, {
      phone_number: "+966559998877",
      first_name: "Huda",
      preferred_language: "en",
      is_phone_verified: false,
    });
    const actions = await t.db.query<{ action: string }>(
      "SELECT action FROM audit_log ORDER BY at, action",
    );
    assert.deepEqual(actions.map((a) => a.action), ["booking.create", "customer.create"]);
    const queued = await t.db.query<{ template: string; locale: string }>(
      "SELECT template, locale FROM messages WHERE booking_id = $1 AND recipient_role = 'customer' AND kind = 'event'",
      [id],
    );
    assert.deepEqual([...queued], [{ template: "msg.customer.confirmed", locale: "en" }]);

    // An existing customer: found by phone, their name untouched.
    const again = await post(t, `${base}/bookings/new`, w.jars.manager, {
      phone: "+966551000003",
      first_name: "Someone else",
      service: w.service.id,
      staff: "any",
      start: "2026-11-21T11:00:00.000Z",
    });
    assert.equal(again.status, 303);
    const [sara] = await t.db.query<{ first_name: string; n: number }>(
      "SELECT first_name, (SELECT count(*)::int FROM users) AS n FROM users WHERE id = $1",
      [w.users.customer],
    );
    assert.equal(sara.first_name, "Sara");
    assert.equal(await auditCount(t, "customer.create"), 1);
  });
});

Deno.test("dashboard bookings - walk-in errors re-render the form: a bad phone (400, localized) and a taken time (409)", async () => {
  await withWorld(async (t, w, base) => {
    const before = await auditCount(t);
    const bad = await post(t, `${base}/bookings/new?lang=ar`, w.jars.manager, {
      phone: "12345",
      service: w.service.id,
      staff: w.noura.id,
      start: "2026-11-21T10:00:00.000Z",
    });
    assert.equal(bad.status, 400);
    const html = await bad.text();
    assert.match(html, /<html lang="ar" dir="rtl">/);
    assert.ok(html.includes('value="12345"'), "what was typed stays");
    assert.ok(html.includes('aria-invalid="true"'));

    await book(t, w, { start: "2026-11-21T10:00:00Z" });
    const taken = await post(t, `${base}/bookings/new?lang=en`, w.jars.manager, {
      phone: "0559998877",
      service: w.service.id,
      staff: w.noura.id,
      start: "2026-11-21T10:00:00.000Z",
    });
    assert.equal(taken.status, 409);
    assert.match(await taken.text(), /this time was just taken/);
    assert.equal(await auditCount(t), before);
    const [{ n }] = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM users WHERE phone_number = '+966559998877'",
    );
    assert.equal(n, 0, "the customer created for the refused booking was rolled back");
  });
});

Deno.test("dashboard bookings - CSV export: the search as a file, every field escaped, formulas defused, managers only", async () => {
  await withWorld(async (t, w, base) => {
    await t.db.query("UPDATE users SET first_name = $2, last_name = $3 WHERE id = $1", [
      w.users.customer,
      '=HYPERLINK("http://x","y")',
      'Al "Q", \nline',
    ]);
    const b = await book(t, w, { start: "2026-11-22T07:00:00Z" });
    const res = await get(
      t,
      `${base}/bookings.csv?from=2026-11-22&to=2026-11-22&lang=en`,
      w.jars.manager,
    );
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/csv; charset=utf-8");
    assert.match(
      res.headers.get("content-disposition") ?? "",
      /attachment; filename="bookings-.*-2026-11-22-2026-11-22\.csv"/,
    );
    const text = await res.text();
    assert.ok(
      text.startsWith("\uFEFFBooking ID,Date,Start,End,Service,Staff,Customer,Mobile,Status"),
    );
    const lines = text.split("\r\n");
    assert.equal(lines.at(-1), "", "ends with CRLF");
    const body = lines.slice(1).join("\r\n");
    assert.ok(body.startsWith(`${b.id},2026-11-22,10:00,11:00,Blow-dry,Noura,`));
    assert.ok(
      body.includes(
        `"'=HYPERLINK(""http://x"",""y"") Al ""Q"", \nline",'+966551000003,Confirmed,100.00,0.00,Pay at the salon,Online by the customer,`,
      ),
      body,
    );
    const ar = await (await get(
      t,
      `${base}/bookings.csv?from=2026-11-22&to=2026-11-22&lang=ar`,
      w.jars.manager,
    )).text();
    assert.ok(ar.startsWith("\uFEFFرقم الحجز,التاريخ"));
    assert.ok(ar.includes("استشوار,نورة"));
    assert.equal((await get(t, `${base}/bookings.csv`, w.jars.staff)).status, 403);
  });
});

Deno.test("dashboard csv - fields: plain, quoted, doubled quotes, line breaks, formula prefixes", () => {
  assert.equal(csvField("plain"), "plain");
  assert.equal(csvField(null), "");
  assert.equal(csvField(12), "12");
  assert.equal(csvField("a,b"), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField("two\nlines"), '"two\nlines"');
  assert.equal(csvField("cr\r"), '"cr\r"');
  for (const risky of ["=1+1", "+966500000000", "-2", "@SUM(A1)", "\tx", "\rx"]) {
    assert.ok(csvField(risky).replace(/^"/, "").startsWith("'"), risky);
  }
  assert.equal(csvField("=1,2"), `"'=1,2"`);
  assert.equal(csvField("نورة، ريم"), "نورة، ريم");
  assert.equal(toCsv(["a", "b"], [[1, "x,y"]]), '\uFEFFa,b\r\n1,"x,y"\r\n');
});
