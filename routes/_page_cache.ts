import { SessionUnavailableError } from "@/db/types.ts";
import { log } from "@/log.ts";
import { type CachedPage, negotiateCoding, PageCache, ValueCache } from "@/runtime/page_cache.ts";
import type { AppContext, AppDeps, RequestState } from "./_define.ts";

/** The channel the database announces changes to public pages on (migration 0009). */
const CHANNEL = "public_pages";
const VARY = "Accept-Language, Cookie, Accept-Encoding";

/**
 * The public page cache of one app instance: pages marked `cache` in their route module are
 * rendered once per language, digit style and URL for every signed-out visitor. Pages are kept
 * only while this instance listens to the database's change announcements, so a change made
 * through any instance (or straight in SQL) drops the pages it touches within moments; `ttlMs`
 * bounds how long the clock alone can leave a page behind (a slot that has just passed).
 */
export class PublicPages {
  readonly cache: PageCache;
  /** Query results public pages are rendered from, for visitors who get their own rendering. */
  readonly values: ValueCache;
  #keeping = false;
  #starting: Promise<void> | undefined;
  #changedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly deps: AppDeps) {
    const { ttlMs, maxBytes } = deps.config.pageCache;
    const now = () => deps.now().getTime();
    this.cache = new PageCache({ ttlMs, maxBytes, now });
    this.values = new ValueCache({ ttlMs, maxBytes: maxBytes / 4, now });
  }

  #invalidate(salonId: string) {
    this.#changedAt = performance.now();
    this.cache.invalidate(salonId);
    this.values.invalidate(salonId);
  }

  /**
   * Listening starts with the first public page asked for; until then nothing is kept. A failed
   * start (the database unreachable) is tried again by a later request.
   */
  listen(): Promise<void> {
    this.#starting ??= this.deps.db.listen(
      CHANNEL,
      (salonId) => this.#invalidate(salonId),
      // A (re)connect may have missed announcements: start from nothing.
      () => this.#invalidate(""),
    ).then(
      () => {
        this.#keeping = true;
      },
      (err) => {
        if (err instanceof SessionUnavailableError) {
          this.#keeping = true;
          log.warn("page_cache.time_limited", {
            seconds: this.deps.config.pageCache.ttlMs / 1000,
            hint: "set DATABASE_DIRECT_URL so changes end cached pages at once",
          });
          return;
        }
        this.#starting = undefined;
        log.warn("page_cache.listen_failed", { error: String(err) });
      },
    );
    return this.#starting;
  }

  /** Pages may be kept: listening to change announcements, or time-limited behind a pooler. */
  get keeping(): boolean {
    return this.#keeping;
  }

  /** A change was announced in the last `ms` (a replica may not have replayed it yet). */
  changedWithin(ms: number): boolean {
    return performance.now() - this.#changedAt < ms;
  }

  /** The cache key, or null when this request must be rendered for its own asker. */
  keyOf(c: AppContext): string | null {
    const state = c.var.state;
    if (state.user || c.req.header("authorization")) return null;
    return pageKey(state);
  }

  /** For a visitor signed in by cookie: the key of the page signed-out visitors get. */
  signedInKeyOf(c: AppContext): string | null {
    const state = c.var.state;
    return !state.user || c.req.header("authorization") ? null : pageKey(state);
  }
}

function pageKey(state: RequestState): string {
  return `${state.locale} ${state.digits} ${state.url.pathname}${state.url.search}`;
}

/**
 * The result of `compute` shared between requests under the same rules as public pages: kept
 * until salon `tag` ("" = any salon; a function reads it off the result) changes or the page
 * cache's time is up. For the queries behind a public page that signed-in visitors, who get a
 * rendering of their own, also need.
 */
export async function sharedValue<T>(
  c: AppContext,
  key: string,
  tag: string | ((value: T) => string),
  compute: () => Promise<T>,
): Promise<T> {
  const pages = c.var.publicPages;
  if (!pages) return await compute();
  if (!pages.keeping) await pages.listen();
  return pages.keeping ? await pages.values.remember(key, tag, compute) : await compute();
}

/** Sends a cached page in the best coding the client takes, or 304 when it has this one. */
export function sendCachedPage(c: AppContext, page: CachedPage): Response {
  const shared = { etag: page.etag, "cache-control": "no-cache", vary: VARY };
  const ifNoneMatch = c.req.header("if-none-match");
  if (ifNoneMatch && (ifNoneMatch.trim() === "*" || ifNoneMatch.includes(page.etag))) {
    return c.body(null, 304, shared);
  }
  const coding = negotiateCoding(c.req.header("accept-encoding"));
  const headers: Record<string, string> = { ...page.headers, ...shared };
  if (coding !== "identity") headers["content-encoding"] = coding;
  return c.body(page.bodies[coding], 200, headers);
}
