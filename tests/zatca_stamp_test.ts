/**
 * ZATCA phase-2 stamping, checked by other implementations than the one that stamped: the
 * document is parsed (xmldom), the signature, UBLExtensions and QR reference removed and
 * canonicalized (xml-crypto's C14N), its SHA-256 compared with the hash; the signature verified
 * with @noble/curves against the certificate's public key; the certificate's own signature with
 * node:crypto's X509Certificate; the QR's nine tags read back; the sealed private key opened only
 * with the right key and salon.
 */
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { DOMParser } from "@xmldom/xmldom";
import { C14nCanonicalization } from "xml-crypto";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { decodeTlv } from "@/services/invoices/qr.ts";
import * as der from "@/services/zatca/der.ts";
import {
  buildCsr,
  generateKeyPair,
  parseCertificate,
  parseCsr,
  seal,
  unseal,
} from "@/services/zatca/keys.ts";
import { INITIAL_PIH, invoiceHash, stampDocument, type UblDocument } from "@/services/zatca/xml.ts";
import { makeFakeCa } from "./fakes/zatca_ca.ts";

const FIELDS = {
  template: "PREZATCA-Code-Signing",
  commonName: "Lamsa-Olaya",
  serialNumber: "1-Salon|2-1.0|3-8d7f4a4e-2a52-4c61-9a0b-0d3c2d8a1b11",
  vatNumber: "310122393500003",
  organizationName: "مؤسسة لمسة للتجميل",
  branch: "العليا",
  invoiceTypes: "0100",
  location: "Riyadh",
  industry: "Beauty salons",
};

function sampleDoc(icv: number, pih: string): UblDocument {
  return {
    typeCode: "388",
    id: "INV-42",
    uuid: crypto.randomUUID(),
    issueDate: "2026-11-22",
    issueTime: "13:05:00",
    icv,
    pih,
    billingReference: null,
    reason: null,
    seller: {
      nameAr: "مؤسسة لمسة للتجميل & شركاه",
      vatNumber: "310122393500003",
      crNumber: "1010123456",
      street: "طريق الأمير محمد بن عبدالعزيز",
      buildingNumber: "1234",
      district: "العليا",
      city: "الرياض",
      postalZone: "12345",
    },
    buyerName: "نورة <VIP>",
    lines: [
      {
        description: "قص شعر",
        quantity: 1,
        netHalalas: 13043,
        vatHalalas: 1957,
        totalHalalas: 15000,
        vatRateBp: 1500,
      },
      {
        description: "Blow dry",
        quantity: 1,
        netHalalas: 6957,
        vatHalalas: 1043,
        totalHalalas: 8000,
        vatRateBp: 1500,
      },
    ],
    netHalalas: 20000,
    vatHalalas: 3000,
    totalHalalas: 23000,
  };
}

function unit() {
  const keys = generateKeyPair();
  const csr = buildCsr(keys, FIELDS);
  const ca = makeFakeCa();
  const cert = parseCertificate(ca.issue(csr, crypto.getRandomValues(new Uint8Array(8))));
  return { keys, csr, ca, cert };
}

const NS_EXT = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2";
const NS_CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
const NS_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
const NS_DS = "http://www.w3.org/2000/09/xmldsig#";

/** ZATCA's transforms, done on a DOM: remove the three parts, canonicalize, SHA-256. */
function recomputeHash(xml: string): string {
  const doc = new DOMParser().parseFromString(xml, "text/xml");
  const root = doc.documentElement!;
  const drop = [
    ...Array.from(root.getElementsByTagNameNS(NS_EXT, "UBLExtensions")),
    ...Array.from(root.getElementsByTagNameNS(NS_CAC, "Signature")),
    ...Array.from(root.getElementsByTagNameNS(NS_CAC, "AdditionalDocumentReference")).filter(
      (n) => n.getElementsByTagNameNS(NS_CBC, "ID")[0]?.textContent === "QR",
    ),
  ];
  for (const n of drop) n.parentNode!.removeChild(n);
  const c14n = new C14nCanonicalization().process(root as unknown as Node, {}) as string;
  return crypto.createHash("sha256").update(c14n, "utf8").digest("base64");
}

/** The uncompressed EC point of an SPKI key (what @noble/curves takes). */
function ecPoint(spki: Uint8Array): Uint8Array {
  const key = crypto.createPublicKey({ key: Buffer.from(spki), format: "der", type: "spki" });
  const jwk = key.export({ format: "jwk" }) as { x: string; y: string };
  return new Uint8Array([
    4,
    ...Buffer.from(jwk.x, "base64url"),
    ...Buffer.from(jwk.y, "base64url"),
  ]);
}

function text(xml: string, ns: string, local: string): string[] {
  const doc = new DOMParser().parseFromString(xml, "text/xml");
  return Array.from(doc.getElementsByTagNameNS(ns, local)).map((n) => n.textContent ?? "");
}

Deno.test("zatca stamp - the CSR carries ZATCA's fields and its own signature verifies", () => {
  const { csr, keys } = unit();
  const parsed = parseCsr(csr);
  assert.equal(parsed.valid, true);
  assert.deepEqual(parsed.publicKeyDer, keys.publicDer);
  assert.match(parsed.subjectText, /CN=Lamsa-Olaya/);
  const body = new TextDecoder().decode(csr);
  for (const v of ["PREZATCA-Code-Signing", FIELDS.serialNumber, "310122393500003", "0100"]) {
    assert.ok(body.includes(v), `CSR lacks ${v}`);
  }
  // node:crypto reads the key inside: secp256k1.
  const key = crypto.createPublicKey({
    key: Buffer.from(parsed.publicKeyDer),
    format: "der",
    type: "spki",
  });
  assert.equal(key.asymmetricKeyDetails?.namedCurve, "secp256k1");
});

Deno.test("zatca stamp - hash and signature verify with other implementations; QR tags 1-9", () => {
  const { keys, cert, ca } = unit();
  const doc = sampleDoc(1, INITIAL_PIH);
  const stamp = stampDocument(doc, keys.privatePem, cert);

  // The hash: recomputed from the XML by xmldom + xml-crypto's canonicalization.
  assert.equal(recomputeHash(stamp.xml), stamp.hash);
  assert.equal(invoiceHash(doc), stamp.hash);
  assert.deepEqual(text(stamp.xml, NS_DS, "DigestValue")[0], stamp.hash);

  // The signature: @noble/curves over the hash's bytes, with the certificate's public key.
  const sigB64 = text(stamp.xml, NS_DS, "SignatureValue")[0];
  assert.equal(sigB64, stamp.signature);
  const x509 = new crypto.X509Certificate(
    Buffer.from(der.fromBase64(text(stamp.xml, NS_DS, "X509Certificate")[0])),
  );
  const point = ecPoint(new Uint8Array(x509.publicKey.export({ type: "spki", format: "der" })));
  const hashBytes = der.fromBase64(stamp.hash);
  assert.equal(
    secp256k1.verify(der.fromBase64(sigB64), hashBytes, point, { format: "der", lowS: false }),
    true,
  );
  // A changed total breaks it.
  const forged = stampDocument({ ...doc, totalHalalas: 23100 }, keys.privatePem, cert);
  assert.notEqual(forged.hash, stamp.hash);
  assert.equal(
    secp256k1.verify(der.fromBase64(sigB64), der.fromBase64(forged.hash), point, {
      format: "der",
      lowS: false,
    }),
    false,
  );

  // The certificate was issued by the CA: node:crypto reads it, @noble/curves checks the
  // CA's signature over its TBS part (node's X509Certificate.verify has no secp256k1 in Deno).
  assert.match(x509.issuer, /FAKE-ZATCA-SubCA-1/);
  assert.equal(
    x509.serialNumber.replace(/^0+/, "").toLowerCase(),
    BigInt(cert.serialNumber).toString(16),
  );
  assert.equal(
    secp256k1.verify(cert.signature, cert.tbs, ecPoint(ca.publicKeyDer), {
      format: "der",
      lowS: false,
    }),
    true,
  );

  // The QR: nine tags, 6-9 the hash, signature, public key and the certificate's signature.
  const qr = text(stamp.xml, NS_CBC, "EmbeddedDocumentBinaryObject")[1];
  assert.equal(qr, stamp.qr);
  const tags = decodeTlv(qr);
  const s = (n: number) => new TextDecoder().decode(tags.get(n));
  assert.deepEqual([...tags.keys()], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(s(1), "مؤسسة لمسة للتجميل & شركاه");
  assert.equal(s(2), "310122393500003");
  assert.equal(s(3), "2026-11-22T13:05:00");
  assert.equal(s(4), "230.00");
  assert.equal(s(5), "30.00");
  assert.equal(s(6), stamp.hash);
  assert.equal(s(7), stamp.signature);
  assert.deepEqual(tags.get(8), cert.publicKeyDer);
  assert.deepEqual(tags.get(9), cert.signature);
  // The ICV and PIH are in the document.
  assert.deepEqual(text(stamp.xml, NS_CBC, "UUID").slice(1), ["1"]);
  assert.equal(text(stamp.xml, NS_CBC, "EmbeddedDocumentBinaryObject")[0], INITIAL_PIH);
});

Deno.test("zatca stamp - the chain: each document's PIH is the previous one's hash", () => {
  const { keys, cert } = unit();
  let pih = INITIAL_PIH;
  for (let icv = 1; icv <= 5; icv++) {
    const stamp = stampDocument(sampleDoc(icv, pih), keys.privatePem, cert);
    assert.equal(recomputeHash(stamp.xml), stamp.hash);
    assert.equal(text(stamp.xml, NS_CBC, "EmbeddedDocumentBinaryObject")[0], pih);
    pih = stamp.hash;
  }
});

Deno.test('zatca stamp - the initial PIH is base64 of the hex SHA-256 of "0"', () => {
  const hex = crypto.createHash("sha256").update("0").digest("hex");
  assert.equal(INITIAL_PIH, btoa(hex));
});

Deno.test("zatca stamp - a sealed private key opens only with its key and its salon", async () => {
  const { keys } = unit();
  const kek = crypto.getRandomValues(new Uint8Array(32));
  const sealed = await seal(kek, "salon-a", keys.privatePem);
  assert.ok(!sealed.includes("PRIVATE KEY"));
  assert.equal(await unseal(kek, "salon-a", sealed), keys.privatePem);
  await assert.rejects(() => unseal(kek, "salon-b", sealed));
  await assert.rejects(() => unseal(crypto.getRandomValues(new Uint8Array(32)), "salon-a", sealed));
});
