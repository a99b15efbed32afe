import { createHash } from "node:crypto";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

/** The content codings a cached page is kept in, best first. */
export type ContentCoding = "br" | "gzip" | "identity";
const CODINGS: readonly ContentCoding[] = ["br", "gzip", "identity"];

/** What every kept thing carries: what it shows, until when, and its size. */
export interface Tagged {
  /** One salon's id, or "" when it may show any salon. */
  readonly tag: string;
  readonly expiresAt: number;
  readonly bytes: number;
}

/** One rendering of a page, kept ready to send in every coding. */
export interface CachedPage extends Tagged {
  readonly bodies: Readonly<Record<ContentCoding, Uint8Array<ArrayBuffer>>>;
  /** A strong validator of the identity body (If-None-Match → 304). */
  readonly etag: string;
  /** Headers that belong to the rendering (content type, its CSP), not to one request. */
  readonly headers: Readonly<Record<string, string>>;
}

export interface CacheOptions {
  ttlMs: number;
  maxBytes: number;
  /** Milliseconds since the epoch (the app's clock, so tests can move it). */
  now: () => number;
}

/**
 * Things shared by every request that would compute the same thing, in one process. Nothing here
 * is needed by another instance: each keeps its own copy of what all of them can compute, bounded
 * in age (`ttlMs`) and size (`maxBytes`, least recently used dropped first). Freshness comes from
 * {@link invalidate}, called when the database announces a change; a computation that was in
 * progress when a change arrived is not kept, since it may predate it.
 */
export class TaggedCache<E extends Tagged> {
  readonly #entries = new Map<string, E>();
  readonly #inflight = new Map<string, Promise<void>>();
  #bytes = 0;
  #generation = 0;

  constructor(protected readonly options: CacheOptions) {}

  get size(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Changes with every invalidation; pass the value read before computing to {@link put}. */
  get generation(): number {
    return this.#generation;
  }

  get(key: string): E | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (entry.expiresAt <= this.options.now()) {
      this.#bytes -= entry.bytes;
      return undefined;
    }
    this.#entries.set(key, entry); // most recently used last
    return entry;
  }

  /**
   * Keeps an entry unless the cache was invalidated since `generation` was read (it may show data
   * from before that change) or it is larger than a quarter of the whole cache.
   */
  put(key: string, entry: E, generation: number): E | undefined {
    if (generation !== this.#generation || entry.bytes > this.options.maxBytes / 4) {
      return undefined;
    }
    this.#remove(key);
    this.#entries.set(key, entry);
    this.#bytes += entry.bytes;
    for (const [oldest, old] of this.#entries) {
      if (this.#bytes <= this.options.maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= old.bytes;
    }
    return entry;
  }

  /** Drops everything of salon `tag` and everything that may show any salon; "" drops all. */
  invalidate(tag: string): void {
    this.#generation++;
    for (const [key, entry] of this.#entries) {
      if (tag === "" || entry.tag === "" || entry.tag === tag) this.#remove(key);
    }
  }

  /**
   * One computation per key at a time: the first caller computes (`compute`), callers arriving
   * meanwhile wait for it and then look again. Returns what `compute` returned, or undefined for a
   * caller that waited (it should call {@link get}, and compute itself if still nothing is there).
   */
  async once<T>(key: string, compute: () => Promise<T>): Promise<T | undefined> {
    const pending = this.#inflight.get(key);
    if (pending) {
      await pending;
      return undefined;
    }
    let done!: () => void;
    this.#inflight.set(key, new Promise<void>((resolve) => (done = resolve)));
    try {
      return await compute();
    } finally {
      this.#inflight.delete(key);
      done();
    }
  }

  #remove(key: string) {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }
}

/** Rendered pages, each in every coding with its ETag. */
export class PageCache extends TaggedCache<CachedPage> {
  store(
    key: string,
    rendering: { html: string; headers: Record<string, string>; tag: string },
    generation: number,
  ): CachedPage | undefined {
    if (generation !== this.generation) return undefined;
    const identity = new TextEncoder().encode(rendering.html);
    const bodies = encodeBodies(identity);
    return this.put(key, {
      bodies,
      etag: `"${createHash("sha256").update(identity).digest("base64url").slice(0, 27)}"`,
      headers: rendering.headers,
      tag: rendering.tag,
      expiresAt: this.options.now() + this.options.ttlMs,
      bytes: bodies.br.length + bodies.gzip.length + identity.length + key.length * 2,
    }, generation);
  }
}

/** A computed value (query results a page is rendered from), with its approximate size. */
export interface CachedValue extends Tagged {
  readonly value: unknown;
}

/** Values that pages rendered per request (signed-in visitors) can share. */
export class ValueCache extends TaggedCache<CachedValue> {
  /**
   * The kept value for `key`, or `compute()`'s, kept under `tag` (or the tag read off the value)
   * when nothing changed meanwhile.
   */
  async remember<T>(
    key: string,
    tag: string | ((value: T) => string),
    compute: () => Promise<T>,
  ): Promise<T> {
    const kept = this.get(key);
    if (kept) return kept.value as T;
    const generation = this.generation;
    const value = await compute();
    this.put(key, {
      value,
      tag: typeof tag === "string" ? tag : tag(value),
      expiresAt: this.options.now() + this.options.ttlMs,
      bytes: JSON.stringify(value).length * 2 + key.length * 2,
    }, generation);
    return value;
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
