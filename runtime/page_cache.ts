import { createHash } from "node:crypto";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

/** The content codings a cached page is kept in, best first. */
export type ContentCoding = "br" | "gzip" | "identity";
const CODINGS: readonly ContentCoding[] = ["br", "gzip", "identity"];

/** One rendering of a page, kept ready to send in every coding. */
export interface CachedPage {
  readonly bodies: Readonly<Record<ContentCoding, Uint8Array<ArrayBuffer>>>;
  /** A strong validator of the identity body (If-None-Match → 304). */
  readonly etag: string;
  /** Headers that belong to the rendering (content type, its CSP), not to one request. */
  readonly headers: Readonly<Record<string, string>>;
  /** What the page shows: one salon's id, or "" when it may show any salon. */
  readonly tag: string;
  readonly expiresAt: number;
  readonly bytes: number;
}

export interface PageCacheOptions {
  ttlMs: number;
  maxBytes: number;
  /** Milliseconds since the epoch (the app's clock, so tests can move it). */
  now: () => number;
}

/**
 * Rendered pages shared by every visitor whose request renders the same bytes, in one process.
 * Nothing here is needed by another instance: each keeps its own copy of pages all of them can
 * render, bounded in age (`ttlMs`) and size (`maxBytes`, least recently used dropped first).
 * Freshness comes from {@link invalidate}, called when the database announces a change; a
 * rendering that was in progress when a change arrived is not kept, since it may predate it.
 */
export class PageCache {
  readonly #entries = new Map<string, CachedPage>();
  readonly #inflight = new Map<string, Promise<void>>();
  #bytes = 0;
  #generation = 0;

  constructor(private readonly options: PageCacheOptions) {}

  get size(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Changes with every invalidation; pass the value read before rendering to {@link store}. */
  get generation(): number {
    return this.#generation;
  }

  get(key: string): CachedPage | undefined {
    const page = this.#entries.get(key);
    if (!page) return undefined;
    this.#entries.delete(key);
    if (page.expiresAt <= this.options.now()) {
      this.#bytes -= page.bytes;
      return undefined;
    }
    this.#entries.set(key, page); // most recently used last
    return page;
  }

  /**
   * Keeps a rendering unless the cache was invalidated since `generation` was read (the page may
   * show data from before that change) or it is larger than a quarter of the whole cache.
   */
  store(
    key: string,
    rendering: { html: string; headers: Record<string, string>; tag: string },
    generation: number,
  ): CachedPage | undefined {
    if (generation !== this.#generation) return undefined;
    const identity = new TextEncoder().encode(rendering.html);
    const bodies = encodeBodies(identity);
    const bytes = bodies.br.length + bodies.gzip.length + identity.length + key.length * 2;
    if (bytes > this.options.maxBytes / 4) return undefined;
    const page: CachedPage = {
      bodies,
      etag: `"${createHash("sha256").update(identity).digest("base64url").slice(0, 27)}"`,
      headers: rendering.headers,
      tag: rendering.tag,
      expiresAt: this.options.now() + this.options.ttlMs,
      bytes,
    };
    this.#remove(key);
    this.#entries.set(key, page);
    this.#bytes += bytes;
    for (const [oldest, old] of this.#entries) {
      if (this.#bytes <= this.options.maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= old.bytes;
    }
    return page;
  }

  /** Drops every page of salon `tag` and every page that may show any salon; "" drops all. */
  invalidate(tag: string): void {
    this.#generation++;
    for (const [key, page] of this.#entries) {
      if (tag === "" || page.tag === "" || page.tag === tag) this.#remove(key);
    }
  }

  /**
   * One rendering per key at a time: the first caller renders (`render`), callers arriving
   * meanwhile wait for it and then look again. Returns what `render` returned, or undefined for a
   * caller that waited (it should call {@link get}, and render itself if still nothing is there).
   */
  async once<T>(key: string, render: () => Promise<T>): Promise<T | undefined> {
    const pending = this.#inflight.get(key);
    if (pending) {
      await pending;
      return undefined;
    }
    let done!: () => void;
    this.#inflight.set(key, new Promise<void>((resolve) => (done = resolve)));
    try {
      return await render();
    } finally {
      this.#inflight.delete(key);
      done();
    }
  }

  #remove(key: string) {
    const page = this.#entries.get(key);
    if (!page) return;
    this.#entries.delete(key);
    this.#bytes -= page.bytes;
  }
}

/**
 * A body in every coding, compressed once: brotli at `brotliQuality` (6 suits pages rendered
 * often; 11 suits build files compressed once per process), gzip at level 6.
 */
export function encodeBodies(
  identity: Uint8Array<ArrayBuffer>,
  brotliQuality = 6,
): Record<ContentCoding, Uint8Array<ArrayBuffer>> {
  return {
    br: brotliCompressSync(identity, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: brotliQuality,
        [constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
      },
    }),
    gzip: gzipSync(identity, { level: 6 }),
    identity,
  } as Record<ContentCoding, Uint8Array<ArrayBuffer>>;
}

/** The best coding the client accepts (RFC 9110 Accept-Encoding; `q=0` refuses). */
export function negotiateCoding(acceptEncoding: string | undefined): ContentCoding {
  if (!acceptEncoding) return "identity";
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
    weights.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  let best: ContentCoding = "identity";
  let bestWeight = 0;
  for (const coding of CODINGS) {
    const weight = weights.get(coding) ?? weights.get("*") ?? (coding === "identity" ? 1 : 0);
    if (weight > bestWeight) [best, bestWeight] = [coding, weight];
  }
  return best;
}
