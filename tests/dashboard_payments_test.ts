import assert from "node:assert/strict";
import type { PaymentRow } from "@/services/payments/model.ts";
import type { LoggedIn } from "./helpers/auth.ts";
import { get, makeWorld, post, type World } from "./helpers/dashboard.ts";
import {
  ledgerSum,
  paymentOf,
  type PaymentsTest,
  paymentsTest,
  pendingBooking,
  postPayment,
} from "./helpers/payments.ts";

// The test clock: 2026-11-21T09:00Z, Saturday 12:00 in Riyadh. The salon takes a 20 % deposit of
// the SAR 100 service: SAR 20.00 (2000 halalas) online per booking.

let slot = 0;
/** A free start for Reem on Sunday 22 November (Riyadh 09:00, 10:00, …). */
function nextStart(): Date {
  return new Date(Date.UTC(2026, 10, 22, 6 + slot++));
}

/** A booking paid online through the fake's hosted page (or only authorized on the card). */
async function paidOnline(
  p: PaymentsTest,
  w: World,
  customer: LoggedIn,
  authorize = false,
): Promise<PaymentRow> {
  const pending = await pendingBooking(p.t, {
    salon: w.salon,
    service: w.service,
    staff: w.reem,
    customer,
    start: nextStart(),
  });
  const res = await postPayment(p.t, customer.access, pending.booking.id);
  assert.equal(res.status, 201, await res.text());
  await p.fake.payInvoice(p.fake.lastInvoice()!.id, authorize ? "authorized" : "paid");
  return await paymentOf(p.t.db, pending.booking.id);
}

async function row(p: PaymentsTest, id: string) {
  const [r] = await p.t.db.query<PaymentRow>("SELECT * FROM payments WHERE id = $1", [id]);
  return r;
}

async function audits(p: PaymentsTest, action: string) {
  return await p.t.db.query<{
    entity_id: string;
    actor_role: string;
    actor_user_id: string;
    before: Record<string, unknown>;
    after: Record<string, unknown>;
  }>("SELECT * FROM audit_log WHERE action = $1 ORDER BY at, id", [action]);
}

Deno.test("dashboard payments - list, capture, void, partial then full refund, bounds, gateway failures, staff refused", async (tt) => {
  const p = await paymentsTest();
  try {
    const { t, fake } = p;
    const w = await makeWorld(t);
    await t.db.query(
      "UPDATE salons SET payment_mode = 'deposit', deposit_percent = 20 WHERE id = $1",
      [w.salon.id],
    );
    const base = `/dashboard/${w.salon.slug}/payments`;
    const manager = w.jars.manager;
    const customer = await pendingBooking(t, {
      salon: w.salon,
      service: w.service,
      staff: w.reem,
      start: nextStart(),
    }).then((b) => b.customer);
    const paid = await paidOnline(p, w, customer);
    const held = await paidOnline(p, w, customer, true);
    assert.equal(paid.status, "paid");
    assert.equal(paid.captured_halalas, 2000);
    assert.equal(held.status, "authorized");

    await tt.step("the list: status, paid / refunded / net, totals, filters", async () => {
      const res = await get(t, `${base}?lang=en`, manager);
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type") ?? "", /text\/html/);
      const html = await res.text();
      assert.ok(html.includes(`data-payment-id="${paid.id}"`));
      assert.ok(html.includes(`data-payment-id="${held.id}"`));
      assert.match(html, /data-amount="paid"><bdi>SAR\s20\.00<\/bdi>/);
      assert.match(html, /data-amount="held"><bdi>SAR\s20\.00<\/bdi>/);
      assert.match(html, /aria-current="page"[^>]*>Payments</);
      const authorizedOnly = await get(t, `${base}?status=authorized&lang=en`, manager)
        .then((r) => r.text());
      assert.ok(authorizedOnly.includes(held.id) && !authorizedOnly.includes(paid.id));
      const lastMonth = await get(t, `${base}?from=2026-10-01&to=2026-10-31&lang=en`, manager)
        .then((r) => r.text());
      assert.ok(!lastMonth.includes(paid.id));
      assert.match(lastMonth, /No payments in this period/);
      // Arabic: Arabic-Indic digits, the riyal sign.
      const ar = await get(t, `${base}?lang=ar`, manager).then((r) => r.text());
      assert.ok(ar.includes("٢٠٫٠٠"), "amounts in Arabic digits");
    });

    await tt.step("staff get 403 and another salon's manager 404; nothing changes", async () => {
      for (const [jar, status] of [[w.jars.staff, 403], [w.jars.otherManager, 404]] as const) {
        assert.equal((await get(t, base, jar)).status, status);
        assert.equal((await get(t, `${base}/${paid.id}`, jar)).status, status);
        const res = await post(t, `${base}/${paid.id}`, jar, {
          intent: "refund",
          step: "confirm",
          amount: "20.00",
          reason: "x",
        });
        assert.equal(res.status, status);
      }
      assert.equal((await row(p, paid.id)).refunded_halalas, 0);
      assert.equal(fake.payments.get(paid.provider_payment_id!)!.refunded, 0);
      assert.equal((await audits(p, "payment.refund")).length, 0);
      // A payment of another salon is not found from this salon's pages.
      assert.equal((await get(t, `${base}/${crypto.randomUUID()}`, manager)).status, 404);
    });

    await tt.step("capture an authorized payment: review, confirm, 303, audited", async () => {
      const page = await get(t, `${base}/${held.id}?lang=en`, manager).then((r) => r.text());
      assert.match(page, /data-action="capture"/);
      assert.match(page, /data-action="void"/);
      assert.doesNotMatch(page, /data-action="refund"/, "nothing collected yet");
      // Authorized at the test clock's instant: Moyasar keeps the hold 7 days, we release it in 6.
      assert.match(page, /Hold released automatically on[\s\S]{0,200}?27 November 2026 12:00/);
      const paidPage = await get(t, `${base}/${paid.id}?lang=en`, manager).then((r) => r.text());
      assert.doesNotMatch(paidPage, /Hold released automatically/, "only a hold has a deadline");
      // A reason is required.
      const noReason = await post(t, `${base}/${held.id}?lang=en`, manager, {
        intent: "capture",
        step: "review",
        reason: " ",
      });
      assert.equal(noReason.status, 400);
      assert.match(await noReason.text(), /This field is required|required/i);
      // Review: the confirmation shows the amount; nothing has happened yet.
      const review = await post(t, `${base}/${held.id}?lang=en`, manager, {
        intent: "capture",
        step: "review",
        reason: "Service done",
      });
      assert.equal(review.status, 200);
      const confirm = await review.text();
      assert.match(confirm, /data-confirm="capture"/);
      assert.match(confirm, /Capture SAR\s20\.00/);
      assert.equal((await row(p, held.id)).status, "authorized");
      const res = await post(t, `${base}/${held.id}?lang=en`, manager, {
        intent: "capture",
        step: "confirm",
        reason: "Service done",
      });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get("location"), `${base}/${held.id}?notice=captured`);
      const after = await row(p, held.id);
      assert.equal(after.status, "captured");
      assert.equal(after.captured_halalas, 2000);
      assert.equal(fake.payments.get(held.provider_payment_id!)!.status, "captured");
      const [entry] = await audits(p, "payment.capture");
      assert.equal(entry.entity_id, held.id);
      assert.equal(entry.actor_role, "manager");
      assert.equal(entry.actor_user_id, w.users.manager);
      assert.equal(entry.after.reason, "Service done");
      assert.equal(entry.after.requested_amount_halalas, 2000);
      const shown = await get(t, `${base}/${held.id}?notice=captured&lang=en`, manager)
        .then((r) => r.text());
      assert.match(shown, /Captured: the money is collected/);
    });

    await tt.step("void a collected payment: everything goes back", async () => {
      const voidable = await paidOnline(p, w, customer);
      const res = await post(t, `${base}/${voidable.id}`, manager, {
        intent: "void",
        step: "confirm",
        reason: "Booked twice",
      });
      assert.equal(res.status, 303);
      const after = await row(p, voidable.id);
      assert.equal(after.status, "voided");
      assert.equal(await ledgerSum(t.db, voidable.id), 0);
      assert.equal(fake.payments.get(voidable.provider_payment_id!)!.status, "voided");
      assert.equal((await audits(p, "payment.void")).length, 1);
    });

    await tt.step(
      "partial refund in SAR with Arabic digits, over the rest refused, then the rest",
      async () => {
        const url = `${base}/${paid.id}?lang=en`;
        const refund = (amount: string, step = "confirm") =>
          post(t, url, manager, { intent: "refund", step, amount, reason: "Late start" });
        // Bad amounts are 400s with the field's message, and change nothing.
        for (
          const [amount, message] of [
            ["0", /greater than zero/],
            ["12.345", /Enter an amount in riyals/],
            ["abc", /Enter an amount in riyals/],
            ["", /required/i],
            ["20.01", /cannot refund more than was paid/],
          ] as const
        ) {
          const res = await refund(amount, "review");
          assert.equal(res.status, 400, amount);
          const html = await res.text();
          assert.match(html, message, amount);
          assert.match(html, /aria-invalid="true"/);
        }
        // Review in Arabic-Indic digits: 12.50 SAR is exactly 1250 halalas.
        const review = await refund("١٢٫٥٠", "review");
        assert.equal(review.status, 200);
        const confirmation = await review.text();
        assert.match(confirmation, /data-confirm="refund"/);
        assert.match(confirmation, /SAR\s12\.50 goes back/);
        assert.match(confirmation, /SAR\s7\.50 stays paid/);
        assert.match(confirmation, /name="amount" value="12.50"/);
        assert.equal((await row(p, paid.id)).refunded_halalas, 0, "a review changes nothing");

        const first = await refund("١٢٫٥٠");
        assert.equal(first.status, 303);
        let after = await row(p, paid.id);
        assert.equal(after.status, "partially_refunded");
        assert.equal(after.refunded_halalas, 1250);
        assert.equal(fake.payments.get(paid.provider_payment_id!)!.refunded, 1250);

        // More than what is left (7.50): refused by the page and, posted straight to confirm, too.
        const over = await refund("7.51");
        assert.equal(over.status, 400);
        assert.match(await over.text(), /cannot refund more than was paid minus what was already/);
        assert.equal((await row(p, paid.id)).refunded_halalas, 1250);

        const rest = await refund("7.50");
        assert.equal(rest.status, 303);
        after = await row(p, paid.id);
        assert.equal(after.status, "refunded");
        assert.equal(after.refunded_halalas, 2000);
        assert.equal(await ledgerSum(t.db, paid.id), 0);
        assert.equal(fake.payments.get(paid.provider_payment_id!)!.refunded, 2000);
        // Both at the test clock's one instant: in the order of what was refunded before.
        const entries = (await audits(p, "payment.refund"))
          .sort((a, b) => Number(a.before.refunded) - Number(b.before.refunded));
        assert.deepEqual(entries.map((e) => e.before.refunded), [0, 1250]);
        assert.deepEqual(entries.map((e) => e.after.requested_amount_halalas), [1250, 750]);
        assert.ok(entries.every((e) => e.after.reason === "Late start"));
        // Nothing left: no refund form any more.
        const page = await get(t, url, manager).then((r) => r.text());
        assert.doesNotMatch(page, /data-action="refund"/);
        assert.match(page, /data-amount="net"><bdi>SAR\s0\.00/);
      },
    );

    await tt.step(
      "Moyasar answers 500: a localized error, no money moved, retried safely",
      async () => {
        const payment = await paidOnline(p, w, customer);
        fake.faults.refund = "error500";
        const body = { intent: "refund", step: "confirm", amount: "5", reason: "Goodwill" };
        const res = await post(t, `${base}/${payment.id}?lang=en`, manager, body);
        assert.equal(res.status, 503);
        const html = await res.text();
        assert.match(html, /Moyasar did not answer, so nothing has moved yet/);
        assert.match(html, /data-pending="refund"/, "the request is shown as in progress");
        const after = await row(p, payment.id);
        assert.equal(after.status, "paid");
        assert.equal(after.refunded_halalas, 0);
        assert.equal(await ledgerSum(t.db, payment.id), 2000);
        assert.equal(fake.payments.get(payment.provider_payment_id!)!.refunded, 0);
        // In Arabic too.
        const ar = await post(t, `${base}/${payment.id}?lang=ar`, manager, body);
        assert.equal(ar.status, 503);
        assert.match(await ar.text(), /لم يستجب ميسّر/);
        // Moyasar is back: the same request completes, once.
        delete fake.faults.refund;
        const retry = await post(t, `${base}/${payment.id}`, manager, body);
        assert.equal(retry.status, 303);
        assert.equal((await row(p, payment.id)).refunded_halalas, 500);
        assert.equal(fake.payments.get(payment.provider_payment_id!)!.refunded, 500);
      },
    );

    await tt.step("Moyasar refuses (400): 409 with the form again, nothing changed", async () => {
      const payment = await paidOnline(p, w, customer);
      // Moyasar no longer lets it be refunded (voided on its side).
      fake.payments.get(payment.provider_payment_id!)!.status = "voided";
      const res = await post(t, `${base}/${payment.id}?lang=en`, manager, {
        intent: "refund",
        step: "confirm",
        amount: "20",
        reason: "Goodwill",
      });
      assert.equal(res.status, 409);
      const html = await res.text();
      assert.match(html, /The payment service refused this operation\. Nothing changed\./);
      assert.match(html, /data-action="refund"/, "the form is there to try again");
      const after = await row(p, payment.id);
      assert.equal(after.status, "paid");
      assert.equal(after.refunded_halalas, 0);
    });
  } finally {
    await p.close();
  }
});
