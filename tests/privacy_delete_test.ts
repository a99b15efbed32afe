import assert from "node:assert/strict";
import type { Db } from "@/db/types.ts";
import { parsePhone } from "@/services/auth/phone.ts";
import { TOMBSTONE_PHONE } from "@/services/privacy/delete.ts";
import { tableExists } from "@/services/privacy/redact.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { browserLogin, type CookieJar, login, postJson } from "./helpers/auth.ts";
import { testBackend } from "./helpers/db.ts";
import { makeBooking } from "./helpers/factories.ts";
import { makePrivacyFixture, PERSON } from "./helpers/privacy_fixture.ts";

const backend = testBackend();

/** Every place in the database a string could sit: text, varchar, char, json and jsonb columns. */
async function textColumns(db: Db) {
  return await db.query<{ table_name: string; column_name: string }>(
    `SELECT c.table_name, c.column_name FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_name = c.table_name
       AND t.table_schema = c.table_schema AND t.table_type = 'BASE TABLE'
     WHERE c.table_schema = current_schema()
       AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')
     ORDER BY 1, 2`,
  );
}

/** `table.column` where any of `needles` occurs (case-insensitive), with the value found. */
async function findAnywhere(db: Db, needles: string[]): Promise<string[]> {
  const hits: string[] = [];
  for (const { table_name, column_name } of await textColumns(db)) {
    for (const needle of needles) {
      const rows = await db.query<{ v: string }>(
        `SELECT "${column_name}"::text AS v FROM "${table_name}"
         WHERE strpos(lower("${column_name}"::text), lower($1)) > 0 LIMIT 3`,
        [needle],
      );
      for (const r of rows) hits.push(`${table_name}.${column_name} ∋ ${needle}: ${r.v}`);
    }
  }
  return hits;
}

/** Sums of every money column, and row counts, of the tables the salon's accounts rely on. */
async function financialTotals(db: Db) {
  const totals: Record<string, number> = {};
  const sum = async (label: string, sql: string) => {
    const [row] = await db.query<{ v: number }>(sql);
    totals[label] = Number(row.v);
  };
  await sum("bookings.count", "SELECT count(*) AS v FROM bookings");
  await sum("bookings.price", "SELECT coalesce(sum(price_halalas), 0) AS v FROM bookings");
  await sum("bookings.deposit", "SELECT coalesce(sum(deposit_halalas), 0) AS v FROM bookings");
  if (await tableExists(db, "payments")) {
    await sum("payments.count", "SELECT count(*) AS v FROM payments");
    for (const c of ["amount", "authorized", "captured", "refunded"]) {
      await sum(`payments.${c}`, `SELECT coalesce(sum(${c}_halalas), 0) AS v FROM payments`);
    }
    await sum("ledger", "SELECT coalesce(sum(amount_halalas), 0) AS v FROM payment_events");
    await sum("actions", "SELECT coalesce(sum(amount_halalas), 0) AS v FROM payment_actions");
  }
  return totals;
}

const NEEDLES = [
  PERSON.phone,
  PERSON.phone.slice(1), // 966551234567
  PERSON.local,
  PERSON.local.slice(1), // 551234567
  PERSON.email,
  PERSON.firstName,
  PERSON.lastName,
];

Deno.test(`privacy delete (${backend}) - the person is gone from every text column, the money is not, and their number can sign up again`, async (s) => {
  const t = await makeTestApp();
  try {
    const f = await makePrivacyFixture(t);
    // One more upcoming booking, inside the salon's 24-hour cancellation window (in 6 hours).
    const [service] = await t.db.query<
      { id: string; salon_id: string; duration_minutes: number; price_halalas: number }
    >(
      `SELECT v.id, v.salon_id, v.duration_minutes, v.price_halalas FROM services v
       JOIN bookings b ON b.service_id = v.id WHERE b.id = $1`,
      [f.bookings.upcoming],
    );
    const [{ staff_id }] = await t.db.query<{ staff_id: string }>(
      "SELECT staff_id FROM bookings WHERE id = $1",
      [f.bookings.upcoming],
    );
    const soon = await makeBooking(t.db, {
      service,
      staff: { id: staff_id },
      starts_at: new Date("2026-11-21T15:00:00Z"),
      customer_id: f.userId,
    });
    const payments = await tableExists(t.db, "payments");
    if (payments) {
      for (const bookingId of [f.bookings.upcoming, soon.id]) {
        await t.db.query(
          `INSERT INTO payments (booking_id, salon_id, customer_id, purpose, status,
             amount_halalas, captured_halalas, description, locale, created_at, updated_at)
           VALUES ($1, $2, $3, 'deposit', 'paid', 2500, 2500, 'Deposit', 'en', $4, $4)`,
          [bookingId, f.salonA.id, f.userId, t.clock.now()],
        );
      }
    }
    const before = await findAnywhere(t.db, NEEDLES);
    const places = new Set(before.map((h) => h.split(" ")[0]));
    for (
      const place of [
        "users.phone_number",
        "users.email",
        "users.first_name",
        "otp_requests.phone_number",
        "messages.recipient_phone",
        "messages.last_error",
        "bookings.cancel_reason",
        "booking_events.reason",
        "reviews.body",
        "reviews.reply",
        ...(await tableExists(t.db, "payments"))
          ? ["payments.description", "payment_events.reason"]
          : [],
        ...(await tableExists(t.db, "audit_log")) ? ["audit_log.after"] : [],
      ]
    ) assert.ok(places.has(place), `the fixture puts the person in ${place}`);
    const totals = await financialTotals(t.db);
    const [salonBefore] = await t.db.query<{ rating_avg: number; rating_count: number }>(
      "SELECT rating_avg, rating_count FROM salons WHERE id = $1",
      [f.salonA.id],
    );
    const [{ n: messagesBefore }] = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM messages",
    );

    await s.step("POST /me/privacy/delete (confirmed) → 303 to the confirmation", async () => {
      const res = await t.app.request("/me/privacy/delete", {
        method: "POST",
        headers: {
          authorization: `Bearer ${f.access}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ confirm: "yes" }),
      });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get("location"), "/me/privacy/delete?done=1&cancelled=2");
    });

    await s.step("no phone, name or email of the person in any text or JSON column", async () => {
      assert.deepEqual(await findAnywhere(t.db, NEEDLES), []);
    });

    await s.step("bookings and payments (and every amount) are still there", async () => {
      assert.deepEqual(await financialTotals(t.db), totals);
      const [{ n }] = await t.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM bookings WHERE customer_id = $1",
        [f.userId],
      );
      assert.equal(n, 4, "kept, pointing at the anonymized account");
    });

    await s.step("the account row is a tombstone that satisfies the constraints", async () => {
      const [u] = await t.db.query<Record<string, unknown>>(
        "SELECT * FROM users WHERE id = $1",
        [f.userId],
      );
      assert.match(u.phone_number as string, TOMBSTONE_PHONE);
      assert.equal(u.email, null);
      assert.equal(u.first_name, "");
      assert.equal(u.last_name, "");
      assert.equal(u.is_active, false);
      assert.equal(u.is_admin, false);
      assert.ok(u.deleted_at instanceof Date);
      assert.equal(
        parsePhone(u.phone_number as string, ["SA", "AE", "US", "GB", "EG"]).ok,
        false,
        "the login code refuses a tombstone number",
      );
    });

    await s.step(
      "the upcoming booking is cancelled, the salon's staff told, the person not",
      async () => {
        const [b] = await t.db.query<Record<string, unknown>>(
          "SELECT status, cancelled_by, cancel_reason FROM bookings WHERE id = $1",
          [f.bookings.upcoming],
        );
        assert.deepEqual(b, {
          status: "cancelled",
          cancelled_by: "customer",
          cancel_reason: "account_deleted",
        });
        const [late] = await t.db.query<{ status: string }>(
          "SELECT status FROM bookings WHERE id = $1",
          [soon.id],
        );
        assert.equal(late.status, "cancelled", "inside the window too: no booking for nobody");
        if (payments) {
          const refunds = await t.db.query<
            { booking_id: string; auto_refund_reason: string | null }
          >(
            "SELECT booking_id, auto_refund_reason FROM payments WHERE booking_id = ANY($1::uuid[])",
            [[f.bookings.upcoming, soon.id]],
          );
          const reason = Object.fromEntries(
            refunds.map((r) => [r.booking_id, r.auto_refund_reason]),
          );
          assert.equal(reason[f.bookings.upcoming], "booking_cancelled", "cancellable: refunded");
          assert.equal(reason[soon.id], null, "a late cancellation keeps the deposit");
        }
        const staffMessages = await t.db.query<{ template: string; status: string }>(
          `SELECT template, status FROM messages
         WHERE booking_id = $1 AND recipient_user_id = $2 AND event = 'cancelled'`,
          [f.bookings.upcoming, f.stylistAId],
        );
        assert.deepEqual([...staffMessages], [{
          template: "msg.staff.cancelled",
          status: "queued",
        }]);
        const toPerson = await t.db.query<{ status: string; body: string | null }>(
          `SELECT status, body FROM messages WHERE recipient_user_id = $1
         AND status NOT IN ('sent', 'dead', 'cancelled')`,
          [f.userId],
        );
        assert.deepEqual([...toPerson], [], "nothing left to send to them");
        const [{ n }] = await t.db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM messages WHERE recipient_user_id = $1 AND body IS NOT NULL",
          [f.userId],
        );
        assert.equal(n, 0, "no message text kept");
        const [{ n: after }] = await t.db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM messages",
        );
        assert.ok(after > messagesBefore, "the staff member's cancellation was queued");
      },
    );

    await s.step("sessions revoked: the old token is refused; codes and keys gone", async () => {
      const me = await t.app.request("/api/auth/me/", {
        headers: { authorization: `Bearer ${f.access}` },
      });
      assert.equal(me.status, 401);
      const sessions = await t.db.query<{ revoked_at: Date | null; ip: string | null }>(
        "SELECT revoked_at, ip FROM sessions WHERE user_id = $1",
        [f.userId],
      );
      assert.ok(sessions.length > 0 && sessions.every((x) => x.revoked_at && x.ip === null));
      for (
        const sql of [
          "SELECT count(*)::int AS n FROM otp_requests WHERE user_id = $1",
          "SELECT count(*)::int AS n FROM idempotency_keys WHERE user_id = $1",
          "SELECT count(*)::int AS n FROM salon_memberships WHERE user_id = $1",
          "SELECT count(*)::int AS n FROM staff WHERE user_id = $1",
          `SELECT count(*)::int AS n FROM refresh_tokens
         WHERE session_id IN (SELECT id FROM sessions WHERE user_id = $1)`,
        ]
      ) {
        const [{ n }] = await t.db.query<{ n: number }>(sql, [f.userId]);
        assert.equal(n, 0, sql);
      }
    });

    await s.step(
      "their review keeps its stars (and the salon's score) but not its text",
      async () => {
        const [r] = await t.db.query<{ rating: number; body: string; reply: string }>(
          "SELECT rating, body, reply FROM reviews WHERE id = $1",
          [f.reviewId],
        );
        assert.deepEqual(r, { rating: 4, body: "", reply: "Thank you ***!" });
        const [salon] = await t.db.query<{ rating_avg: number; rating_count: number }>(
          "SELECT rating_avg, rating_count FROM salons WHERE id = $1",
          [f.salonA.id],
        );
        assert.deepEqual(salon, salonBefore);
        const page = await (await t.app.request(`/salons/${f.salonA.slug}?lang=en`)).text();
        assert.ok(page.includes("A customer"), "shown without a name");
      },
    );

    await s.step("the same number signs up again as a new person", async () => {
      const again = await login(t, PERSON.local);
      assert.notEqual(again.user.id, f.userId);
      assert.equal(again.user.phone_number, PERSON.phone);
      assert.equal(again.user.first_name, "");
      const bookings = await t.app.request("/api/bookings/", {
        headers: { authorization: `Bearer ${again.access}` },
      });
      assert.equal(bookings.status, 200);
      const body = await bookings.json();
      const list = Array.isArray(body) ? body : body.results ?? body.bookings ?? [];
      assert.equal(list.length, 0, "none of the old account's bookings");
    });

    await s.step("a tombstone number cannot ask for a login code", async () => {
      const [{ phone_number }] = await t.db.query<{ phone_number: string }>(
        "SELECT phone_number FROM users WHERE id = $1",
        [f.userId],
      );
      const res = await postJson(t.app, "/api/auth/phone/request/", {
        phone_number,
        channel: "sms",
      });
      assert.equal(res.status, 400);
    });
  } finally {
    await t.close();
  }
});

async function page(t: TestApp, path: string, jar: CookieJar) {
  return await t.app.request(path, { headers: { cookie: jar.header() } });
}

function postForm(t: TestApp, path: string, jar: CookieJar, fields: Record<string, string>) {
  return t.app.request(path, {
    method: "POST",
    headers: { cookie: jar.header(), "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
}

Deno.test(`privacy delete (${backend}) - /me/privacy: the form needs the CSRF token and the confirmation; then the session ends`, async () => {
  const t = await makeTestApp();
  try {
    const jar = await browserLogin(t, PERSON.local);
    const html = await (await page(t, "/me/privacy?lang=en", jar)).text();
    assert.ok(html.includes("Delete my account"));
    assert.ok(html.includes('href="/me/privacy/export"'));
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(html)?.[1] ?? "";
    assert.ok(csrf);
    const ar = await (await page(t, "/me/privacy?lang=ar", jar)).text();
    assert.ok(ar.includes("حذف حسابي") && ar.includes('dir="rtl"'));

    const noToken = await postForm(t, "/me/privacy/delete", jar, { confirm: "yes" });
    assert.equal(noToken.status, 403, "a cross-site form cannot delete an account");
    const unconfirmed = await postForm(t, "/me/privacy/delete", jar, { csrf_token: csrf });
    assert.equal(unconfirmed.status, 303);
    assert.equal(unconfirmed.headers.get("location"), "/me/privacy?error=confirm#delete");
    const [{ active }] = await t.db.query<{ active: boolean }>(
      "SELECT bool_and(is_active) AS active FROM users",
    );
    assert.equal(active, true, "nothing deleted yet");

    const done = jar.take(
      await postForm(t, "/me/privacy/delete", jar, { csrf_token: csrf, confirm: "yes" }),
    );
    assert.equal(done.status, 303);
    assert.equal(done.headers.get("location"), "/me/privacy/delete?done=1&cancelled=0");
    const confirmation = await page(t, "/me/privacy/delete?done=1&cancelled=0&lang=en", jar);
    assert.equal(confirmation.status, 200);
    assert.ok((await confirmation.text()).includes("Your account has been deleted"));
    const me = await page(t, "/me", jar);
    assert.equal(me.status, 303, "logged out");
  } finally {
    await t.close();
  }
});
