import { SessionUnavailableError } from "@/db/types.ts";
import { log } from "@/log.ts";
import { type Tagged, TaggedCache } from "@/runtime/page_cache.ts";
import type { AccessClaims } from "@/services/auth/sessions.ts";
import type { SessionUser } from "@/services/auth/users.ts";
import type { AppDeps } from "./_define.ts";

/** The database announces, by user id, changes that could end a session (migration 0029). */
const CHANNEL = "sessions";
const ENTRY_BYTES = 1024;

interface CachedSession extends Tagged {
  readonly user: SessionUser;
  readonly csrfToken: string;
}

/**
 * A live session's user and CSRF token, kept by one app instance for signed-in page views, so a
 * page view costs no database round trip (writes and the API always ask the database). Kept only
 * while this instance listens to the database's announcements: a revoked session, a disabled or
 * renamed user, a membership added or removed drop that user's entries within moments on every
 * instance; a write through this instance drops everything at once (it may have been one of
 * those). Behind a pooler without a direct connection nothing is kept.
 */
export class SessionCache {
  readonly #cache: TaggedCache<CachedSession>;
  #keeping = false;
  #starting: Promise<void> | undefined;

  constructor(private readonly deps: AppDeps) {
    const now = () => deps.now().getTime();
    const { ttlMs } = deps.config.pageCache;
    this.#cache = new TaggedCache({ ttlMs, maxBytes: 10_000 * ENTRY_BYTES, now });
  }

  #listen(): Promise<void> {
    this.#starting ??= this.deps.db.listen(
      CHANNEL,
      (userId) => this.#cache.invalidate(userId),
      () => this.#cache.invalidate(""),
    ).then(
      () => {
        this.#keeping = true;
      },
      (err) => {
        if (err instanceof SessionUnavailableError) return; // keeps nothing
        this.#starting = undefined;
        log.warn("session_cache.listen_failed", { error: String(err) });
      },
    );
    return this.#starting;
  }

  /** The session's user and CSRF token, from memory when kept, else from `load` (and kept). */
  async remember(
    claims: AccessClaims,
    load: () => Promise<{ user: SessionUser; csrfToken: string } | null>,
  ): Promise<{ user: SessionUser; csrfToken: string } | null> {
    const kept = this.#cache.get(claims.sessionId);
    if (kept && kept.user.id === claims.userId && kept.user.via === "cookie") return kept;
    if (!this.#keeping) await this.#listen();
    const generation = this.#cache.generation;
    const loaded = await load();
    if (loaded && this.#keeping) {
      const expiresAt = this.deps.now().getTime() + this.deps.config.pageCache.ttlMs;
      const entry = { ...loaded, tag: claims.userId, expiresAt, bytes: ENTRY_BYTES };
      this.#cache.put(claims.sessionId, entry, generation);
    }
    return loaded;
  }

  /** After a write through this instance: it may have ended a session. */
  forgetAll(): void {
    this.#cache.invalidate("");
  }
}
