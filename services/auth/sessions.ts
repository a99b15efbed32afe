import { jwtVerify, SignJWT } from "jose";
import type { Config } from "@/config.ts";
import type { Db, Queryable } from "@/db/types.ts";
import { log } from "@/log.ts";
import { UnauthorizedError } from "@/services/errors.ts";
import { derivedSigningKey, keyedHash, randomToken, sha256Hex, toBase64Url } from "./crypto.ts";
import {
  type Role,
  roleOf,
  type SessionUser,
  type User,
  USER_COLUMNS,
  userFromRow,
  type UserRow,
} from "./users.ts";

type AuthConfig = Pick<Config, "appSecret" | "auth">;

export interface Tokens {
  access: string;
  refresh: string;
  sessionId: string;
  accessExpiresAt: Date;
  refreshExpiresAt: Date;
}

export interface AccessClaims {
  userId: string;
  role: Role;
  sessionId: string;
  /** When the token ends (read from a token; not needed to sign one). */
  expiresAt?: Date;
}

const ISSUER = "salon";

function jwtKey(secret: string): Promise<CryptoKey> {
  return derivedSigningKey(secret, "jwt");
}

/** A short-lived HS256 access token: `sub` user id, `role`, `sid` session id. */
export async function signAccessToken(
  config: AuthConfig,
  now: Date,
  claims: AccessClaims,
): Promise<{ token: string; expiresAt: Date }> {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + config.auth.accessTtlSeconds;
  const token = await new SignJWT({ role: claims.role, sid: claims.sessionId })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(ISSUER)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(await jwtKey(config.appSecret));
  return { token, expiresAt: new Date(exp * 1000) };
}

/** The claims of a valid, unexpired access token at `now`; null for anything else. */
export async function readAccessToken(
  config: AuthConfig,
  now: Date,
  token: string,
): Promise<AccessClaims | null> {
  try {
    const { payload } = await jwtVerify(token, await jwtKey(config.appSecret), {
      algorithms: ["HS256"],
      issuer: ISSUER,
      audience: ISSUER,
      currentDate: now,
    });
    const { sub, sid, role, exp } = payload;
    if (typeof sub !== "string" || typeof sid !== "string") return null;
    if (role !== "admin" && role !== "customer") return null;
    const expiresAt = exp === undefined ? undefined : new Date(exp * 1000);
    return { userId: sub, sessionId: sid, role, expiresAt };
  } catch {
    return null;
  }
}

async function refreshHash(token: string): Promise<string> {
  // Refresh tokens are 256 random bits: a plain SHA-256 is enough to make a stolen table useless.
  return await sha256Hex(token);
}

/**
 * The one token that succeeds `presented` (an HMAC of it under the app secret): every use of a
 * token within the grace window hands out this same successor, so a session never forks.
 */
async function successorOf(config: AuthConfig, presented: string): Promise<string> {
  const hex = await keyedHash(config.appSecret, "refresh-successor", presented);
  return toBase64Url(Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16)));
}

async function issueRefresh(
  db: Queryable,
  config: AuthConfig,
  sessionId: string,
  now: Date,
  token = randomToken(32),
): Promise<{ token: string; expiresAt: Date }> {
  const expiresAt = new Date(now.getTime() + config.auth.refreshTtlSeconds * 1000);
  await db.query(
    `INSERT INTO refresh_tokens (session_id, token_hash, created_at, expires_at)
     VALUES ($1, $2, $3, $4)`,
    [sessionId, await refreshHash(token), now, expiresAt],
  );
  return { token, expiresAt };
}

/** Starts a session for `user` (inside the caller's transaction) and returns its first tokens. */
export async function createSession(
  tx: Queryable,
  config: AuthConfig,
  now: Date,
  user: User,
  meta: { userAgent?: string | null; ip?: string | null } = {},
): Promise<Tokens> {
  const [session] = await tx.query<{ id: string }>(
    `INSERT INTO sessions (user_id, created_at, last_used_at, user_agent, ip)
     VALUES ($1, $2, $2, $3, $4) RETURNING id`,
    [user.id, now, (meta.userAgent ?? "").slice(0, 300), meta.ip ?? null],
  );
  const refresh = await issueRefresh(tx, config, session.id, now);
  const access = await signAccessToken(config, now, {
    userId: user.id,
    role: roleOf(user),
    sessionId: session.id,
  });
  return {
    access: access.token,
    refresh: refresh.token,
    sessionId: session.id,
    accessExpiresAt: access.expiresAt,
    refreshExpiresAt: refresh.expiresAt,
  };
}

/**
 * Rotates a refresh token: the presented token is retired and a new one issued in the same
 * session. Takes the token's and its session's row locks, so simultaneous uses run one after
 * another: a retired token presented again within the grace window (two tabs refreshing at once)
 * gets the same successor as the first use; after it, the reuse means the token leaked, so the
 * whole session (every token and access token descending from the login) is revoked. Throws
 * UnauthorizedError for unknown, expired, revoked or reused tokens.
 */
export async function rotateRefreshToken(
  db: Db,
  config: AuthConfig,
  now: Date,
  presented: string,
): Promise<Tokens & { user: User }> {
  const hash = await refreshHash(presented);
  const outcome = await db.transaction(async (tx) => {
    const [row] = await tx.query<
      {
        id: string;
        session_id: string;
        expires_at: Date;
        rotated_at: Date | null;
        revoked_at: Date | null;
      }
    >(
      `SELECT rt.id, rt.session_id, rt.expires_at, rt.rotated_at, s.revoked_at
       FROM refresh_tokens rt JOIN sessions s ON s.id = rt.session_id
       WHERE rt.token_hash = $1
       FOR UPDATE OF rt, s`,
      [hash],
    );
    if (!row || row.revoked_at || row.expires_at <= now) return { kind: "invalid" as const };
    const successor = await successorOf(config, presented);
    let refresh: { token: string; expiresAt: Date } | undefined;
    if (row.rotated_at) {
      const age = now.getTime() - row.rotated_at.getTime();
      if (age > config.auth.refreshReuseGraceSeconds * 1000) {
        await tx.query(
          `UPDATE sessions SET revoked_at = $2, revoked_reason = 'refresh_reuse'
           WHERE id = $1 AND revoked_at IS NULL`,
          [row.session_id, now],
        );
        return { kind: "reused" as const, sessionId: row.session_id };
      }
      const [issued] = await tx.query<{ expires_at: Date }>(
        "SELECT expires_at FROM refresh_tokens WHERE token_hash = $1 AND session_id = $2",
        [await refreshHash(successor), row.session_id],
      );
      if (issued) refresh = { token: successor, expiresAt: issued.expires_at };
    } else {
      await tx.query("UPDATE refresh_tokens SET rotated_at = $2 WHERE id = $1", [row.id, now]);
    }
    const [userRow] = await tx.query<UserRow>(
      `SELECT ${
        USER_COLUMNS.split(", ").map((c) => `u.${c}`).join(", ")
      } FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.id = $1 AND u.is_active`,
      [row.session_id],
    );
    if (!userRow) return { kind: "invalid" as const };
    await tx.query("UPDATE sessions SET last_used_at = $2 WHERE id = $1", [row.session_id, now]);
    refresh ??= await issueRefresh(tx, config, row.session_id, now, successor);
    return { kind: "ok" as const, sessionId: row.session_id, refresh, user: userFromRow(userRow) };
  });
  if (outcome.kind === "reused") {
    log.warn("auth.refresh_reuse", { session_id: outcome.sessionId });
  }
  if (outcome.kind !== "ok") throw new UnauthorizedError("auth.session.invalid");
  const access = await signAccessToken(config, now, {
    userId: outcome.user.id,
    role: roleOf(outcome.user),
    sessionId: outcome.sessionId,
  });
  return {
    access: access.token,
    refresh: outcome.refresh.token,
    sessionId: outcome.sessionId,
    accessExpiresAt: access.expiresAt,
    refreshExpiresAt: outcome.refresh.expiresAt,
    user: outcome.user,
  };
}

/** Ends a session: its refresh tokens stop working and so do access tokens naming it. */
export async function revokeSession(
  db: Queryable,
  sessionId: string,
  now: Date,
  reason: "logout" | "refresh_reuse" | "admin" = "logout",
): Promise<void> {
  await db.query(
    "UPDATE sessions SET revoked_at = $2, revoked_reason = $3 WHERE id = $1 AND revoked_at IS NULL",
    [sessionId, now, reason],
  );
}

/** The session a refresh token belongs to (for logout by refresh token), or null. */
export async function sessionOfRefreshToken(db: Queryable, token: string): Promise<string | null> {
  const [row] = await db.query<{ session_id: string }>(
    "SELECT session_id FROM refresh_tokens WHERE token_hash = $1",
    [await refreshHash(token)],
  );
  return row?.session_id ?? null;
}

/**
 * The user of a live session, or null when the session was revoked or the user disabled; with
 * whether they work at a salon (pages link the dashboard), in the same round trip.
 */
export async function loadSessionUser(
  db: Queryable,
  claims: AccessClaims,
  via: SessionUser["via"],
): Promise<SessionUser | null> {
  const [row] = await db.query<UserRow & { works_at_salon: boolean }>(
    `SELECT ${USER_COLUMNS.split(", ").map((c) => `u.${c}`).join(", ")},
            EXISTS (SELECT 1 FROM salon_memberships m WHERE m.user_id = u.id) AS works_at_salon
     FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND u.is_active`,
    [claims.sessionId, claims.userId],
  );
  if (!row) return null;
  const user = userFromRow(row);
  return {
    ...user,
    role: roleOf(user),
    sessionId: claims.sessionId,
    via,
    worksAtSalon: row.works_at_salon,
  };
}

/** The CSRF token of a session: forms and scripts send it back with cookie-authenticated writes. */
export async function csrfTokenFor(config: Pick<Config, "appSecret">, sessionId: string) {
  return (await keyedHash(config.appSecret, "csrf", sessionId)).slice(0, 43);
}
