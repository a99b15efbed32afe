/**
 * ZATCA's phase-1 QR code for simplified tax invoices: five TLV fields (tag one byte, length one
 * byte counting the value's UTF-8 bytes, value UTF-8), base64-encoded, drawn server-side as an SVG
 * so any phone's QR reader can read it from the page or from paper.
 */
import QRCode from "qrcode";

export interface ZatcaQrFields {
  sellerName: string;
  vatNumber: string;
  /** The issue time, ISO 8601. */
  timestamp: string;
  totalHalalas: number;
  vatHalalas: number;
}

/** "1234.50" from halalas: two decimals, as ZATCA's amounts are written. */
export function sarAmount(halalas: number): string {
  const sign = halalas < 0 ? "-" : "";
  const abs = Math.abs(halalas);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

function tlv(tag: number, value: string | Uint8Array): Uint8Array {
  const bytes = typeof value === "string" ? new TextEncoder().encode(value) : value;
  if (bytes.length > 255) throw new RangeError(`QR field ${tag} is longer than 255 bytes`);
  const out = new Uint8Array(2 + bytes.length);
  out[0] = tag;
  out[1] = bytes.length;
  out.set(bytes, 2);
  return out;
}

/** Base64 of TLV fields in the order given (text as UTF-8, bytes as they are). */
export function tlvPayload(fields: [number, string | Uint8Array][]): string {
  const parts = fields.map(([tag, value]) => tlv(tag, value));
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  let binary = "";
  for (const b of all) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** The QR payload: base64 of tags 1–5. */
export function zatcaQrPayload(f: ZatcaQrFields): string {
  return tlvPayload([
    [1, f.sellerName],
    [2, f.vatNumber],
    [3, f.timestamp],
    [4, sarAmount(f.totalHalalas)],
    [5, sarAmount(f.vatHalalas)],
  ]);
}

/** Tags and raw values of a base64 TLV payload (tags 8 and 9 of phase 2 are bytes). */
export function decodeTlv(payload: string): Map<number, Uint8Array> {
  const bytes = Uint8Array.from(atob(payload), (c) => c.charCodeAt(0));
  const fields = new Map<number, Uint8Array>();
  for (let i = 0; i < bytes.length;) {
    fields.set(bytes[i], bytes.slice(i + 2, i + 2 + bytes[i + 1]));
    i += 2 + bytes[i + 1];
  }
  return fields;
}

/** Tags and values of a base64 TLV payload (what a reader of the QR gets back). */
export function decodeZatcaQr(payload: string): Map<number, string> {
  const bytes = Uint8Array.from(atob(payload), (c) => c.charCodeAt(0));
  const fields = new Map<number, string>();
  for (let i = 0; i < bytes.length;) {
    const tag = bytes[i];
    const length = bytes[i + 1];
    fields.set(tag, new TextDecoder().decode(bytes.subarray(i + 2, i + 2 + length)));
    i += 2 + length;
  }
  return fields;
}

/** The QR code as an SVG image (error correction M, a quiet zone of 4 modules). */
export async function qrSvg(payload: string): Promise<string> {
  return await QRCode.toString(payload, { type: "svg", errorCorrectionLevel: "M", margin: 4 });
}
