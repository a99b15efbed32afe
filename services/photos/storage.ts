/**
 * Where photo files live, behind one small interface: the database by default (nothing to set up,
 * and `deno task serve` writes no file), or S3-compatible object storage (AWS S3, Cloudflare R2,
 * MinIO) when S3_BUCKET is set. Keys are immutable: a file is written once and deleted once.
 */
import { AwsClient } from "aws4fetch";
import type { Queryable } from "@/db/types.ts";
import type { PhotoStorageConfig } from "@/config.ts";

export interface StoredFile {
  body: Uint8Array<ArrayBuffer>;
  contentType: string;
}

export interface PhotoStorage {
  readonly kind: "database" | "s3";
  put(key: string, body: Uint8Array, contentType: string): Promise<void>;
  /** The file, or null when there is none under `key`. */
  get(key: string): Promise<StoredFile | null>;
  /** Deletes every key given; missing keys are not an error. */
  delete(keys: readonly string[]): Promise<void>;
  /**
   * Where browsers load `key` from: the app's own `/photos/<key>`, or the bucket's public (CDN)
   * origin when one is configured.
   */
  url(key: string): string;
  /** The origin images come from when it is not this site's (for the CSP's img-src), else null. */
  readonly origin: string | null;
}

const appUrl = (key: string) => `/photos/${key}`;

/** Files as rows of `photo_files` in the app's own database. */
export function databaseStorage(db: Queryable): PhotoStorage {
  return {
    kind: "database",
    async put(key, body, contentType) {
      await db.query(
        `INSERT INTO photo_files (key, content_type, body) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO NOTHING`,
        [key, contentType, body],
      );
    },
    async get(key) {
      const [row] = await db.query<{ content_type: string; body: Uint8Array }>(
        "SELECT content_type, body FROM photo_files WHERE key = $1",
        [key],
      );
      return row ? { body: new Uint8Array(row.body), contentType: row.content_type } : null;
    },
    async delete(keys) {
      if (keys.length) await db.query("DELETE FROM photo_files WHERE key = ANY($1)", [keys]);
    },
    url: appUrl,
    origin: null,
  };
}

export class StorageError extends Error {
  override name = "StorageError";
}

/**
 * Files as objects in an S3-compatible bucket, through its documented REST API (path-style
 * `<endpoint>/<bucket>/<key>`, requests signed with AWS Signature Version 4 by aws4fetch).
 */
export function s3Storage(config: Extract<PhotoStorageConfig, { kind: "s3" }>): PhotoStorage {
  const client = new AwsClient({
    accessKeyId: config.accessKeyId,
    secretAccessKey: config.secretAccessKey,
    region: config.region,
    service: "s3",
    retries: 2,
  });
  const objectUrl = (key: string) => `${config.endpoint}/${config.bucket}/${key}`;
  const call = async (key: string, init: RequestInit, ok: (status: number) => boolean) => {
    const res = await client.fetch(objectUrl(key), {
      ...init,
      signal: AbortSignal.timeout(config.timeoutMs),
    });
    if (!ok(res.status)) {
      await res.body?.cancel();
      throw new StorageError(`S3 ${init.method ?? "GET"} ${key}: HTTP ${res.status}`);
    }
    return res;
  };
  return {
    kind: "s3",
    async put(key, body, contentType) {
      const res = await call(key, {
        method: "PUT",
        body: body as Uint8Array<ArrayBuffer>,
        headers: {
          "content-type": contentType,
          "cache-control": "public, max-age=31536000, immutable",
        },
      }, (s) => s === 200);
      await res.body?.cancel();
    },
    async get(key) {
      const res = await call(key, {}, (s) => s === 200 || s === 404);
      if (res.status === 404) {
        await res.body?.cancel();
        return null;
      }
      return {
        body: new Uint8Array(await res.arrayBuffer()),
        contentType: res.headers.get("content-type") ?? "application/octet-stream",
      };
    },
    async delete(keys) {
      // One DELETE per key: DeleteObjects needs a Content-MD5, which WebCrypto cannot compute.
      await Promise.all(keys.map(async (key) => {
        const res = await call(
          key,
          { method: "DELETE" },
          (s) => s === 204 || s === 200 || s === 404,
        );
        await res.body?.cancel();
      }));
    },
    url: config.publicUrl ? (key) => `${config.publicUrl}/${key}` : appUrl,
    origin: config.publicUrl ? new URL(config.publicUrl).origin : null,
  };
}

/** The storage the configuration names. */
export function createPhotoStorage(config: PhotoStorageConfig, db: Queryable): PhotoStorage {
  return config.kind === "s3" ? s3Storage(config) : databaseStorage(db);
}
