/**
 * The little DER (ASN.1) this module needs: encoding a certificate signing request or a
 * certificate, and reading one back (subject, public key, signature). Definite lengths only.
 */

export type Der = Uint8Array;

function length(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

export function tlv(tag: number, ...content: Der[]): Der {
  const size = content.reduce((n, c) => n + c.length, 0);
  const head = [tag, ...length(size)];
  const out = new Uint8Array(head.length + size);
  out.set(head, 0);
  let at = head.length;
  for (const c of content) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export const seq = (...c: Der[]) => tlv(0x30, ...c);
export const set = (...c: Der[]) => tlv(0x31, ...c);
export const utf8 = (s: string) => tlv(0x0c, new TextEncoder().encode(s));
export const printable = (s: string) => tlv(0x13, new TextEncoder().encode(s));
export const octets = (b: Der) => tlv(0x04, b);
export const bits = (b: Der) => tlv(0x03, new Uint8Array([0]), b);
export const ctx = (n: number, ...c: Der[]) => tlv(0xa0 + n, ...c);
export const NULL = new Uint8Array([0x05, 0x00]);
export const TRUE = new Uint8Array([0x01, 0x01, 0xff]);

/** A non-negative integer from big-endian bytes (a leading zero added when the top bit is set). */
export function uint(bytes: Der): Der {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const b = bytes.subarray(i);
  return tlv(0x02, b[0] & 0x80 ? new Uint8Array([0, ...b]) : b);
}

export function oid(dotted: string): Der {
  const parts = dotted.split(".").map(Number);
  const out = [parts[0] * 40 + parts[1]];
  for (const p of parts.slice(2)) {
    const chunk = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) {
      chunk.unshift(0x80 | (v & 0x7f));
    }
    out.push(...chunk);
  }
  return tlv(0x06, new Uint8Array(out));
}

/** UTCTime (before 2050) as X.509 writes validity dates. */
export function utcTime(d: Date): Der {
  const s = d.toISOString().replace(/[-:T]/g, "").slice(2, 14) + "Z";
  return tlv(0x17, new TextEncoder().encode(s));
}

/** One decoded element: its tag, its content, and the whole encoding (for signed parts). */
export interface Node {
  tag: number;
  content: Der;
  raw: Der;
}

export function read(der: Der, at = 0): Node & { end: number } {
  const tag = der[at];
  let len = der[at + 1];
  let head = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[at + 2 + i];
    head += n;
  }
  const end = at + head + len;
  if (end > der.length) throw new RangeError("truncated DER");
  return { tag, content: der.subarray(at + head, end), raw: der.subarray(at, end), end };
}

/** The elements inside a constructed element. */
export function children(content: Der): Node[] {
  const out: Node[] = [];
  for (let at = 0; at < content.length;) {
    const n = read(content, at);
    out.push(n);
    at = n.end;
  }
  return out;
}

export function oidText(content: Der): string {
  const parts = [Math.floor(content[0] / 40), content[0] % 40];
  let v = 0;
  for (const b of content.subarray(1)) {
    v = v * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join(".");
}

export function toBase64(b: Der): string {
  let s = "";
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s);
}

export function fromBase64(s: string): Der {
  return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
}

export function pem(label: string, der: Der): string {
  const body = toBase64(der).replace(/.{1,64}/g, "$&\n");
  return `-----BEGIN ${label}-----\n${body}-----END ${label}-----\n`;
}
