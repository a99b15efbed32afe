/**
 * ZATCA phase 2 in checkout: a salon whose unit is onboarded gets each invoice stamped in the
 * checkout's transaction; 50 concurrent checkouts on two instances make one chain (counter values
 * 1..50 in the order of the invoice numbers, each previous hash the hash of the document before,
 * the first the documented initial value), each hash recomputed from the stored XML by another
 * canonicalizer, each report queued with its 24-hour deadline.
 */
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { DOMParser } from "@xmldom/xmldom";
import { C14nCanonicalization } from "xml-crypto";
import type { Queryable } from "@/db/types.ts";
import { createBooking } from "@/services/bookings/mod.ts";
import { decodeTlv } from "@/services/invoices/qr.ts";
import { buildCsr, generateKeyPair, seal } from "@/services/zatca/keys.ts";
import { INITIAL_PIH } from "@/services/zatca/xml.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { postJson } from "./helpers/auth.ts";
import { makeCustomers } from "./helpers/customers.ts";
import { testBackend } from "./helpers/db.ts";
import { makeSalon, makeService, makeStaff } from "./helpers/factories.ts";
import { makeFakeCa } from "./fakes/zatca_ca.ts";

const B = testBackend();
const KEK = crypto.getRandomValues(new Uint8Array(32));
const ENV = { ZATCA_KEY_ENCRYPTION_KEY: btoa(String.fromCharCode(...KEK)) };

async function onboardedSalon(t: TestApp) {
  const salon = await makeSalon(t.db, {
    vat_registered: true,
    vat_number: "310122393500003",
    legal_name_ar: "مؤسسة لمسة للتجميل",
    cr_number: "1010123456",
  });
  const blowDry = await makeService(t.db, salon, { price_halalas: 8000, duration_minutes: 30 });
  const noura = await makeStaff(t.db, salon, { services: [blowDry.id] });
  const reem = await makeStaff(t.db, salon, { services: [blowDry.id] });
  const [manager] = await makeCustomers(t, 1);
  await t.db.query(
    "INSERT INTO salon_memberships (user_id, salon_id, role) VALUES ($1, $2, 'manager')",
    [manager.id, salon.id],
  );
  const keys = generateKeyPair();
  const csr = buildCsr(keys, {
    template: "PREZATCA-Code-Signing",
    commonName: "Lamsa",
    serialNumber: `1-Salon|2-1.0|3-${salon.id}`,
    vatNumber: "310122393500003",
    organizationName: "مؤسسة لمسة للتجميل",
    branch: "Main",
    invoiceTypes: "0100",
    location: "Riyadh",
    industry: "Beauty salons",
  });
  const cert = makeFakeCa().issue(csr, new Uint8Array([1, 2, 3]));
  await t.db.query(
    `INSERT INTO zatca_units (salon_id, serial_number, common_name, branch, industry, street,
       building_number, district, city, postal_zone, status, private_key_sealed, public_key, csr,
       production_token, production_secret_sealed, certificate, last_hash, created_at, updated_at)
     VALUES ($1, $2, 'Lamsa', 'Main', 'Beauty salons', 'Olaya St', '1234', 'Olaya', 'Riyadh',
       '12345', 'active', $3, $4, $5, 'token', 'v1:x', $6, $7, now(), now())`,
    [
      salon.id,
      `1-Salon|2-1.0|3-${salon.id}`,
      await seal(KEK, salon.id, keys.privatePem),
      keys.publicDer,
      csr,
      cert,
      INITIAL_PIH,
    ],
  );
  return { salon, blowDry, noura, reem, manager };
}

function recomputeHash(xml: string): string {
  const doc = new DOMParser().parseFromString(xml, "text/xml");
  const root = doc.documentElement!;
  const cac = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
  const drop = [
    ...Array.from(root.getElementsByTagNameNS(
      "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
      "UBLExtensions",
    )),
    ...Array.from(root.getElementsByTagNameNS(cac, "Signature")),
    ...Array.from(root.getElementsByTagNameNS(cac, "AdditionalDocumentReference")).filter((n) =>
      n.textContent?.startsWith("QR")
    ),
  ];
  for (const n of drop) n.parentNode!.removeChild(n);
  const c14n = new C14nCanonicalization().process(root as unknown as Node, {}) as string;
  return crypto.createHash("sha256").update(c14n, "utf8").digest("base64");
}

async function rows<T>(db: Queryable, sql: string, params: unknown[] = []) {
  return await db.query<T>(sql, params);
}

Deno.test(`zatca chain (${B}) - 50 concurrent checkouts on two instances make one unbroken chain`, async () => {
  const t = await makeTestApp(ENV);
  try {
    const w = await onboardedSalon(t);
    const people = await makeCustomers(t, 25);
    const bookings = [];
    for (let i = 0; i < 50; i++) {
      const day = 22 + Math.floor(i / 16);
      const hour = 6 + (i % 8);
      const { booking } = await createBooking(t.db, {
        customerId: people[i % 25].id,
        salon: w.salon.id,
        serviceId: w.blowDry.id,
        staff: (i % 16 < 8 ? w.noura : w.reem).id,
        start: new Date(`2026-11-${day}T${String(hour).padStart(2, "0")}:00:00Z`),
        now: t.clock.now(),
        actor: { userId: people[i % 25].id, role: "customer" },
      });
      bookings.push(booking);
    }
    const apps = [t.app, t.secondInstance()];
    const responses = await Promise.all(bookings.map((b, i) =>
      postJson(
        apps[i % 2],
        `/api/salons/${w.salon.slug}/bookings/${b.id}/checkout/`,
        { payments: [{ method: "cash", amount_halalas: 8000 }] },
        { authorization: `Bearer ${w.manager.access}`, "accept-language": "en" },
      )
    ));
    assert.deepEqual(new Set(responses.map((r) => r.status)), new Set([201]));
    const docs = await rows<{
      number: number;
      icv: number;
      pih: string;
      hash: string;
      xml: string;
      qr: string;
      status: string;
      issued_at: Date;
      deadline_at: Date;
    }>(
      t.db,
      `SELECT i.number, d.icv, d.pih, d.hash, d.xml, d.qr, d.status, i.issued_at, d.deadline_at
       FROM zatca_documents d JOIN invoices i ON i.id = d.invoice_id
       WHERE d.salon_id = $1 ORDER BY i.number`,
      [w.salon.id],
    );
    assert.equal(docs.length, 50);
    let pih = INITIAL_PIH;
    for (const [i, d] of docs.entries()) {
      assert.equal(Number(d.icv), i + 1, `invoice ${d.number}`);
      assert.equal(d.pih, pih, `invoice ${d.number}: PIH`);
      assert.equal(recomputeHash(d.xml), d.hash);
      assert.ok(d.xml.includes(`<cbc:ID>INV-${d.number}</cbc:ID>`));
      assert.equal(new TextDecoder().decode(decodeTlv(d.qr).get(6)), d.hash);
      assert.equal(d.status, "queued");
      assert.equal(d.deadline_at.getTime() - d.issued_at.getTime(), 24 * 3600_000);
      pih = d.hash;
    }
    const [unit] = await rows<{ last_icv: number; last_hash: string }>(
      t.db,
      "SELECT last_icv, last_hash FROM zatca_units WHERE salon_id = $1",
      [w.salon.id],
    );
    assert.equal(Number(unit.last_icv), 50);
    assert.equal(unit.last_hash, pih);
    // The invoice's API answer and page carry the stamped document's QR (tags 1-9).
    const [first] = await rows<{ id: string; qr: string }>(
      t.db,
      `SELECT i.id, d.qr FROM invoices i JOIN zatca_documents d ON d.invoice_id = i.id
       WHERE i.salon_id = $1 AND i.number = 1`,
      [w.salon.id],
    );
    const api = await t.app.request(`/api/invoices/${first.id}/`, {
      headers: { authorization: `Bearer ${w.manager.access}` },
    });
    assert.equal(api.status, 200);
    const body = await api.json();
    assert.equal((body.invoice ?? body).qr, first.qr);
    // A stamped document never changes.
    await assert.rejects(() =>
      t.db.query("UPDATE zatca_documents SET hash = 'x' WHERE salon_id = $1", [w.salon.id])
    );
  } finally {
    await t.close();
  }
});

Deno.test(`zatca chain (${B}) - a credit note is stamped as type 381, references its invoice and continues the chain`, async () => {
  const t = await makeTestApp(ENV);
  try {
    const w = await onboardedSalon(t);
    const { booking } = await createBooking(t.db, {
      customerId: w.manager.id,
      salon: w.salon.id,
      serviceId: w.blowDry.id,
      staff: w.noura.id,
      start: new Date("2026-11-22T07:00:00Z"),
      now: t.clock.now(),
      actor: { userId: w.manager.id, role: "customer" },
    });
    const auth = { authorization: `Bearer ${w.manager.access}`, "accept-language": "en" };
    const res = await postJson(
      t.app,
      `/api/salons/${w.salon.slug}/bookings/${booking.id}/checkout/`,
      { payments: [{ method: "cash", amount_halalas: 8000 }] },
      auth,
    );
    assert.equal(res.status, 201);
    const { invoice } = await res.json();
    const made = await postJson(t.app, `/api/invoices/${invoice.id}/credit-notes/`, {
      lines: [0],
      refunds: [{ method: "cash", amount_halalas: 8000 }],
      reason: "Blow-dry not done",
    }, auth);
    assert.equal(made.status, 201, await made.clone().text());
    const docs = await rows<{ kind: string; icv: number; pih: string; hash: string; xml: string }>(
      t.db,
      `SELECT i.kind, d.icv, d.pih, d.hash, d.xml FROM zatca_documents d
       JOIN invoices i ON i.id = d.invoice_id ORDER BY d.icv`,
    );
    assert.deepEqual(docs.map((d) => [d.kind, Number(d.icv)]), [["invoice", 1], [
      "credit_note",
      2,
    ]]);
    assert.equal(docs[1].pih, docs[0].hash);
    assert.equal(recomputeHash(docs[1].xml), docs[1].hash);
    assert.ok(
      docs[1].xml.includes('<cbc:InvoiceTypeCode name="0200000">381</cbc:InvoiceTypeCode>'),
    );
    assert.ok(docs[1].xml.includes(
      "<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>INV-1</cbc:ID>",
    ));
    assert.ok(docs[1].xml.includes("Blow-dry not done"));
  } finally {
    await t.close();
  }
});

Deno.test(`zatca chain (${B}) - a salon not onboarded keeps phase 1: no stamp, the five-tag QR`, async () => {
  const t = await makeTestApp(ENV);
  try {
    const w = await onboardedSalon(t);
    await t.db.query("UPDATE zatca_units SET status = 'keys' WHERE salon_id = $1", [w.salon.id]);
    const { booking } = await createBooking(t.db, {
      customerId: w.manager.id,
      salon: w.salon.id,
      serviceId: w.blowDry.id,
      staff: w.noura.id,
      start: new Date("2026-11-22T07:00:00Z"),
      now: t.clock.now(),
      actor: { userId: w.manager.id, role: "customer" },
    });
    const res = await postJson(
      t.app,
      `/api/salons/${w.salon.slug}/bookings/${booking.id}/checkout/`,
      { payments: [{ method: "cash", amount_halalas: 8000 }] },
      { authorization: `Bearer ${w.manager.access}`, "accept-language": "en" },
    );
    assert.equal(res.status, 201);
    const [n] = await rows<{ n: number }>(t.db, "SELECT count(*)::int AS n FROM zatca_documents");
    assert.equal(n.n, 0);
    const [inv] = await rows<{ qr: string }>(t.db, "SELECT qr FROM invoices");
    assert.deepEqual([...decodeTlv(inv.qr).keys()], [1, 2, 3, 4, 5]);
  } finally {
    await t.close();
  }
});
