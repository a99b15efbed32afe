/**
 * Who may close a visit, credit an invoice or read one, through the API (the dashboard pages are
 * walked by dashboard_authz_test.ts): anyone outside the salon, the visit's own customer, staff on
 * a colleague's visit and staff on a manager's action are refused and nothing changes. And two
 * people closing the same visit at once, on two instances (two connections on Postgres), through
 * the API or the page: one invoice, one 201/303, the other a 409 in their language, nothing else.
 */
import assert from "node:assert/strict";
import type { Queryable } from "@/db/types.ts";
import { arInvoices } from "@/i18n/ar_invoices.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { postJson } from "./helpers/auth.ts";
import { tokenFor } from "./helpers/customers.ts";
import { book, makeWorld, type World } from "./helpers/dashboard.ts";
import { testBackend } from "./helpers/db.ts";

const B = testBackend();

/** What a checkout or credit note could change; a refused request leaves all of it as it was. */
const TABLES = [
  "invoices",
  "invoice_lines",
  "invoice_payments",
  "invoice_counters",
  "bookings",
  "booking_items",
  "booking_events",
  "payments",
  "payment_actions",
  "messages",
  "audit_log",
  "salons",
];

async function checksum(db: Queryable): Promise<string> {
  const parts: string[] = [];
  for (const table of TABLES) {
    const [row] = await db.query<{ sum: string | null; n: number }>(
      `SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS sum, count(*)::int AS n
       FROM ${table} t`,
    );
    parts.push(`${table}:${row.n}:${row.sum}`);
  }
  return parts.join(" ");
}

async function vatWorld(t: TestApp) {
  const w = await makeWorld(t);
  await t.db.query(
    `UPDATE salons SET vat_registered = true, vat_number = '310122393500003',
       legal_name_ar = 'مؤسسة لمسة للتجميل', legal_name_en = 'Lamsa Beauty Est.' WHERE id = $1`,
    [w.salon.id],
  );
  await t.db.query("UPDATE services SET price_halalas = 23000 WHERE id = $1", [w.service.id]);
  const tokens: Record<string, string> = {};
  for (const [who, id] of Object.entries(w.users)) tokens[who] = await tokenFor(t, id);
  return { ...w, tokens };
}

let slot = 0;
const pastVisit = (t: TestApp, w: World, staff = w.noura) =>
  book(t, w, {
    start: new Date(Date.UTC(2026, 10, 20 - Math.floor(slot / 8), 6 + (slot++ % 8))).toISOString(),
    staff,
  });

const CASH = { payments: [{ method: "cash", amount_halalas: 23000 }] };

Deno.test(`invoices access (${B}) - checkout, credit notes and invoices through the API: outsiders, the customer and staff without the scope are refused and nothing changes`, async () => {
  const t = await makeTestApp();
  try {
    const w = await vatWorld(t);
    const send = (path: string, token: string | null, body: unknown) =>
      postJson(t.app, path, body, {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        "accept-language": "en",
      });
    const refused = async (
      who: string,
      path: string,
      token: string | null,
      body: unknown,
      expected: number,
    ) => {
      const before = await checksum(t.db);
      const res = await send(path, token, body);
      assert.equal(res.status, expected, `${who} → ${res.status} ${await res.clone().text()}`);
      const json = await res.json();
      assert.equal(typeof json.detail, "string", `${who}: a message says why`);
      assert.equal(await checksum(t.db), before, `${who}: nothing changes`);
    };

    const own = await pastVisit(t, w, w.noura);
    const colleagues = await pastVisit(t, w, w.reem);
    const checkoutPath = (id: string) => `/api/salons/${w.salon.slug}/bookings/${id}/checkout/`;
    for (const id of [own.id, colleagues.id]) {
      await refused("anonymous", checkoutPath(id), null, CASH, 401);
      // The visit's own customer is not the salon's team.
      await refused("customer", checkoutPath(id), w.tokens.customer, CASH, 404);
      await refused("manager of another salon", checkoutPath(id), w.tokens.otherManager, CASH, 404);
      await refused("staff of another salon", checkoutPath(id), w.tokens.otherStaff, CASH, 404);
    }
    // Staff close the visits they work on, not a colleague's (as on the dashboard page).
    await refused(
      "staff on a colleague's visit",
      checkoutPath(colleagues.id),
      w.tokens.staff,
      CASH,
      404,
    );
    // Another salon's slug with this salon's visit: not found either.
    await refused(
      "staff of another salon, own slug",
      `/api/salons/${w.other.slug}/bookings/${own.id}/checkout/`,
      w.tokens.otherStaff,
      CASH,
      404,
    );

    const closed = await send(checkoutPath(own.id), w.tokens.staff, CASH);
    assert.equal(closed.status, 201, await closed.clone().text());
    const { invoice } = await closed.json();

    const creditPath = `/api/invoices/${invoice.id}/credit-notes/`;
    const credit = {
      lines: [0],
      refunds: [{ method: "cash", amount_halalas: 23000 }],
      reason: "Not done",
    };
    await refused("anonymous", creditPath, null, credit, 401);
    // Who may not see the invoice is not told it exists; who may see it (its customer) may not
    // credit it.
    await refused("manager of another salon", creditPath, w.tokens.otherManager, credit, 404);
    await refused("staff of another salon", creditPath, w.tokens.otherStaff, credit, 404);
    await refused("customer", creditPath, w.tokens.customer, credit, 403);
    // Credit notes are a manager's: the salon's own staff member who closed the visit may not.
    await refused("staff", creditPath, w.tokens.staff, credit, 403);

    // Reading the invoice: the customer and the salon's team; another salon's people get a 404.
    const read = async (token: string) => {
      const res = await t.app.request(`/api/invoices/${invoice.id}/`, {
        headers: { authorization: `Bearer ${token}` },
      });
      await res.body?.cancel();
      return res.status;
    };
    assert.equal(await read(w.tokens.customer), 200);
    assert.equal(await read(w.tokens.staff), 200);
    assert.equal(await read(w.tokens.otherStaff), 404);
    assert.equal(await read(w.tokens.otherManager), 404);

    const made = await send(creditPath, w.tokens.manager, credit);
    assert.equal(made.status, 201, await made.clone().text());
  } finally {
    await t.close();
  }
});

const csrfOf = (html: string) => /name="csrf_token" value="([^"]+)"/.exec(html)![1];

Deno.test(`invoices concurrency (${B}) - two people close the same visit at once on two instances: one invoice and one 201 or 303, the other a 409 in their language, nothing else changes`, async () => {
  const t = await makeTestApp();
  try {
    const w = await vatWorld(t);
    const apps = [t.app, t.secondInstance()];
    const already = arInvoices["checkout.already"];

    /** After a race on `bookingId`: the winner's invoice and nothing else. */
    const oneOutcome = async (bookingId: string, winnerMethod: string) => {
      const [row] = await t.db.query<Record<string, number>>(
        `SELECT
           (SELECT count(*)::int FROM invoices WHERE booking_id = $1) AS invoices,
           (SELECT count(*)::int FROM invoice_payments p JOIN invoices i ON i.id = p.invoice_id
              WHERE i.booking_id = $1) AS payments,
           (SELECT count(*)::int FROM audit_log
              WHERE action = 'invoice.issue' AND after->>'booking_id' = $1::text) AS audits,
           (SELECT count(*)::int FROM messages
              WHERE booking_id = $1 AND event = 'invoice_issued') AS messages,
           (SELECT count(*)::int FROM booking_events
              WHERE booking_id = $1 AND to_status = 'completed') AS completions`,
        [bookingId],
      );
      assert.deepEqual(row, { invoices: 1, payments: 1, audits: 1, messages: 1, completions: 1 });
      const [paid] = await t.db.query<{ method: string }>(
        `SELECT p.method FROM invoice_payments p JOIN invoices i ON i.id = p.invoice_id
         WHERE i.booking_id = $1`,
        [bookingId],
      );
      assert.equal(paid.method, winnerMethod, "the invoice is the winner's, as they typed it");
    };

    // Through the API, a few times over (each race on a fresh visit).
    for (let round = 0; round < 4; round++) {
      const visit = await pastVisit(t, w);
      const path = `/api/salons/${w.salon.slug}/bookings/${visit.id}/checkout/`;
      const people = [
        { token: w.tokens.manager, method: "cash" },
        { token: w.tokens.staff, method: "card" },
      ];
      const responses = await Promise.all(
        people.map((p, i) =>
          postJson(apps[i], path, { payments: [{ method: p.method, amount_halalas: 23000 }] }, {
            authorization: `Bearer ${p.token}`,
            "accept-language": "ar",
          })
        ),
      );
      assert.deepEqual(responses.map((r) => r.status).sort(), [201, 409]);
      const winner = responses.findIndex((r) => r.status === 201);
      const loser = await responses[1 - winner].json();
      assert.equal(loser.detail, already);
      const { invoice } = await responses[winner].json();
      assert.equal(invoice.total_halalas, 23000);
      await oneOutcome(visit.id, people[winner].method);
    }

    // Through the dashboard page, both with the page open: one goes to the invoice (303), the
    // other sees the 409 on the page, in Arabic.
    const visit = await pastVisit(t, w);
    const page = `/dashboard/${w.salon.slug}/bookings/${visit.id}/checkout`;
    const people = [
      { jar: w.jars.manager, method: "cash" },
      { jar: w.jars.staff, method: "stc_pay" },
    ];
    const tokens = await Promise.all(people.map(async (p) => {
      const res = await t.app.request(page, { headers: { cookie: p.jar.header() } });
      assert.equal(res.status, 200);
      return csrfOf(await res.text());
    }));
    const posts = await Promise.all(people.map((p, i) =>
      apps[i].request(page, {
        method: "POST",
        headers: {
          cookie: p.jar.header(),
          "accept-language": "ar",
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({
          csrf_token: tokens[i],
          intent: "close",
          method_0: p.method,
          amount_0: "230",
        }),
      })
    ));
    assert.deepEqual(posts.map((r) => r.status).sort(), [303, 409]);
    const winner = posts.findIndex((r) => r.status === 303);
    assert.match(posts[winner].headers.get("location") ?? "", /^\/invoices\/[0-9a-f-]{36}$/);
    assert.ok((await posts[1 - winner].text()).includes(already), "the 409 is on the page");
    await oneOutcome(visit.id, people[winner].method);

    // Numbers: one per visit, consecutive, none lost to the refused attempts.
    const numbers = await t.db.query<{ number: number }>(
      "SELECT number FROM invoices WHERE salon_id = $1 AND kind = 'invoice' ORDER BY number",
      [w.salon.id],
    );
    assert.deepEqual(numbers.map((n) => n.number), [1, 2, 3, 4, 5]);
  } finally {
    await t.close();
  }
});
