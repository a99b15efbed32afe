/**
 * Card holds have a deadline: a payment held on the card (authorized) is voided before the card
 * network would let it lapse, with the customer told; reconciliation polls only payments whose
 * outcome can still change by itself.
 */
import assert from "node:assert/strict";
import { decodeJwt } from "jose";
import { signAccessToken } from "@/services/auth/sessions.ts";
import { reconcilePayments } from "@/services/payments/mod.ts";
import { AUTHORIZATION_KEPT_MS } from "@/services/payments/model.ts";
import { testBackend } from "./helpers/db.ts";
import {
  bookingStatus,
  paymentOf,
  paymentsTest,
  pendingBooking,
  postPayment,
} from "./helpers/payments.ts";

const backend = testBackend();

async function held(p: Awaited<ReturnType<typeof paymentsTest>>, outcome: "authorized" | "paid") {
  const pending = await pendingBooking(p.t);
  await postPayment(p.t, pending.customer.access, pending.booking.id);
  await p.fake.payInvoice(p.fake.lastInvoice()!.id, outcome);
  return { ...pending, payment: await paymentOf(p.t.db, pending.booking.id) };
}

const fetchesOf = (p: Awaited<ReturnType<typeof paymentsTest>>, ids: string[]) =>
  p.fake.requests.filter((r) => r.method === "GET" && ids.some((id) => r.path.includes(id)));

Deno.test(`payments deadline (${backend}) - a card hold is voided before it lapses, and the customer is told`, async () => {
  const p = await paymentsTest();
  try {
    const { t, client } = p;
    const { payment, booking, customer } = await held(p, "authorized");
    assert.equal(payment.status, "authorized");
    t.clock.advance(AUTHORIZATION_KEPT_MS - 60_000);
    await reconcilePayments(t.db, client, t.clock.now());
    assert.equal((await paymentOf(t.db, booking.id)).status, "authorized", "not yet");
    t.clock.advance(120_000);
    await reconcilePayments(t.db, client, t.clock.now());
    const after = await paymentOf(t.db, booking.id);
    assert.equal(after.status, "voided", "released through Moyasar's void");
    assert.equal(after.auto_refund_reason, "authorization_lapsing");
    assert.equal(p.fake.payments.get(after.provider_payment_id!)?.status, "voided");
    assert.equal(await bookingStatus(t.db, booking.id), "confirmed", "the visit still stands");
    // Six days on, the customer signs in again (a fresh access token in the same session).
    const { token } = await signAccessToken(t.config, t.clock.now(), {
      userId: customer.user.id as string,
      role: "customer",
      sessionId: decodeJwt(customer.access).sid as string,
    });
    const page = await t.app.request(`/bookings/${booking.id}?lang=en`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const html = await page.text();
    assert.equal(page.status, 200);
    assert.ok(html.includes("released without being charged"), "the booking page says so");
  } finally {
    await p.close();
  }
});

Deno.test(`payments deadline (${backend}) - reconciliation stops asking Moyasar about settled payments and card holds`, async () => {
  const p = await paymentsTest();
  try {
    const { t, client } = p;
    const paid = await held(p, "paid");
    const hold = await held(p, "authorized").catch(async () => {
      // A second login within a minute is rate limited: the same customer books again.
      t.clock.advance(61_000);
      return await held(p, "authorized");
    });
    const ids = [paid.payment, hold.payment].flatMap((x) => [
      x.provider_invoice_id!,
      x.provider_payment_id!,
    ]);
    p.fake.requests.length = 0;
    for (let i = 0; i < 5; i++) {
      t.clock.advance(10 * 60_000);
      await reconcilePayments(t.db, client, t.clock.now());
    }
    assert.deepEqual(fetchesOf(p, ids), [], "nothing to ask: nothing can change by itself");
  } finally {
    await p.close();
  }
});
