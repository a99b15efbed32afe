/** Photo fixtures and a multipart upload as the dashboard's upload form sends it. */
import type { TestApp } from "./app.ts";
import type { CookieJar } from "./auth.ts";

const FIXTURES = new URL("../fixtures/photos/", import.meta.url);

/**
 * Small real images (tests/fixtures/photos): `gps_rotated.jpg` (600×400 stored, red top half,
 * blue bottom half, EXIF orientation 6 = rotate 90° clockwise, GPS position, camera make and
 * model), `iphone.heic` (800×600 HEVC), `alpha.png` (300×200, half transparent), `photo.webp`.
 */
export function fixture(name: string): Uint8Array<ArrayBuffer> {
  return Deno.readFileSync(new URL(name, FIXTURES));
}

export interface Upload {
  name: string;
  bytes: Uint8Array<ArrayBuffer>;
  /** What the browser says the file is (we never believe it). */
  type?: string;
}

/** Posts `files` (field `photos`) with `fields` as multipart/form-data, same-origin. */
export function upload(
  t: TestApp,
  path: string,
  jar: CookieJar | undefined,
  files: Upload[],
  fields: Record<string, string> = {},
): Promise<Response> {
  const form = new FormData();
  form.set("intent", "upload");
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  for (const f of files) {
    form.append("photos", new File([f.bytes], f.name, { type: f.type ?? "image/jpeg" }));
  }
  return Promise.resolve(t.app.request(path, {
    method: "POST",
    headers: {
      ...(jar ? { cookie: jar.header() } : {}),
      origin: "http://localhost",
      "sec-fetch-site": "same-origin",
    },
    body: form,
  }));
}

/** A copy of a JPEG whose frame header claims `width`×`height` (the pixels stay small). */
export function jpegClaiming(
  bytes: Uint8Array,
  width: number,
  height: number,
): Uint8Array<ArrayBuffer> {
  const out = bytes.slice();
  for (let i = 2; i + 9 < out.length;) {
    if (out[i] !== 0xff) throw new Error("not a JPEG segment");
    const marker = out[i + 1];
    const length = (out[i + 2] << 8) | out[i + 3];
    if (marker >= 0xc0 && marker <= 0xc2) {
      out[i + 5] = height >> 8;
      out[i + 6] = height & 0xff;
      out[i + 7] = width >> 8;
      out[i + 8] = width & 0xff;
      return out;
    }
    i += 2 + length;
  }
  throw new Error("no frame header");
}

/** Every stored key of the photos table's variants. */
export async function storedKeys(t: TestApp): Promise<string[]> {
  const rows = await t.db.query<{ key: string }>(
    "SELECT v ->> 'key' AS key FROM photos, jsonb_array_elements(variants) v ORDER BY 1",
  );
  return rows.map((r) => r.key);
}
