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
 * A live session's user and CSRF token, kept by one app instance for signed-in page views under
 * the access token that proved it (so it is verified once), so a page view costs no database round
 * trip (writes and the API always ask the database). Kept only
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

  /**
   * The user and CSRF token of the session whose access token is `token`: from memory when this
   * very token was verified and its session found live before (until the token expires), else from
   * `load` (which verifies the token and reads the session), and then kept.
   */
  async remember(
    token: string,
    load: () => Promise<{ claims: AccessClaims; user: SessionUser; csrfToken: string } | null>,
  ): Promise<{ user: SessionUser; csrfToken: string } | null> {
    const kept = this.#cache.get(token);
    if (kept) return kept;
    if (!this.#keeping) await this.#listen();
    const generation = this.#cache.generation;
    const loaded = await load();
    if (loaded && this.#keeping) {
      const { claims, user, csrfToken } = loaded;
      const expiresAt = Math.min(
        this.deps.now().getTime() + this.deps.config.pageCache.ttlMs,
        claims.expiresAt?.getTime() ?? 0,
      );
      const entry = { user, csrfToken, tag: claims.userId, expiresAt, bytes: ENTRY_BYTES };
      this.#cache.put(token, entry, generation);
    }
    return loaded;
  }

  /** After a write through this instance: it may have ended a session. */
  forgetAll(): void {
    this.#cache.invalidate("");
  }
}
