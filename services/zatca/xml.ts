/**
 * ZATCA's UBL 2.1 document for a simplified tax invoice, credit note or debit note, written
 * directly in canonical form (C14N: no declaration inside the hashed part, attributes sorted,
 * no empty-element tags, no whitespace between elements), so the invoice hash is SHA-256 over the
 * document without UBLExtensions, cac:Signature and the QR reference, exactly as ZATCA's
 * transforms leave it. Then the XAdES signature and the QR (tags 1–9) are added.
 */
import { sarAmount, tlvPayload } from "@/services/invoices/qr.ts";
import * as der from "./der.ts";
import { type CertificateInfo, sha256, signEcdsa } from "./keys.ts";

const NS = {
  "": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
  cac: "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
  cbc: "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
  ext: "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
};

/** base64 SHA-256 of "0": the previous invoice hash of a unit's first document. */
export const INITIAL_PIH =
  "NWZlY2ViNjZmZmM4NmYzOGQ5NTI3ODZjNmQ2OTZjNzljMmRiYzIzOWRkNGU5MWI0NjcyOWQ3M2EyN2ZiNTdlOQ==";

const escText = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#xD;");
const escAttr = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;")
    .replace(/\t/g, "&#x9;").replace(/\n/g, "&#xA;").replace(/\r/g, "&#xD;");

type Child = string | null | false | undefined;

/** An element in canonical form; children are already-written elements (or text via `txt`). */
export function el(name: string, attrs: Record<string, string> | null, ...children: Child[]) {
  const a = Object.entries(attrs ?? {}).sort(([x], [y]) => (x < y ? -1 : 1))
    .map(([k, v]) => ` ${k}="${escAttr(v)}"`).join("");
  return `<${name}${a}>${children.filter((c) => typeof c === "string").join("")}</${name}>`;
}
export const txt = (name: string, value: string, attrs: Record<string, string> | null = null) =>
  el(name, attrs, escText(value));

export interface UblLine {
  description: string;
  quantity: number;
  netHalalas: number;
  vatHalalas: number;
  totalHalalas: number;
  vatRateBp: number;
}

export interface UblSeller {
  nameAr: string;
  vatNumber: string;
  crNumber: string | null;
  street: string;
  buildingNumber: string;
  district: string;
  city: string;
  postalZone: string;
}

export interface UblDocument {
  /** 388 invoice, 381 credit note, 383 debit note. */
  typeCode: "388" | "381" | "383";
  id: string;
  uuid: string;
  /** Local date and time in the salon's zone. */
  issueDate: string;
  issueTime: string;
  icv: number;
  pih: string;
  /** A credit or debit note: the invoice it adjusts, and why. */
  billingReference: string | null;
  reason: string | null;
  seller: UblSeller;
  buyerName: string | null;
  lines: UblLine[];
  netHalalas: number;
  vatHalalas: number;
  totalHalalas: number;
}

const amount = (h: number) => ({ v: sarAmount(h), a: { currencyID: "SAR" } });
const money = (name: string, h: number) => txt(name, amount(h).v, amount(h).a);
const percent = (bp: number) => (bp / 100).toFixed(2);
const category = (bp: number) => (bp > 0 ? "S" : "Z");

function taxCategory(name: string, bp: number) {
  return el(
    name,
    null,
    txt("cbc:ID", category(bp)),
    txt("cbc:Percent", percent(bp)),
    bp === 0 && txt("cbc:TaxExemptionReasonCode", "VATEX-SA-35"),
    bp === 0 && txt("cbc:TaxExemptionReason", "Medicines and medical equipment"),
    el("cac:TaxScheme", null, txt("cbc:ID", "VAT")),
  );
}

function qrReference(qr: string) {
  return el(
    "cac:AdditionalDocumentReference",
    null,
    txt("cbc:ID", "QR"),
    el(
      "cac:Attachment",
      null,
      txt("cbc:EmbeddedDocumentBinaryObject", qr, { mimeCode: "text/plain" }),
    ),
  );
}

const SIGNATURE_REF = el(
  "cac:Signature",
  null,
  txt("cbc:ID", "urn:oasis:names:specification:ubl:signature:Invoice"),
  txt("cbc:SignatureMethod", "urn:oasis:names:specification:ubl:dsig:enveloped:xades"),
);

/** The document's parts: before the QR reference, and after the cac:Signature. */
function body(d: UblDocument): { head: string; tail: string } {
  const rates = [...new Set(d.lines.map((l) => l.vatRateBp))].sort((a, b) => a - b);
  const s = d.seller;
  const head = [
    txt("cbc:ProfileID", "reporting:1.0"),
    txt("cbc:ID", d.id),
    txt("cbc:UUID", d.uuid),
    txt("cbc:IssueDate", d.issueDate),
    txt("cbc:IssueTime", d.issueTime),
    txt("cbc:InvoiceTypeCode", d.typeCode, { name: "0200000" }),
    d.reason && txt("cbc:Note", d.reason, { languageID: "ar" }),
    txt("cbc:DocumentCurrencyCode", "SAR"),
    txt("cbc:TaxCurrencyCode", "SAR"),
    d.billingReference && el(
      "cac:BillingReference",
      null,
      el("cac:InvoiceDocumentReference", null, txt("cbc:ID", d.billingReference)),
    ),
    el(
      "cac:AdditionalDocumentReference",
      null,
      txt("cbc:ID", "ICV"),
      txt("cbc:UUID", String(d.icv)),
    ),
    el(
      "cac:AdditionalDocumentReference",
      null,
      txt("cbc:ID", "PIH"),
      el(
        "cac:Attachment",
        null,
        txt("cbc:EmbeddedDocumentBinaryObject", d.pih, { mimeCode: "text/plain" }),
      ),
    ),
  ].filter((x) => typeof x === "string").join("");
  const tail = [
    el(
      "cac:AccountingSupplierParty",
      null,
      el(
        "cac:Party",
        null,
        s.crNumber &&
          el("cac:PartyIdentification", null, txt("cbc:ID", s.crNumber, { schemeID: "CRN" })),
        el(
          "cac:PostalAddress",
          null,
          txt("cbc:StreetName", s.street),
          txt("cbc:BuildingNumber", s.buildingNumber),
          txt("cbc:CitySubdivisionName", s.district),
          txt("cbc:CityName", s.city),
          txt("cbc:PostalZone", s.postalZone),
          el("cac:Country", null, txt("cbc:IdentificationCode", "SA")),
        ),
        el(
          "cac:PartyTaxScheme",
          null,
          txt("cbc:CompanyID", s.vatNumber),
          el("cac:TaxScheme", null, txt("cbc:ID", "VAT")),
        ),
        el("cac:PartyLegalEntity", null, txt("cbc:RegistrationName", s.nameAr)),
      ),
    ),
    el(
      "cac:AccountingCustomerParty",
      null,
      el(
        "cac:Party",
        null,
        d.buyerName &&
          el("cac:PartyLegalEntity", null, txt("cbc:RegistrationName", d.buyerName)),
      ),
    ),
    d.reason &&
    el(
      "cac:PaymentMeans",
      null,
      txt("cbc:PaymentMeansCode", "10"),
      txt("cbc:InstructionNote", d.reason),
    ),
    el("cac:TaxTotal", null, money("cbc:TaxAmount", d.vatHalalas)),
    el(
      "cac:TaxTotal",
      null,
      money("cbc:TaxAmount", d.vatHalalas),
      ...rates.map((bp) => {
        const of = d.lines.filter((l) => l.vatRateBp === bp);
        return el(
          "cac:TaxSubtotal",
          null,
          money("cbc:TaxableAmount", of.reduce((n, l) => n + l.netHalalas, 0)),
          money("cbc:TaxAmount", of.reduce((n, l) => n + l.vatHalalas, 0)),
          taxCategory("cac:TaxCategory", bp),
        );
      }),
    ),
    el(
      "cac:LegalMonetaryTotal",
      null,
      money("cbc:LineExtensionAmount", d.netHalalas),
      money("cbc:TaxExclusiveAmount", d.netHalalas),
      money("cbc:TaxInclusiveAmount", d.totalHalalas),
      money("cbc:AllowanceTotalAmount", 0),
      money("cbc:PrepaidAmount", 0),
      money("cbc:PayableAmount", d.totalHalalas),
    ),
    ...d.lines.map((l, i) =>
      el(
        "cac:InvoiceLine",
        null,
        txt("cbc:ID", String(i + 1)),
        txt("cbc:InvoicedQuantity", String(l.quantity), { unitCode: "PCE" }),
        money("cbc:LineExtensionAmount", l.netHalalas),
        el(
          "cac:TaxTotal",
          null,
          money("cbc:TaxAmount", l.vatHalalas),
          money("cbc:RoundingAmount", l.totalHalalas),
        ),
        el(
          "cac:Item",
          null,
          txt("cbc:Name", l.description),
          taxCategory("cac:ClassifiedTaxCategory", l.vatRateBp),
        ),
        el(
          "cac:Price",
          null,
          money("cbc:PriceAmount", l.netHalalas),
          txt("cbc:BaseQuantity", String(l.quantity), { unitCode: "PCE" }),
        ),
      )
    ),
  ].filter((x) => typeof x === "string").join("");
  return { head, tail };
}

function root(inner: string): string {
  const attrs: Record<string, string> = {};
  for (const [p, uri] of Object.entries(NS)) attrs[p ? `xmlns:${p}` : "xmlns"] = uri;
  // Namespace declarations sort default first, then by prefix: the order written here.
  const a = Object.entries(attrs).map(([k, v]) => ` ${k}="${v}"`).join("");
  return `<Invoice${a}>${inner}</Invoice>`;
}

/** The document as ZATCA hashes it (no UBLExtensions, no cac:Signature, no QR). */
export function hashInput(d: UblDocument): string {
  const { head, tail } = body(d);
  return root(head + tail);
}

/** base64 SHA-256 of the canonical document. */
export function invoiceHash(d: UblDocument): string {
  return der.toBase64(sha256(hashInput(d)));
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

/** The XAdES signed properties, written with the namespaces they use declared on them. */
export function signedProperties(cert: CertificateInfo, signingTime: string): string {
  const certDigest = btoa(hex(sha256(der.toBase64(cert.der))));
  return el(
    "xades:SignedProperties",
    {
      Id: "xadesSignedProperties",
      "xmlns:ds": "http://www.w3.org/2000/09/xmldsig#",
      "xmlns:xades": "http://uri.etsi.org/01903/v1.3.2#",
    },
    el(
      "xades:SignedSignatureProperties",
      null,
      txt("xades:SigningTime", signingTime),
      el(
        "xades:SigningCertificate",
        null,
        el(
          "xades:Cert",
          null,
          el(
            "xades:CertDigest",
            null,
            el("ds:DigestMethod", { Algorithm: "http://www.w3.org/2001/04/xmlenc#sha256" }),
            txt("ds:DigestValue", certDigest),
          ),
          el(
            "xades:IssuerSerial",
            null,
            txt("ds:X509IssuerName", cert.issuer),
            txt("ds:X509SerialNumber", cert.serialNumber),
          ),
        ),
      ),
    ),
  );
}

const XPATH = "http://www.w3.org/TR/1999/REC-xpath-19991116";
const transform = (xpath: string) =>
  el("ds:Transform", { Algorithm: XPATH }, txt("ds:XPath", xpath));

function ublExtensions(hash: string, signatureValue: string, cert: CertificateInfo, props: string) {
  const propsDigest = btoa(hex(sha256(props)));
  const digest = (value: string) => [
    el("ds:DigestMethod", { Algorithm: "http://www.w3.org/2001/04/xmlenc#sha256" }),
    txt("ds:DigestValue", value),
  ];
  const signature = el(
    "ds:Signature",
    { Id: "signature", "xmlns:ds": "http://www.w3.org/2000/09/xmldsig#" },
    el(
      "ds:SignedInfo",
      null,
      el("ds:CanonicalizationMethod", { Algorithm: "http://www.w3.org/2006/12/xml-c14n11" }),
      el("ds:SignatureMethod", {
        Algorithm: "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
      }),
      el(
        "ds:Reference",
        { Id: "invoiceSignedData", URI: "" },
        el(
          "ds:Transforms",
          null,
          transform("not(//ancestor-or-self::ext:UBLExtensions)"),
          transform("not(//ancestor-or-self::cac:Signature)"),
          transform("not(//ancestor-or-self::cac:AdditionalDocumentReference[cbc:ID='QR'])"),
          el("ds:Transform", { Algorithm: "http://www.w3.org/2006/12/xml-c14n11" }),
        ),
        ...digest(hash),
      ),
      el(
        "ds:Reference",
        {
          Type: "http://www.w3.org/2000/09/xmldsig#SignatureProperties",
          URI: "#xadesSignedProperties",
        },
        ...digest(propsDigest),
      ),
    ),
    txt("ds:SignatureValue", signatureValue),
    el(
      "ds:KeyInfo",
      null,
      el("ds:X509Data", null, txt("ds:X509Certificate", der.toBase64(cert.der))),
    ),
    el(
      "ds:Object",
      null,
      el(
        "xades:QualifyingProperties",
        { Target: "signature", "xmlns:xades": "http://uri.etsi.org/01903/v1.3.2#" },
        props,
      ),
    ),
  );
  return el(
    "ext:UBLExtensions",
    null,
    el(
      "ext:UBLExtension",
      null,
      txt("ext:ExtensionURI", "urn:oasis:names:specification:ubl:dsig:enveloped:xades"),
      el(
        "ext:ExtensionContent",
        null,
        el(
          "sig:UBLDocumentSignatures",
          {
            "xmlns:sac":
              "urn:oasis:names:specification:ubl:schema:xsd:SignatureAggregateComponents-2",
            "xmlns:sbc": "urn:oasis:names:specification:ubl:schema:xsd:SignatureBasicComponents-2",
            "xmlns:sig": "urn:oasis:names:specification:ubl:schema:xsd:CommonSignatureComponents-2",
          },
          el(
            "sac:SignatureInformation",
            null,
            txt("cbc:ID", "urn:oasis:names:specification:ubl:signature:1"),
            txt(
              "sbc:ReferencedSignatureID",
              "urn:oasis:names:specification:ubl:signature:Invoice",
            ),
            signature,
          ),
        ),
      ),
    ),
  );
}

export interface Stamp {
  xml: string;
  hash: string;
  signature: string;
  qr: string;
}

/**
 * Signs a document: the invoice hash, ECDSA-SHA256 over the hash's bytes with the unit's key,
 * the XAdES block with the certificate, and the QR's nine tags (6 hash, 7 signature, 8 public
 * key, 9 the certificate's signature, as a simplified document requires).
 */
export function stampDocument(d: UblDocument, privatePem: string, cert: CertificateInfo): Stamp {
  const hash = invoiceHash(d);
  const signature = der.toBase64(signEcdsa(privatePem, der.fromBase64(hash)));
  const time = `${d.issueDate}T${d.issueTime}`;
  const qr = tlvPayload([
    [1, d.seller.nameAr],
    [2, d.seller.vatNumber],
    [3, time],
    [4, sarAmount(d.totalHalalas)],
    [5, sarAmount(d.vatHalalas)],
    [6, hash],
    [7, signature],
    [8, cert.publicKeyDer],
    [9, cert.signature],
  ]);
  const props = signedProperties(cert, time);
  const { head, tail } = body(d);
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n` +
    root(
      ublExtensions(hash, signature, cert, props) + head + qrReference(qr) + SIGNATURE_REF + tail,
    );
  return { xml, hash, signature, qr };
}
