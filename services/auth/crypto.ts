/** Small WebCrypto helpers for auth: keyed hashes, random tokens, constant-time comparison. */

const encoder = new TextEncoder();
const keyCache = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string, purpose: string): Promise<CryptoKey> {
  const cacheKey = `${purpose}\u0000${secret}`;
  let key = keyCache.get(cacheKey);
  if (!key) {
    // One derived key per purpose, so a value keyed for one use can never stand in for another.
    key = crypto.subtle.importKey(
      "raw",
      encoder.encode(secret),
      {
        name: "HMAC",
        hash: "SHA-256",
      },
      false,
      ["sign"],
    ).then(async (root) =>
      crypto.subtle.importKey(
        "raw",
        await crypto.subtle.sign("HMAC", root, encoder.encode(`salon:${purpose}:v1`)),
        { name: "HMAC", hash: "SHA-256" },
        false,
        ["sign"],
      )
    );
    keyCache.set(cacheKey, key);
  }
  return key;
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function toBase64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(
    /=+$/,
    "",
  );
}

/** HMAC-SHA256 of `data` under a key derived from the app secret for `purpose`, as hex. */
export async function keyedHash(secret: string, purpose: string, data: string): Promise<string> {
  const key = await hmacKey(secret, purpose);
  return toHex(new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(data))));
}

const signingKeys = new Map<string, Promise<CryptoKey>>();

/**
 * The HS256 key for `purpose` (JWT signing), imported once per secret: deriving and importing it on
 * every request was a sixth of a signed-in page's CPU.
 */
export function derivedSigningKey(secret: string, purpose: string): Promise<CryptoKey> {
  const cacheKey = `${purpose}\u0000${secret}`;
  let key = signingKeys.get(cacheKey);
  if (!key) {
    key = keyedHash(secret, "derive", purpose).then((hex) =>
      crypto.subtle.importKey(
        "raw",
        Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16)),
        { name: "HMAC", hash: "SHA-256" },
        false,
        ["sign", "verify"],
      )
    );
    signingKeys.set(cacheKey, key);
  }
  return key;
}

export async function sha256Hex(data: string): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(data))));
}

/** `bytes` random bytes from the CSPRNG, base64url. */
export function randomToken(bytes = 32): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** A uniformly random 6-digit code from the CSPRNG (rejection sampling: no modulo bias). */
export function generateCode(): string {
  const buf = new Uint32Array(1);
  const limit = Math.floor(0x1_0000_0000 / 1_000_000) * 1_000_000;
  do crypto.getRandomValues(buf); while (buf[0] >= limit);
  return String(buf[0] % 1_000_000).padStart(6, "0");
}

/** Compares two strings in time that depends only on their lengths. */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  let diff = x.length ^ y.length;
  const n = Math.max(x.length, y.length);
  for (let i = 0; i < n; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
