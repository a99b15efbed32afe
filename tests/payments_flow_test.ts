import assert from "node:assert/strict";
import { createBooking } from "@/services/bookings/mod.ts";
import { makeTestApp } from "./helpers/app.ts";
import { ACCESS_COOKIE, browserLogin, type CookieJar, login } from "./helpers/auth.ts";
import { makeSalon, makeService, makeStaff } from "./helpers/factories.ts";
import {
  bookingStatus,
  ledgerSum,
  messageEvents,
  paymentOf,
  paymentsTest,
  pendingBooking,
  postPayment,
  returnFromMoyasar,
  TOMORROW_10,
} from "./helpers/payments.ts";

Deno.test("payments - deposit: the API opens one hosted page (idempotent), paying on it confirms the booking on return", async () => {
  const p = await paymentsTest();
  try {
    const { t, fake } = p;
    const { booking, customer } = await pendingBooking(t, { mode: "deposit" });
    assert.equal(booking.status, "pending");
    assert.equal(booking.deposit_halalas, 3000, "20 % of SAR 150");

    const created = await postPayment(t, customer.access, booking.id, "key-1");
    assert.equal(created.status, 201);
    const { payment } = await created.json();
    assert.equal(payment.status, "initiated");
    assert.equal(payment.amount_halalas, 3000);
    assert.equal(payment.currency, "SAR");
    assert.ok(payment.checkout_url.startsWith(`${fake.origin}/invoices/`));
    assert.equal(new URL(payment.checkout_url).searchParams.get("lang"), "en");

    // Moyasar was asked with its documented shape: halalas, SAR, our ids in metadata.
    const call = fake.requests.find((r) => r.path === "/v1/invoices")!;
    const sent = call.body as Record<string, unknown>;
    assert.equal(sent.amount, 3000);
    assert.equal(sent.currency, "SAR");
    assert.match(String(sent.description), /^Deposit: /);
    assert.deepEqual(sent.metadata, { booking_id: booking.id, payment_id: payment.id });
    assert.equal(sent.success_url, `http://localhost/payments/callback?payment=${payment.id}`);
    assert.equal(sent.expired_at, booking.hold_expires_at!.toISOString());

    // The same key replays; another key still gets the one open payment.
    const replay = await postPayment(t, customer.access, booking.id, "key-1");
    assert.equal(replay.status, 200);
    assert.equal((await replay.json()).payment.id, payment.id);
    const again = await postPayment(t, customer.access, booking.id, "key-2");
    assert.equal(again.status, 200);
    assert.equal((await again.json()).payment.id, payment.id);
    assert.equal(fake.invoices.size, 1);

    // The customer pays; no webhook arrives (the return alone must be enough).
    fake.dropWebhooks = true;
    const invoiceId = fake.lastInvoice()!.id;
    const { redirect } = await fake.payInvoice(invoiceId, "paid");
    assert.equal(await returnFromMoyasar(t, redirect), `/bookings/${booking.id}?notice=paid`);

    const row = await paymentOf(t.db, booking.id);
    assert.equal(row.status, "paid");
    assert.equal(row.captured_halalas, 3000);
    assert.equal(await bookingStatus(t.db, booking.id), "confirmed");
    assert.equal(await ledgerSum(t.db, row.id), 3000, "the ledger holds exactly what was paid");
    const events = await t.db.query<{ to_status: string; reason: string }>(
      "SELECT to_status, reason FROM booking_events WHERE booking_id = $1 AND kind = 'status'",
      [booking.id],
    );
    assert.deepEqual([...events], [{ to_status: "confirmed", reason: "payment_received" }]);
    const messages = await messageEvents(t.db, booking.id);
    assert.ok(
      messages.includes("payment_received") && messages.includes("confirmed"),
      messages.join(),
    );

    // Returning twice (a refresh) changes nothing.
    assert.equal(await returnFromMoyasar(t, redirect), `/bookings/${booking.id}?notice=paid`);
    assert.equal(await ledgerSum(t.db, row.id), 3000);
    const paidAgain = await postPayment(t, customer.access, booking.id, "key-3");
    assert.equal(paidAgain.status, 409);
    assert.deepEqual(await paidAgain.json(), { detail: "This booking is already paid." });
  } finally {
    await p.close();
  }
});

async function csrfOf(
  t: Awaited<ReturnType<typeof paymentsTest>>["t"],
  path: string,
  jar: CookieJar,
) {
  const html = await (await t.app.request(path, { headers: { cookie: jar.header() } })).text();
  return { html, csrf: /name="csrf_token" value="([^"]+)"/.exec(html)?.[1] ?? "" };
}

Deno.test("payments - full prepayment from the booking page: policy before paying, Pay → Moyasar in Arabic, the webhook confirms", async () => {
  const p = await paymentsTest();
  try {
    const { t, fake } = p;
    const salon = await makeSalon(t.db, { payment_mode: "full", cancellation_window_hours: 12 });
    const service = await makeService(t.db, salon, { price_halalas: 15000 });
    const staff = await makeStaff(t.db, salon, { services: [service.id] });
    const jar = await browserLogin(t);
    const [user] = await t.db.query<{ id: string }>("SELECT id FROM users LIMIT 1");
    const { booking } = await createBooking(t.db, {
      customerId: user.id,
      salon: salon.slug,
      serviceId: service.id,
      staff: staff.id,
      start: TOMORROW_10,
      now: t.clock.now(),
      actor: { userId: user.id, role: "customer" },
      onlinePayment: true,
    });
    assert.equal(booking.deposit_halalas, 15000);

    const { html, csrf } = await csrfOf(t, `/bookings/${booking.id}`, jar);
    assert.ok(html.includes(`action="/bookings/${booking.id}/pay"`), "a Pay form");
    assert.ok(html.includes("الدفع الآن"), "the Pay button speaks Arabic");
    assert.ok(html.includes("نعيد إليك المبلغ كاملًا"), "the refund policy is shown before paying");
    const before = html.indexOf("data-refund-policy");
    assert.ok(before > 0 && before < html.indexOf(`/bookings/${booking.id}/pay`));

    const pay = await t.app.request(`/bookings/${booking.id}/pay`, {
      method: "POST",
      headers: {
        cookie: jar.header(),
        "content-type": "application/x-www-form-urlencoded",
        origin: "http://localhost",
        "sec-fetch-site": "same-origin",
      },
      body: new URLSearchParams({ csrf_token: csrf }),
    });
    assert.equal(pay.status, 303);
    const hosted = new URL(pay.headers.get("location")!);
    assert.equal(hosted.origin, fake.origin);
    assert.equal(hosted.searchParams.get("lang"), "ar");
    const invoice = fake.lastInvoice()!;
    assert.equal(invoice.amount, 15000);
    assert.ok(invoice.description.includes("في"), "the description is in the customer's language");

    // The CSP lets the Pay form go to Moyasar's pages, and nowhere else.
    const csp =
      (await t.app.request(`/bookings/${booking.id}`, { headers: { cookie: jar.header() } }))
        .headers.get("content-security-policy")!;
    assert.match(csp, new RegExp(`form-action 'self' ${fake.origin.replaceAll(".", "\\.")}`));

    // Paid on the hosted page: the webhook arrives first and confirms the booking.
    const { redirect } = await fake.payInvoice(invoice.id, "paid");
    assert.equal(fake.webhooks.length, 1);
    assert.equal(fake.webhooks[0].status, 200);
    assert.equal(await bookingStatus(t.db, booking.id), "confirmed");
    assert.equal(await returnFromMoyasar(t, redirect), `/bookings/${booking.id}?notice=paid`);

    const page = await (await t.app.request(`/bookings/${booking.id}?notice=paid&lang=en`, {
      headers: { cookie: jar.header() },
    })).text();
    assert.ok(page.includes("Payment received. Your booking is confirmed."));
    assert.match(page, /Paid online<\/dt><dd[^>]*>SAR\s150\.00</);
    assert.ok(!page.includes(`/bookings/${booking.id}/pay"`), "no Pay button once paid");
  } finally {
    await p.close();
  }
});

Deno.test("payments - return tampering: another booking's real payment, or one for another amount, is refused and the booking untouched", async () => {
  const p = await paymentsTest();
  try {
    const { t, fake } = p;
    const alice = await pendingBooking(t, { phone: "0512345678" });
    const bob = await pendingBooking(t, {
      phone: "0512345679",
      salon: alice.salon,
      service: alice.service,
      staff: alice.staff,
      start: new Date(TOMORROW_10.getTime() + 2 * 3_600_000),
    });
    fake.dropWebhooks = true;
    const a = await (await postPayment(t, alice.customer.access, alice.booking.id)).json();
    const b = await (await postPayment(t, bob.customer.access, bob.booking.id)).json();
    const alicePaid = await fake.payInvoice(
      fake.invoices.get(
        (await paymentOf(t.db, alice.booking.id)).provider_invoice_id!,
      )!.id,
      "paid",
    );

    const tamper = async (providerId: string, extra = "&status=paid&message=APPROVED") =>
      await returnFromMoyasar(
        t,
        `${p.origin}/payments/callback?payment=${b.payment.id}&id=${providerId}${extra}`,
      );
    // 1. Alice's real, paid payment presented as Bob's.
    assert.equal(
      await tamper(alicePaid.payment.id),
      `/bookings/${bob.booking.id}?notice=payment_unverified`,
    );
    // 2. A real paid payment of 1 SAR made with the publishable key, our ids typed in its metadata.
    const cheap = fake.createPayment({
      amount: 100,
      metadata: { booking_id: bob.booking.id, payment_id: b.payment.id },
    });
    assert.equal(await tamper(cheap.id), `/bookings/${bob.booking.id}?notice=payment_unverified`);
    // 3. The right amount, but not through Bob's invoice.
    const direct = fake.createPayment({
      amount: 3000,
      metadata: { booking_id: bob.booking.id, payment_id: b.payment.id },
    });
    assert.equal(await tamper(direct.id), `/bookings/${bob.booking.id}?notice=payment_unverified`);
    // 4. A made-up id, and a query string that claims "paid" without any payment.
    assert.equal(
      await tamper("not-a-payment"),
      `/bookings/${bob.booking.id}?notice=payment_unverified`,
    );
    assert.equal(
      await returnFromMoyasar(
        t,
        `${p.origin}/payments/callback?payment=${b.payment.id}&status=paid`,
      ),
      `/bookings/${bob.booking.id}?notice=payment_incomplete`,
    );

    const bobRow = await paymentOf(t.db, bob.booking.id);
    assert.equal(bobRow.status, "initiated");
    assert.equal(bobRow.captured_halalas, 0);
    assert.equal(
      await bookingStatus(t.db, bob.booking.id),
      "pending",
      "Bob's booking is untouched",
    );
    assert.equal(await ledgerSum(t.db, bobRow.id), 0);
    const rejected = await t.db.query<{ reason: string }>(
      "SELECT reason FROM payment_events WHERE payment_id = $1 AND kind = 'rejected' ORDER BY at",
      [bobRow.id],
    );
    assert.deepEqual(rejected.map((r) => r.reason), [
      "mismatch:invoice",
      "mismatch:amount",
      "mismatch:invoice",
    ]);
    // Alice's payment was not touched by being shown around, and her return works.
    assert.equal(await bookingStatus(t.db, alice.booking.id), "pending");
    assert.equal(
      await returnFromMoyasar(t, alicePaid.redirect),
      `/bookings/${alice.booking.id}?notice=paid`,
    );
    assert.equal(a.payment.amount_halalas, 3000);
    // An unknown payment of ours is a 404.
    const unknown = await t.app.request(`/payments/callback?payment=${crypto.randomUUID()}`);
    assert.equal(unknown.status, 404);
  } finally {
    await p.close();
  }
});

Deno.test("payments - a declined card: the customer is told, the same page is offered again, a retry on it pays", async () => {
  const p = await paymentsTest();
  try {
    const { t, fake } = p;
    const { booking, customer } = await pendingBooking(t);
    const first = await (await postPayment(t, customer.access, booking.id)).json();
    const invoiceId = fake.lastInvoice()!.id;
    const declined = await fake.payInvoice(invoiceId, "failed");
    assert.equal(
      await returnFromMoyasar(t, declined.redirect),
      `/bookings/${booking.id}?notice=payment_failed`,
    );
    const row = await paymentOf(t.db, booking.id);
    assert.equal(row.status, "initiated", "the invoice stays open for another try");
    assert.equal(await bookingStatus(t.db, booking.id), "pending");
    const failedEvents = await t.db.query(
      "SELECT 1 FROM payment_events WHERE payment_id = $1 AND kind = 'attempt_failed'",
      [row.id],
    );
    assert.equal(
      failedEvents.length,
      1,
      "recorded once although the webhook and return both saw it",
    );

    const retry = await (await postPayment(t, customer.access, booking.id)).json();
    assert.equal(retry.payment.id, first.payment.id);
    assert.equal(fake.invoices.size, 1);
    const paid = await fake.payInvoice(invoiceId, "paid");
    assert.equal(await returnFromMoyasar(t, paid.redirect), `/bookings/${booking.id}?notice=paid`);
    assert.equal(await bookingStatus(t.db, booking.id), "confirmed");
  } finally {
    await p.close();
  }
});

Deno.test("payments - Moyasar keys removed while a hold awaits payment: a clear 503, the page says online payment is unavailable, pay-at-salon still works", async () => {
  const t = await makeTestApp();
  try {
    const salon = await makeSalon(t.db, { payment_mode: "deposit", deposit_percent: 20 });
    const service = await makeService(t.db, salon, { price_halalas: 15000 });
    const staff = await makeStaff(t.db, salon, { services: [service.id] });
    const jar = await browserLogin(t);
    const [user] = await t.db.query<{ id: string }>("SELECT id FROM users LIMIT 1");
    // Made while online payment was on (an instance with the keys); this one has none.
    const { booking } = await createBooking(t.db, {
      customerId: user.id,
      salon: salon.slug,
      serviceId: service.id,
      staff: staff.id,
      start: TOMORROW_10,
      now: t.clock.now(),
      actor: { userId: user.id, role: "customer" },
      onlinePayment: true,
    });
    assert.equal(booking.status, "pending");
    const access = jar.get(ACCESS_COOKIE)!;
    const res = await postPayment(t, access, booking.id);
    assert.equal(res.status, 503);
    assert.deepEqual(await res.json(), {
      detail:
        "Online payment is not available right now. Please try again later or contact the salon.",
    });
    const html = await (await t.app.request(`/bookings/${booking.id}?lang=en`, {
      headers: { cookie: jar.header() },
    })).text();
    assert.ok(html.includes("Online payment is not available right now"));
    assert.ok(!html.includes(`/bookings/${booking.id}/pay"`));

    const atSalon = await makeSalon(t.db);
    const cut = await makeService(t.db, atSalon);
    const nora = await makeStaff(t.db, atSalon, { services: [cut.id] });
    const { booking: b2 } = await createBooking(t.db, {
      customerId: user.id,
      salon: atSalon.slug,
      serviceId: cut.id,
      staff: nora.id,
      start: TOMORROW_10,
      now: t.clock.now(),
      actor: { userId: user.id, role: "customer" },
    });
    assert.equal(b2.status, "confirmed");
    const notOnline = await postPayment(t, access, b2.id);
    assert.equal(notOnline.status, 503);
  } finally {
    await t.close();
  }
});

Deno.test("payments - API guards: signed out 401, no key 400, someone else's booking 404, at-salon 409, lapsed hold 409", async () => {
  const p = await paymentsTest();
  try {
    const { t } = p;
    const { booking, customer } = await pendingBooking(t);
    const anon = await t.app.request("/api/payments/", {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": "x" },
      body: JSON.stringify({ booking_id: booking.id }),
    });
    assert.equal(anon.status, 401);
    assert.equal((await postPayment(t, customer.access, booking.id, null)).status, 400);
    const bad = await postPayment(t, customer.access, "nope");
    assert.equal(bad.status, 400);
    assert.ok((await bad.json()).booking_id);
    const other = await login(t, "0512345679");
    assert.equal((await postPayment(t, other.access, booking.id)).status, 404);
    const reused = await postPayment(t, customer.access, booking.id, "same");
    assert.equal(reused.status, 201);
    const { booking: second } = await pendingBooking(t, {
      customer,
      start: new Date(TOMORROW_10.getTime() + 3 * 3_600_000),
    });
    const mismatch = await postPayment(t, customer.access, second.id, "same");
    assert.equal(mismatch.status, 422);

    const atSalon = await makeSalon(t.db);
    const cut = await makeService(t.db, atSalon);
    const nora = await makeStaff(t.db, atSalon, { services: [cut.id] });
    const { booking: paidAtSalon } = await createBooking(t.db, {
      customerId: customer.user.id as string,
      salon: atSalon.slug,
      serviceId: cut.id,
      staff: nora.id,
      start: TOMORROW_10,
      now: t.clock.now(),
      actor: { userId: customer.user.id as string, role: "customer" },
    });
    const res = await postPayment(t, customer.access, paidAtSalon.id);
    assert.equal(res.status, 409);
    assert.deepEqual(await res.json(), { detail: "This booking is paid at the salon." });

    t.clock.advance(11 * 60_000);
    const lapsed = await postPayment(t, customer.access, second.id);
    assert.equal(lapsed.status, 409);
    assert.deepEqual(await lapsed.json(), {
      detail: "The time we held for you has passed. Please book again.",
    });
  } finally {
    await p.close();
  }
});
