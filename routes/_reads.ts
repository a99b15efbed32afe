import { getCookie, setCookie } from "hono/cookie";
import type { Queryable } from "@/db/types.ts";
import type { AppContext } from "./_define.ts";

/** Set after a write: until the time it holds, this visitor's public reads stay on the primary. */
const PRIMARY_COOKIE = "primary_until";
/** Well past the replica's allowed lag (REPLICA_MAX_LAG_MS): the visitor sees what they just did. */
const READ_YOUR_WRITES_MS = 5000;

/**
 * Where a public read that tolerates a second of lag (search, salon pages, reviews, slots on
 * display) goes: the read replica while it is healthy, else the primary. The primary also answers
 * a visitor who has just written (read your own writes) and, right after a change was announced,
 * renderings the page cache would keep. Writes, and every re-check inside one, use `deps.db`.
 */
export function publicReads(c: AppContext): Queryable {
  const { db, replica, now } = c.var.deps;
  if (!replica) return db;
  if (Number(getCookie(c, PRIMARY_COOKIE)) > now().getTime()) return db;
  if (c.var.publicPages?.changedWithin(replica.maxLagMs)) return db;
  return replica.current();
}

/** Keeps the visitor's next reads on the primary after a successful write (with a replica only). */
export function rememberWrite(c: AppContext): void {
  const { replica, now, config } = c.var.deps;
  if (!replica) return;
  setCookie(c, PRIMARY_COOKIE, String(now().getTime() + READ_YOUR_WRITES_MS), {
    path: "/",
    maxAge: READ_YOUR_WRITES_MS / 1000,
    httpOnly: true,
    sameSite: "Lax",
    secure: config.appEnv === "production",
  });
}
