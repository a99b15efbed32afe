/**
 * An e-invoicing unit's secrets: its ECDSA secp256k1 key pair (node:crypto: WebCrypto has no
 * secp256k1), the private key sealed with AES-256-GCM under ZATCA_KEY_ENCRYPTION_KEY (bound to
 * the salon, so a row copied to another salon does not open), and the certificate signing request
 * with the fields ZATCA requires of a unit.
 */
import crypto from "node:crypto";
import * as der from "./der.ts";

const SEALED = "v1:";

async function aesKey(kek: Uint8Array): Promise<CryptoKey> {
  return await crypto.webcrypto.subtle.importKey("raw", kek, "AES-GCM", false, [
    "encrypt",
    "decrypt",
  ]) as CryptoKey;
}

/** AES-256-GCM with a random 96-bit nonce; `context` (the salon's id) is authenticated data. */
export async function seal(kek: Uint8Array, context: string, plain: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = new Uint8Array(
    await crypto.webcrypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(context) },
      await aesKey(kek),
      new TextEncoder().encode(plain),
    ),
  );
  const all = new Uint8Array(iv.length + ct.length);
  all.set(iv);
  all.set(ct, iv.length);
  return SEALED + der.toBase64(all);
}

export async function unseal(kek: Uint8Array, context: string, sealed: string): Promise<string> {
  if (!sealed.startsWith(SEALED)) throw new Error("unknown sealed format");
  const all = der.fromBase64(sealed.slice(SEALED.length));
  const plain = await crypto.webcrypto.subtle.decrypt(
    {
      name: "AES-GCM",
      iv: all.subarray(0, 12),
      additionalData: new TextEncoder().encode(context),
    },
    await aesKey(kek),
    all.subarray(12),
  );
  return new TextDecoder().decode(plain);
}

export interface KeyPair {
  /** PKCS#8 PEM: only ever held in memory, stored sealed. */
  privatePem: string;
  /** SubjectPublicKeyInfo DER (QR tag 8). */
  publicDer: Uint8Array;
}

export function generateKeyPair(): KeyPair {
  const { privateKey, publicKey } = crypto.generateKeyPairSync("ec", { namedCurve: "secp256k1" });
  return {
    privatePem: privateKey.export({ type: "pkcs8", format: "pem" }) as string,
    publicDer: new Uint8Array(publicKey.export({ type: "spki", format: "der" })),
  };
}

/** ECDSA with SHA-256, DER-encoded signature. */
export function signEcdsa(privatePem: string, data: Uint8Array): Uint8Array {
  return new Uint8Array(crypto.sign("sha256", data, crypto.createPrivateKey(privatePem)));
}

export function verifyEcdsa(publicDer: Uint8Array, data: Uint8Array, signature: Uint8Array) {
  const key = crypto.createPublicKey({ key: Buffer.from(publicDer), format: "der", type: "spki" });
  return crypto.verify("sha256", data, key, signature);
}

export function sha256(data: Uint8Array | string): Uint8Array {
  return new Uint8Array(crypto.createHash("sha256").update(data).digest());
}

export const OID = {
  ecPublicKey: "1.2.840.10045.2.1",
  secp256k1: "1.3.132.0.10",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  country: "2.5.4.6",
  organization: "2.5.4.10",
  organizationalUnit: "2.5.4.11",
  commonName: "2.5.4.3",
  serialNumber: "2.5.4.4",
  title: "2.5.4.12",
  businessCategory: "2.5.4.15",
  registeredAddress: "2.5.4.26",
  uid: "0.9.2342.19200300.100.1.1",
  domainComponent: "0.9.2342.19200300.100.1.25",
  extensionRequest: "1.2.840.113549.1.9.14",
  subjectAltName: "2.5.29.17",
  certificateTemplateName: "1.3.6.1.4.1.311.20.2",
};

/** A distinguished name from [oid, value] pairs, each its own RDN. */
export function name(attrs: [string, string][]): Uint8Array {
  return der.seq(
    ...attrs.map(([o, v]) =>
      der.set(der.seq(der.oid(o), o === OID.country ? der.printable(v) : der.utf8(v)))
    ),
  );
}

export interface CsrFields {
  /** "ZATCA-Code-Signing" (production), "PREZATCA-Code-Signing" (simulation), "TSTZATCA-…". */
  template: string;
  /** The unit's common name. */
  commonName: string;
  /** `1-<solution>|2-<version>|3-<unit uuid>`. */
  serialNumber: string;
  /** The seller's VAT number (organization identifier). */
  vatNumber: string;
  organizationName: string;
  /** The branch (organization unit). */
  branch: string;
  /** "0100": simplified invoices only (the salon's customers are consumers). */
  invoiceTypes: string;
  location: string;
  industry: string;
}

/** A PKCS#10 certificate signing request, as ZATCA's onboarding asks it (DER). */
export function buildCsr(keys: KeyPair, f: CsrFields): Uint8Array {
  const subject = name([
    [OID.country, "SA"],
    [OID.organizationalUnit, f.branch],
    [OID.organization, f.organizationName],
    [OID.commonName, f.commonName],
  ]);
  const dirName = name([
    [OID.serialNumber, f.serialNumber],
    [OID.uid, f.vatNumber],
    [OID.title, f.invoiceTypes],
    [OID.registeredAddress, f.location],
    [OID.businessCategory, f.industry],
  ]);
  const extensions = der.seq(
    der.seq(der.oid(OID.certificateTemplateName), der.octets(der.printable(f.template))),
    der.seq(der.oid(OID.subjectAltName), der.octets(der.seq(der.tlv(0xa4, dirName)))),
  );
  const info = der.seq(
    der.uint(new Uint8Array([0])),
    subject,
    keys.publicDer,
    der.ctx(0, der.seq(der.oid(OID.extensionRequest), der.set(extensions))),
  );
  const signature = signEcdsa(keys.privatePem, info);
  return der.seq(info, der.seq(der.oid(OID.ecdsaWithSha256)), der.bits(signature));
}

/** What a stamp needs from a certificate. */
export interface CertificateInfo {
  der: Uint8Array;
  /** The issuer as RFC 2253 text (XAdES X509IssuerName). */
  issuer: string;
  /** Decimal (XAdES X509SerialNumber). */
  serialNumber: string;
  publicKeyDer: Uint8Array;
  /** The issuer's signature bytes (QR tag 9). */
  signature: Uint8Array;
  tbs: Uint8Array;
}

const SHORT: Record<string, string> = {
  [OID.commonName]: "CN",
  [OID.organization]: "O",
  [OID.organizationalUnit]: "OU",
  [OID.country]: "C",
  [OID.domainComponent]: "DC",
};

export function nameText(nameContent: Uint8Array): string {
  return der.children(nameContent).map((rdn) => {
    const [attr] = der.children(rdn.content);
    const [o, v] = der.children(attr.content);
    const key = SHORT[der.oidText(o.content)] ?? der.oidText(o.content);
    return `${key}=${new TextDecoder().decode(v.content)}`;
  }).reverse().join(", ");
}

function bigDecimal(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = n * 256n + BigInt(b);
  return n.toString();
}

export function parseCertificate(certDer: Uint8Array): CertificateInfo {
  const [tbs, , sig] = der.children(der.read(certDer).content);
  const parts = der.children(tbs.content);
  const i = parts[0].tag === 0xa0 ? 1 : 0;
  return {
    der: certDer,
    serialNumber: bigDecimal(parts[i].content),
    issuer: nameText(parts[i + 2].content),
    publicKeyDer: parts[i + 5].raw.slice(),
    signature: sig.content.slice(1),
    tbs: tbs.raw.slice(),
  };
}

/** Reads a PKCS#10 request: its subject public key and whether its own signature holds. */
export function parseCsr(csrDer: Uint8Array) {
  const [info, , sig] = der.children(der.read(csrDer).content);
  const parts = der.children(info.content);
  const publicKeyDer = parts[2].raw.slice();
  const valid = verifyEcdsa(publicKeyDer, info.raw, sig.content.slice(1));
  return {
    subject: parts[1].raw.slice(),
    subjectText: nameText(parts[1].content),
    publicKeyDer,
    valid,
    attributes: parts[3]?.raw.slice(),
  };
}
