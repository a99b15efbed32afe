/**
 * What the customer gets from a checkout: one WhatsApp message (SMS when that fails) with the
 * invoice's number, its total incl. VAT and a link to it, written in the checkout's transaction (a
 * failed or rolled-back checkout writes none); one more for a credit note; and "View invoice" links
 * on their booking page and "my bookings" (read with the bookings, not one query per booking),
 * for their own checked-out visits only.
 */
import assert from "node:assert/strict";
import type { Db } from "@/db/types.ts";
import type { SessionUser } from "@/services/auth/users.ts";
import { checkoutBooking } from "@/services/invoices/checkout.ts";
import { runWorkerOnce } from "@/services/messages/worker.ts";
import type { MessageRow } from "@/services/messages/types.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { postJson } from "./helpers/auth.ts";
import { makeCustomers, tokenFor } from "./helpers/customers.ts";
import { book, makeWorld, type World } from "./helpers/dashboard.ts";
import { testBackend } from "./helpers/db.ts";
import { scriptedProvider, workerDeps } from "./helpers/messages.ts";

const B = testBackend();

async function vatWorld(t: TestApp, language: "ar" | "en") {
  const w = await makeWorld(t);
  await t.db.query(
    `UPDATE salons SET vat_registered = true, vat_number = '310122393500003',
       legal_name_ar = 'مؤسسة لمسة للتجميل', legal_name_en = 'Lamsa Beauty Est.' WHERE id = $1`,
    [w.salon.id],
  );
  await t.db.query("UPDATE services SET price_halalas = 23000 WHERE id = $1", [w.service.id]);
  await t.db.query("UPDATE users SET preferred_language = $2 WHERE id = $1", [
    w.users.customer,
    language,
  ]);
  return w;
}

let slot = 0;
/** A past visit of the customer's (yesterday or before), confirmed: ready to be checked out. */
const pastVisit = (t: TestApp, w: World, customer?: string) =>
  book(t, w, {
    start: new Date(Date.UTC(2026, 10, 20 - Math.floor(slot / 8), 6 + (slot++ % 8))).toISOString(),
    customer,
  });

async function checkout(t: TestApp, w: World, bookingId: string, body: unknown, app = t.app) {
  return await postJson(
    app,
    `/api/salons/${w.salon.slug}/bookings/${bookingId}/checkout/`,
    body,
    { authorization: `Bearer ${await tokenFor(t, w.users.manager)}`, "accept-language": "en" },
  );
}

const invoiceMessages = (db: Db, bookingId: string) =>
  db.query<MessageRow>(
    `SELECT * FROM messages WHERE booking_id = $1 AND event IN ('invoice_issued', 'credit_note_issued')
     ORDER BY created_at, event`,
    [bookingId],
  );

Deno.test(`invoice messages (${B}) - checkout queues exactly one to the customer (WhatsApp, their language, number, total incl. VAT, link); none when it fails or rolls back; a credit note queues one`, async () => {
  const t = await makeTestApp();
  try {
    const w = await vatWorld(t, "en");
    const booking = await pastVisit(t, w);
    const [customer] = await t.db.query<{ phone_number: string }>(
      "SELECT phone_number FROM users WHERE id = $1",
      [w.users.customer],
    );

    // Payments that miss the balance: a 422, no invoice, no message.
    const short = await checkout(t, w, booking.id, {
      payments: [{ method: "cash", amount_halalas: 100 }],
    });
    assert.equal(short.status, 422);
    assert.deepEqual(await invoiceMessages(t.db, booking.id), []);

    // A failure after the message is written rolls the whole checkout back: no invoice, no
    // message, the visit still open, the number not used up.
    await t.db.query(`CREATE FUNCTION fail_invoice_message() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'test: message refused'; END $$`);
    await t.db.query(`CREATE TRIGGER fail_invoice_message BEFORE INSERT ON messages FOR EACH ROW
      WHEN (NEW.event = 'invoice_issued') EXECUTE FUNCTION fail_invoice_message()`);
    const [manager] = await t.db.query<SessionUser>("SELECT * FROM users WHERE id = $1", [
      w.users.manager,
    ]);
    await assert.rejects(
      checkoutBooking(t.db, { user: manager, now: t.clock.now(), requestId: "test" }, {
        salonId: w.salon.id,
        bookingId: booking.id,
        payments: [{ method: "cash", amountHalalas: 23000 }],
      }),
      /message refused/,
    );
    await t.db.query("DROP TRIGGER fail_invoice_message ON messages");
    const [state] = await t.db.query<{ n: number; status: string }>(
      `SELECT (SELECT count(*)::int FROM invoices) AS n, status FROM bookings WHERE id = $1`,
      [booking.id],
    );
    assert.deepEqual(state, { n: 0, status: "confirmed" });
    assert.deepEqual(await invoiceMessages(t.db, booking.id), []);

    const res = await checkout(t, w, booking.id, {
      payments: [{ method: "cash", amount_halalas: 23000 }],
    });
    assert.equal(res.status, 201, await res.clone().text());
    const { invoice } = await res.json();
    assert.equal(invoice.number, 1, "the rolled-back checkout gave its number back");

    const [msg, ...more] = await invoiceMessages(t.db, booking.id);
    assert.deepEqual(more, [], "exactly one message");
    assert.equal(msg.recipient_user_id, w.users.customer);
    assert.equal(msg.recipient_role, "customer");
    assert.equal(msg.recipient_phone, customer.phone_number);
    assert.equal(msg.channel, "whatsapp");
    assert.equal(msg.locale, "en");
    assert.equal(msg.template, "msg.customer.invoiceIssued");
    assert.equal(msg.status, "queued");
    assert.equal(msg.params.documentNumber, 1);
    assert.equal(msg.params.amountHalalas, 23000);
    assert.equal(msg.params.inclVat, true);
    assert.match(msg.params.linkPath, /^\/b\/[0-9A-Za-z]{8}\/invoice$/);
    // Only the customer hears about the invoice.
    const [{ n: others }] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM messages
       WHERE event IN ('invoice_issued', 'credit_note_issued') AND recipient_role <> 'customer'`,
    );
    assert.equal(others, 0);

    // The worker: WhatsApp refused, so the same text goes by SMS, the link under PUBLIC_URL.
    const provider = scriptedProvider();
    provider.refuse.add("whatsapp");
    const deps = workerDeps(provider, t.clock.now, { publicUrl: "https://salon.example" });
    await runWorkerOnce(t.db, deps);
    await runWorkerOnce(t.db, deps);
    const sms = provider.delivered.filter((d) => d.body.includes("Invoice no."));
    assert.equal(sms.length, 1, JSON.stringify(provider.calls));
    assert.equal(sms[0].channel, "sms");
    assert.equal(sms[0].to, customer.phone_number);
    const link = `https://salon.example${msg.params.linkPath}`;
    assert.equal(
      sms[0].body,
      `Lamsa Salon: thank you for your visit. Invoice no. 1, total SAR 230.00 incl. VAT: ${link}`,
    );
    // The link leads the customer to the invoice's page.
    const token = await tokenFor(t, w.users.customer);
    const hop = await t.app.request(msg.params.linkPath);
    assert.equal(hop.status, 303);
    assert.equal(hop.headers.get("location"), `/invoices/${invoice.id}`);
    const page = await t.app.request(`/invoices/${invoice.id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(page.status, 200);
    await page.body?.cancel();

    // A credit note: one more message, its own number, the invoice's, the amount back, its link.
    const credit = await postJson(t.app, `/api/invoices/${invoice.id}/credit-notes/`, {
      lines: [0],
      refunds: [{ method: "cash", amount_halalas: 23000 }],
      reason: "Not done after all",
    }, { authorization: `Bearer ${await tokenFor(t, w.users.manager)}` });
    assert.equal(credit.status, 201, await credit.clone().text());
    const note = (await credit.json()).credit_note;
    const after = await invoiceMessages(t.db, booking.id);
    const notes = after.filter((m) => m.event === "credit_note_issued");
    assert.equal(notes.length, 1);
    // The invoice's: the WhatsApp message (dead) and the SMS sent in its place.
    assert.deepEqual(
      after.filter((m) => m.event === "invoice_issued").map((m) => [m.channel, m.status]).sort(),
      [["sms", "sent"], ["whatsapp", "dead"]],
    );
    const noteMsg = notes[0];
    assert.equal(noteMsg.template, "msg.customer.creditNoteIssued");
    assert.equal(noteMsg.channel, "whatsapp");
    assert.equal(noteMsg.params.documentNumber, 1);
    assert.equal(noteMsg.params.invoiceNumber, 1);
    assert.equal(noteMsg.params.amountHalalas, 23000);
    assert.match(noteMsg.params.linkPath, /\/credit-1$/);
    const noteHop = await t.app.request(noteMsg.params.linkPath);
    assert.equal(noteHop.headers.get("location"), `/invoices/${note.id}`);
    await noteHop.body?.cancel();
    const unknown = await t.app.request(noteMsg.params.linkPath.replace(/credit-1$/, "credit-9"));
    assert.equal(unknown.status, 404);
    await unknown.body?.cancel();
  } finally {
    await t.close();
  }
});

Deno.test(`invoice messages (${B}) - an Arabic customer's message is in Arabic; a salon not registered for VAT says no "incl. VAT"`, async () => {
  const t = await makeTestApp();
  try {
    const w = await vatWorld(t, "ar");
    const booking = await pastVisit(t, w);
    assert.equal(
      (await checkout(t, w, booking.id, { payments: [{ method: "card", amount_halalas: 23000 }] }))
        .status,
      201,
    );
    await t.db.query("UPDATE salons SET vat_registered = false WHERE id = $1", [w.salon.id]);
    const plain = await pastVisit(t, w);
    assert.equal(
      (await checkout(t, w, plain.id, { payments: [{ method: "cash", amount_halalas: 23000 }] }))
        .status,
      201,
    );
    const provider = scriptedProvider();
    await runWorkerOnce(t.db, workerDeps(provider, t.clock.now));
    const bodies = provider.delivered.filter((d) => /فاتورة/.test(d.body)).map((d) => d.body);
    assert.equal(bodies.length, 2, JSON.stringify(provider.delivered));
    bodies.sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
    assert.match(
      bodies[0],
      /^صالون لمسة: شكرًا لزيارتك\. فاتورة رقم 1 بإجمالي ٢٣٠٫٠٠ ر\.س\. شامل الضريبة: https:\/\/salon\.example\/b\/[0-9A-Za-z]{8}\/invoice$/,
    );
    assert.match(bodies[1], /فاتورة رقم 2 بإجمالي ٢٣٠٫٠٠ ر\.س\.: https:/);
    assert.ok(!bodies[1].includes("الضريبة"), bodies[1]);
  } finally {
    await t.close();
  }
});

/** A database handle that counts the queries made through it (transactions included). */
function counting(db: Db): { db: Db; count: () => number } {
  let n = 0;
  const wrapped = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === "query") {
        return (...args: Parameters<Db["query"]>) => {
          n++;
          return target.query(...args);
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db: wrapped, count: () => n };
}

Deno.test(`invoice links (${B}) - the booking page and my bookings link the invoice and its credit notes, for the owner only and only once checked out`, async () => {
  const t = await makeTestApp();
  try {
    const w = await vatWorld(t, "ar");
    const done = await pastVisit(t, w);
    const open = await pastVisit(t, w);
    const res = await checkout(t, w, done.id, {
      payments: [{ method: "cash", amount_halalas: 23000 }],
    });
    const { invoice } = await res.json();
    const page = (path: string, jar = w.jars.customer, lang = "ar", app = t.app) =>
      Promise.resolve(app.request(path, {
        headers: { cookie: jar.header(), "accept-language": lang },
      }));

    // My bookings, in Arabic: the checked-out visit links its invoice, the open one nothing.
    const mine = await page("/me/bookings");
    assert.equal(mine.status, 200);
    const html = await mine.text();
    assert.equal(html.match(/data-invoice-links/g)?.length, 1, "one visit has documents");
    assert.match(html, new RegExp(`href="/invoices/${invoice.id}"[^>]*>عرض الفاتورة<`));
    // The booking pages.
    const donePage = await (await page(`/bookings/${done.id}`, w.jars.customer, "en")).text();
    assert.match(donePage, new RegExp(`href="/invoices/${invoice.id}"[^>]*>View invoice<`));
    const openPage = await (await page(`/bookings/${open.id}`)).text();
    assert.ok(!openPage.includes("/invoices/"), "no invoice, no link");

    // A credit note joins the links.
    const credit = await postJson(t.app, `/api/invoices/${invoice.id}/credit-notes/`, {
      lines: [0],
      refunds: [{ method: "cash", amount_halalas: 23000 }],
      reason: "Goodwill",
    }, { authorization: `Bearer ${await tokenFor(t, w.users.manager)}` });
    const note = (await credit.json()).credit_note;
    for (const path of ["/me/bookings", `/bookings/${done.id}`]) {
      const text = await (await page(path, w.jars.customer, "en")).text();
      assert.match(text, new RegExp(`href="/invoices/${invoice.id}"`), path);
      assert.match(text, new RegExp(`href="/invoices/${note.id}"[^>]*>View credit note no\\. 1<`));
    }

    // Someone else: the booking page and the invoice are 404, their own list has no links.
    for (
      const path of [`/bookings/${done.id}`, `/invoices/${invoice.id}`, `/invoices/${note.id}`]
    ) {
      const other = await page(path, w.jars.otherManager);
      assert.equal(other.status, 404, path);
      await other.body?.cancel();
    }
    // A plain customer of the same salon's too.
    const [stranger] = await makeCustomers(t, 1);
    for (
      const path of [`/bookings/${done.id}`, `/invoices/${invoice.id}`, `/invoices/${note.id}`]
    ) {
      const res = await t.app.request(path, {
        headers: { authorization: `Bearer ${stranger.access}` },
      });
      assert.equal(res.status, 404, `stranger ${path}`);
      await res.body?.cancel();
    }
    const theirs = await page("/me/bookings", w.jars.otherManager);
    const theirsHtml = await theirs.text();
    assert.ok(!theirsHtml.includes("/invoices/"), "not their invoice");

    // The links come with the bookings: more checked-out visits, not more queries.
    const queries = async () => {
      const c = counting(t.db);
      const r = await page("/me/bookings", w.jars.customer, "ar", t.instanceOn(c.db));
      assert.equal(r.status, 200);
      await r.body?.cancel();
      return c.count();
    };
    const before = await queries();
    for (let i = 0; i < 3; i++) {
      const b = await pastVisit(t, w);
      await checkout(t, w, b.id, { payments: [{ method: "cash", amount_halalas: 23000 }] });
    }
    assert.equal(await queries(), before);
  } finally {
    await t.close();
  }
});
