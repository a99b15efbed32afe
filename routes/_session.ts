import type { MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Config } from "@/config.ts";
import { type ClientSignals, deviceSignal, normalizeIp } from "@/services/auth/otp.ts";
import {
  csrfTokenFor,
  loadSessionUser,
  readAccessToken,
  rotateRefreshToken,
  type Tokens,
} from "@/services/auth/sessions.ts";
import type { SessionUser } from "@/services/auth/users.ts";
import { AppError } from "@/services/errors.ts";
import type { AppContext, AppEnv } from "./_define.ts";

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** `__Host-` cookies (Secure, Path=/, no Domain) everywhere but development over plain http. */
export function cookieNames(config: Pick<Config, "appEnv">) {
  return config.appEnv === "development"
    ? { access: "salon_access", refresh: "salon_refresh" }
    : { access: "__Host-salon_access", refresh: "__Host-salon_refresh" };
}

function cookieOptions(config: Pick<Config, "appEnv">, expires: Date) {
  return {
    path: "/",
    httpOnly: true,
    sameSite: "Lax" as const,
    secure: config.appEnv !== "development",
    expires,
  };
}

/** Puts a session's tokens into HttpOnly cookies (the browser way of holding a session). */
export function setSessionCookies(c: AppContext, tokens: Tokens): void {
  const config = c.var.deps.config;
  const names = cookieNames(config);
  setCookie(c, names.access, tokens.access, cookieOptions(config, tokens.accessExpiresAt));
  setCookie(c, names.refresh, tokens.refresh, cookieOptions(config, tokens.refreshExpiresAt));
}

export function clearSessionCookies(c: AppContext): void {
  const config = c.var.deps.config;
  const names = cookieNames(config);
  const secure = config.appEnv !== "development";
  for (const name of [names.access, names.refresh]) {
    if (getCookie(c, name) !== undefined) deleteCookie(c, name, { path: "/", secure });
  }
}

/**
 * True when a browser made the request (it sends Sec-Fetch-* or Origin on fetches and forms):
 * those get the session in cookies; other clients get tokens in the body only.
 */
export function isBrowserRequest(c: AppContext): boolean {
  return Boolean(c.req.header("sec-fetch-site") || c.req.header("origin"));
}

/**
 * The client's address for rate limits: the socket's, or, behind trusted proxies, the
 * X-Forwarded-For entry the outermost of them appended. Entries to its left were written by the
 * client and can say anything.
 */
export function clientIp(c: AppContext): string | null {
  const { trustProxy, trustProxyHops } = c.var.deps.config.auth;
  if (trustProxy) {
    const entries = (c.req.header("x-forwarded-for") ?? "").split(",").map((e) => e.trim())
      .filter(Boolean);
    const forwarded = normalizeIp(entries[Math.max(0, entries.length - trustProxyHops)]);
    if (forwarded) return forwarded;
  }
  const env = c.env as { remoteAddr?: { hostname?: string } } | undefined;
  return normalizeIp(env?.remoteAddr?.hostname);
}

export async function clientSignals(
  c: AppContext,
  deviceId?: string | null,
): Promise<ClientSignals> {
  return {
    ip: clientIp(c),
    deviceSignal: await deviceSignal(
      deviceId,
      c.req.header("user-agent"),
      c.req.header("accept-language"),
    ),
  };
}

/** A same-site path to return to after login; anything else (other hosts, `//x`, `/\x`) → "/". */
export function safeNext(value: string | null | undefined, fallback = "/"): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) {
    return fallback;
  }
  const hasControl = [...value].some((ch) => ch.charCodeAt(0) < 0x20 || ch === "\\");
  if (hasControl || value.startsWith("/login")) return fallback;
  return value;
}

function bearerToken(c: AppContext): string | null {
  const header = c.req.header("authorization");
  const match = header && /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1] : null;
}

function hasSameOriginSignal(c: AppContext, publicUrl: string | undefined): boolean {
  const site = c.req.header("sec-fetch-site");
  if (site) return site === "same-origin";
  const origin = c.req.header("origin");
  return Boolean(origin) && origin === (publicUrl ?? new URL(c.req.url).origin);
}

async function presentedCsrfToken(c: AppContext): Promise<string | null> {
  const header = c.req.header("x-csrf-token");
  if (header) return header;
  const type = c.req.header("content-type") ?? "";
  if (/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) {
    try {
      const value = (await c.req.formData()).get("csrf_token");
      return typeof value === "string" ? value : null;
    } catch {
      return null;
    }
  }
  return null;
}

/** A page (not the API) read by a browser: what the session cache may answer. */
function isPageView(c: AppContext): boolean {
  return (c.req.method === "GET" || c.req.method === "HEAD") && !c.req.path.startsWith("/api/");
}

/**
 * Resolves who is asking and sets `state.user` and `state.csrfToken`:
 * - `Authorization: Bearer <access>`: the token must be valid and its session live. Browsers never
 *   attach it by themselves, so these requests need no CSRF defence.
 * - otherwise the access cookie; when it is missing or expired but the refresh cookie is there,
 *   the session is refreshed transparently (rotation) and both cookies are renewed.
 * Cookie-authenticated writes must also prove they come from our own pages: a same-origin
 * Sec-Fetch-Site / Origin, or the session's CSRF token; else 403.
 */
export const sessionMiddleware: MiddlewareHandler<AppEnv> = async (c, next) => {
  const path = c.req.path;
  if (path.startsWith("/assets/") || path.startsWith("/static/")) return await next();
  const { config, db } = c.var.deps;
  const now = c.var.deps.now();
  const state = c.var.state;
  let user: SessionUser | null = null;
  let csrfToken: string | undefined;

  const bearer = bearerToken(c);
  if (bearer) {
    const claims = await readAccessToken(config, now, bearer);
    user = claims ? await loadSessionUser(db, claims, "bearer") : null;
  } else {
    const names = cookieNames(config);
    const accessCookie = getCookie(c, names.access);
    const refreshCookie = getCookie(c, names.refresh);
    const cache = c.var.sessionCache;
    if (accessCookie && cache && isPageView(c)) {
      const session = await cache.remember(accessCookie, async () => {
        const claims = await readAccessToken(config, now, accessCookie);
        const loaded = claims && await loadSessionUser(db, claims, "cookie");
        if (!claims || !loaded) return null;
        return { claims, user: loaded, csrfToken: await csrfTokenFor(config, claims.sessionId) };
      });
      user = session?.user ?? null;
      csrfToken = session?.csrfToken;
    } else if (accessCookie) {
      const claims = await readAccessToken(config, now, accessCookie);
      user = claims ? await loadSessionUser(db, claims, "cookie") : null;
    }
    if (!user && refreshCookie) {
      try {
        const rotated = await rotateRefreshToken(db, config, now, refreshCookie);
        setSessionCookies(c, rotated);
        const claims = await readAccessToken(config, now, rotated.access);
        user = claims ? await loadSessionUser(db, claims, "cookie") : null;
      } catch (err) {
        if (!(err instanceof AppError) || err.status !== 401) throw err;
      }
    }
    if (!user && (accessCookie || refreshCookie)) clearSessionCookies(c);
  }

  if (user) {
    state.user = user;
    state.csrfToken = csrfToken ?? await csrfTokenFor(config, user.sessionId);
    if (user.via === "cookie" && UNSAFE.has(c.req.method)) {
      if (!hasSameOriginSignal(c, config.publicUrl)) {
        const token = await presentedCsrfToken(c);
        if (token !== state.csrfToken) throw new AppError(403, "error.csrf");
      }
    }
  }
  await next();
};
