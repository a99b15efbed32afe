import { Buffer } from "node:buffer";
import { configureZatca } from "@/services/zatca/settings.ts";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { compress } from "hono/compress";
import { getCookie, setCookie } from "hono/cookie";
import { etag } from "hono/etag";
import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import { VisitorLinks } from "@/components/SiteHeader.tsx";
import { dirOf, type Locale, negotiateLocale, translator } from "@/i18n/mod.ts";
import { log } from "@/log.ts";
import { ASSET_PREFIX } from "@/runtime/assets.ts";
import { registerIslands } from "@/runtime/islands.ts";
import {
  type CachedPage,
  type ContentCoding,
  encodeBodies,
  negotiateCoding,
} from "@/runtime/page_cache.ts";
import { renderDocument, type RenderedDocument } from "@/runtime/render.ts";
import { islands } from "@/islands/mod.ts";
import { AppError } from "@/services/errors.ts";
import NotFoundPage, { title as notFoundTitle } from "@/routes/_404.tsx";
import { AppShell } from "@/routes/_app.tsx";
import {
  type AppContext,
  type AppDeps,
  type AppEnv,
  type Method,
  type PageInit,
  type PageProps,
  PageResult,
  type RequestState,
  type RouteModule,
} from "@/routes/_define.ts";
import ErrorPage from "@/routes/_error.tsx";
import { errorBody, inputErrorOf } from "@/routes/_http.ts";
import { PublicPages, sendCachedPage } from "@/routes/_page_cache.ts";
import { rememberWrite } from "@/routes/_reads.ts";
import { routes } from "@/routes/_routes.ts";
import { sessionMiddleware } from "@/routes/_session.ts";
import { SessionCache } from "@/routes/_session_cache.ts";
import type { FunctionComponent } from "preact";

export type { AppDeps };

const MAX_BODY_BYTES = 64 * 1024;
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const isApi = (path: string) => path.startsWith("/api/");

/**
 * The Content-Security-Policy: scripts only from this origin, plus a page's own inline boot script
 * and style by hash (no nonce, so a rendering can be shared); payment forms may go to Moyasar.
 */
function contentSecurityPolicy(
  deps: AppDeps,
  doc: Pick<RenderedDocument, "scriptHashes" | "styleHashes"> = {
    scriptHashes: [],
    styleHashes: [],
  },
): string {
  const formAction = ["'self'", ...(deps.payments ? [deps.payments.checkoutOrigin] : [])];
  return [
    "default-src 'self'",
    ["script-src 'self'", ...doc.scriptHashes].join(" "),
    `style-src ${doc.styleHashes.join(" ") || "'none'"}`,
    ["img-src 'self' data:", ...(deps.photos.origin ? [deps.photos.origin] : [])].join(" "),
    "connect-src 'self'",
    `form-action ${formAction.join(" ")}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join("; ");
}

function renderInShell<D>(
  c: AppContext,
  component: FunctionComponent<PageProps<D>>,
  data: D,
  init: PageInit,
  alsoStyle?: string,
): RenderedDocument {
  const state = c.var.state;
  const doc = h(AppShell, {
    state,
    title: init.title,
    head: init.head,
    publicUrl: c.var.deps.config.publicUrl,
    children: h(component, { data, state }),
  });
  return renderDocument(doc, { assets: c.var.deps.assets, alsoStyle });
}

/** Renders a page component inside the shell as a full HTML response. */
export function renderPage<D>(
  c: AppContext,
  component: FunctionComponent<PageProps<D>>,
  data: D,
  init: PageInit = {},
): Response {
  const doc = renderInShell(c, component, data, init);
  c.header("content-security-policy", contentSecurityPolicy(c.var.deps, doc));
  return c.html(doc.html, (init.status ?? 200) as 200, init.headers);
}

async function runHandler(c: AppContext, path: string, module: RouteModule, method: Method) {
  const handler = module.handler?.[method];
  const result = handler ? await handler(c) : new PageResult(undefined);
  if (result instanceof Response) return result;
  if (!module.default) throw new Error(`${path} returned page data but has no page component`);
  return { component: module.default as FunctionComponent<PageProps<unknown>>, result };
}

function mount(app: Hono<AppEnv>, path: string, module: RouteModule, pages: PublicPages | null) {
  const handlers = module.handler ?? {};
  const methods = Object.keys(handlers) as Method[];
  if (module.default && !handlers.GET) methods.push("GET");
  for (const method of methods) {
    app.on(method, path, async (c) => {
      if (method !== "GET" || !module.cache || !pages) {
        return await renderRoute(c, path, module, method);
      }
      const key = pages.keyOf(c);
      if (key !== null) return await sharedPage(c, path, module, { pages, key });
      const signedInKey = module.cache.sameWhenSignedIn ? pages.signedInKeyOf(c) : null;
      if (signedInKey === null) return await renderRoute(c, path, module, method);
      return await signedInPage(c, path, module, { pages, key: signedInKey });
    });
  }
}

type Shared = { pages: PublicPages; key: string };

/** What running a public route for the shared rendering gave. */
type SharedRun =
  | { kind: "response"; response: Response }
  | { kind: "page"; page: CachedPage }
  /** A page not to be shared (not a plain 200, or the cache is not keeping): render it as usual. */
  | { kind: "own"; component: FunctionComponent<PageProps<unknown>>; result: PageResult<unknown> };

/** Runs a public route and keeps its plain 200 page in the public page cache under `key`. */
async function runShared(
  c: AppContext,
  path: string,
  module: RouteModule,
  { pages, key }: Shared,
): Promise<SharedRun> {
  if (!pages.keeping) await pages.listen();
  const generation = pages.cache.generation;
  const run = await runHandler(c, path, module, "GET");
  if (run instanceof Response) return { kind: "response", response: run };
  const { component, result } = run;
  const status = result.init.status ?? 200;
  const tag = status === 200 ? module.cache?.tag(result.data as never) ?? null : null;
  if (pages.keeping && tag !== null) {
    const title = titleOf(c, module, result);
    const doc = renderInShell(
      c,
      component,
      result.data,
      { ...result.init, title },
      signedInLinksForStyle(c.var.state),
    );
    const headers = {
      ...result.init.headers,
      "content-type": "text/html; charset=UTF-8",
      "content-security-policy": contentSecurityPolicy(c.var.deps, doc),
    };
    const page = pages.cache.store(key, { html: doc.html, headers, tag }, generation);
    if (page) return { kind: "page", page };
  }
  return { kind: "own", component, result };
}

function titleOf(c: AppContext, module: RouteModule, result: PageResult<unknown>) {
  return result.init.title ?? module.title?.(c.var.state);
}

function sendRun(c: AppContext, module: RouteModule, run: SharedRun): Response {
  if (run.kind === "response") return run.response;
  if (run.kind === "page") return sendCachedPage(c, run.page);
  const { component, result } = run;
  return renderPage(c, component, result.data, {
    ...result.init,
    title: titleOf(c, module, result),
  });
}

/**
 * The shared rendering under `key`: kept, or rendered once (concurrent askers wait for it and look
 * again). Undefined when another request rendered it and it is already gone.
 */
async function keptOrRendered(
  c: AppContext,
  path: string,
  module: RouteModule,
  shared: Shared,
): Promise<SharedRun | undefined> {
  const { pages, key } = shared;
  const kept = pages.cache.get(key);
  if (kept) return { kind: "page", page: kept };
  const run = await pages.cache.once(key, () => runShared(c, path, module, shared));
  if (run) return run;
  const fresh = pages.cache.get(key);
  return fresh && { kind: "page", page: fresh };
}

/** A signed-out visitor's page: the shared rendering, rendered once per key. */
async function sharedPage(c: AppContext, path: string, module: RouteModule, shared: Shared) {
  const run = await keptOrRendered(c, path, module, shared);
  return run ? sendRun(c, module, run) : await renderRoute(c, path, module, "GET");
}

/**
 * A signed-in visitor's page: the shared rendering with their own header links (rendering the
 * shared one first, as a signed-out visitor, when it is not kept).
 */
async function signedInPage(c: AppContext, path: string, module: RouteModule, shared: Shared) {
  const own = c.var.state;
  c.set("state", { ...own, user: null, dashboard: false, csrfToken: "" });
  let run: SharedRun | undefined;
  try {
    run = await keptOrRendered(c, path, module, shared);
  } finally {
    c.set("state", own);
  }
  if (run?.kind === "page") {
    return splicedPage(c, run.page) ?? await renderRoute(c, path, module, "GET");
  }
  return run ? sendRun(c, module, run) : await renderRoute(c, path, module, "GET");
}

const encoder = new TextEncoder();
/** Where the signed-out visitor part sits in each shared page's bytes (null: not exactly once). */
const visitorPartAt = new WeakMap<CachedPage, { part: string; at: number | null }>();

/**
 * A signed-in visitor's page from the signed-out rendering: the header's visitor part (login link)
 * swapped for theirs (their name, the dashboard link), byte for byte, without decoding the page.
 * The page's style already covers both (see `signedInLinksForStyle`), so its policy hash holds.
 * Null when the part is not found exactly once.
 */
function splicedPage(c: AppContext, page: CachedPage): Response | null {
  const state = c.var.state;
  const signedOut = renderToString(
    h(VisitorLinks, { state: { ...state, user: null, dashboard: false } }),
  );
  const body = page.bodies.identity;
  let found = visitorPartAt.get(page);
  if (found?.part !== signedOut) {
    const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    const part = encoder.encode(signedOut);
    const at = bytes.indexOf(part);
    const once = at >= 0 && bytes.indexOf(part, at + 1) < 0;
    found = { part: signedOut, at: once ? at : null };
    visitorPartAt.set(page, found);
  }
  if (found.at === null) return null;
  const own = encoder.encode(renderToString(h(VisitorLinks, { state })));
  const partBytes = encoder.encode(signedOut).byteLength;
  const html = new Uint8Array(body.byteLength - partBytes + own.byteLength);
  html.set(body.subarray(0, found.at));
  html.set(own, found.at);
  html.set(body.subarray(found.at + partBytes), found.at + own.byteLength);
  return c.body(html, 200, { ...page.headers, "cache-control": "private, no-cache" });
}

/** The signed-in variant of the header's visitor part, for the CSS of shared renderings. */
function signedInLinksForStyle(state: RequestState): string {
  const user = { firstName: "-", lastName: "", phoneNumber: "" } as RequestState["user"];
  return renderToString(h(VisitorLinks, { state: { ...state, user, dashboard: true } }));
}

/** Runs a route and renders its page for this request alone. */
async function renderRoute(
  c: AppContext,
  path: string,
  module: RouteModule,
  method: Method,
): Promise<Response> {
  const run = await runHandler(c, path, module, method);
  if (run instanceof Response) return run;
  const { component, result } = run;
  return renderPage(c, component, result.data, {
    ...result.init,
    title: titleOf(c, module, result),
  });
}

/** Routes that take larger bodies (photo uploads) and their limits, by URL pattern. */
function bodyLimits(): [RegExp, number][] {
  return routes.filter(([, module]) => module.maxBodyBytes).map(([path, module]) => [
    new RegExp(`^${path.replace(/:[a-z]+/gi, "[^/]+")}$`),
    module.maxBodyBytes!,
  ]);
}

/** Blocks cross-site unsafe requests from browsers (Sec-Fetch-Site, else Origin). */
function isCrossSite(c: AppContext, publicUrl: string | undefined): boolean {
  const site = c.req.header("sec-fetch-site");
  if (site) return site !== "same-origin" && site !== "none";
  const origin = c.req.header("origin");
  if (!origin) return false;
  return origin !== (publicUrl ?? new URL(c.req.url).origin);
}

/** Builds the whole application; tests drive it with `app.request()`. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  registerIslands(islands);
  configureZatca(deps.config.zatca.keyEncryptionKey);
  const app = new Hono<AppEnv>();
  const production = deps.config.appEnv === "production";
  const pages = deps.config.pageCache.ttlMs > 0 ? new PublicPages(deps) : null;
  const sessions = deps.config.pageCache.ttlMs > 0 ? new SessionCache(deps) : null;
  const defaultPolicy = contentSecurityPolicy(deps);

  app.use(async (c, next) => {
    const started = performance.now();
    const requestId = c.req.header("x-request-id")?.slice(0, 64) || crypto.randomUUID();
    c.set("deps", deps);
    c.set("requestId", requestId);
    c.set("publicPages", pages);
    c.set("sessionCache", sessions);
    // Headers set before the body are part of the response Hono builds; set on a finished one
    // they make it copy the response. A handler's own Response (or a page's own policy) comes
    // without them or replaces them: those get them added in place.
    c.header("x-request-id", requestId);
    await next();
    const headers = c.res.headers;
    if (!headers.has("x-request-id")) headers.set("x-request-id", requestId);
    // Pages set their own policy (with their inline code's hashes); all else gets the strict one.
    if (!headers.has("content-security-policy")) {
      headers.set("content-security-policy", defaultPolicy);
    }
    log.info("http.request", {
      request_id: requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  });

  // Pages and JSON over 1 KB go out gzip-compressed when the client takes it (shared pages and
  // build files come already compressed and pass through untouched).
  app.use(compress({ encoding: "gzip" }));

  // The security headers every response carries, set before the body (part of the response Hono
  // builds) and added in place to a handler's own Response.
  const securityHeaders = Object.entries({
    ...SECURITY_HEADERS,
    ...(production ? { "strict-transport-security": "max-age=63072000; includeSubDomains" } : {}),
  });
  app.use(async (c, next) => {
    for (const [name, value] of securityHeaders) c.header(name, value);
    await next();
    const headers = c.res.headers;
    if (headers.has("x-content-type-options")) return;
    for (const [name, value] of securityHeaders) headers.set(name, value);
  });

  app.use(async (c, next) => {
    const url = new URL(c.req.url);
    const query = url.searchParams.get("lang");
    const locale: Locale = negotiateLocale({
      query,
      cookie: getCookie(c, "lang"),
      acceptLanguage: c.req.header("accept-language"),
    });
    if (query === locale) {
      setCookie(c, "lang", locale, {
        path: "/",
        maxAge: 60 * 60 * 24 * 365,
        sameSite: "Lax",
        secure: production,
      });
    }
    const digitsCookie = getCookie(c, "digits");
    const digits = digitsCookie === "latn" || digitsCookie === "arab"
      ? digitsCookie
      : locale === "ar"
      ? "arab"
      : "latn";
    const state: RequestState = {
      locale,
      dir: dirOf(locale),
      digits,
      t: translator(locale),
      fmt: { locale, digits },
      url,
      requestId: c.var.requestId,
      user: null,
      csrfToken: "",
    };
    c.set("state", state);
    c.header("content-language", locale);
    c.header("vary", "Accept-Language, Cookie");
    await next();
  });

  // Writes only: cross-site browser requests are refused and bodies are bounded (more for the
  // few routes that declare `maxBodyBytes`); after a successful one the writer reads from the
  // primary for a while.
  const limitOf = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new AppError(413, "error.bodyTooLarge");
      },
    });
  const defaultLimit = limitOf(MAX_BODY_BYTES);
  const largerLimits = bodyLimits().map(([pattern, size]) => [pattern, limitOf(size)] as const);
  app.on(
    [...UNSAFE],
    "*",
    async (c, next) => {
      if (isCrossSite(c, deps.config.publicUrl)) throw new AppError(403, "error.csrf");
      try {
        await next();
      } finally {
        // It may have ended a session (a sign-out, a disabled user): ask the database again.
        sessions?.forgetAll();
      }
      if (c.res.status < 400) rememberWrite(c);
    },
    (c, next) => {
      const larger = largerLimits.find(([pattern]) => pattern.test(c.req.path));
      return (larger?.[1] ?? defaultLimit)(c, next);
    },
  );

  // Who is asking (Bearer or session cookie, refreshed transparently) and CSRF for cookie writes.
  app.use(sessionMiddleware);

  // Pages link the dashboard for people who work at a salon (read with the session).
  app.use(async (c, next) => {
    const user = c.var.state.user;
    if (user && !isApi(c.req.path)) {
      c.var.state.dashboard = user.role === "admin" || Boolean(user.worksAtSalon);
    }
    await next();
  });

  // Build files never change under their URL: each is compressed once, on its first request.
  const assetBodies = new Map<string, Record<ContentCoding, Uint8Array<ArrayBuffer>>>();
  app.get(`${ASSET_PREFIX}/:buildId/:file`, (c) => {
    const { buildId, file } = c.req.param();
    const body = deps.assets?.buildId === buildId ? deps.assetFiles.get(file) : undefined;
    if (!body) return c.notFound();
    let bodies = assetBodies.get(file);
    if (!bodies) assetBodies.set(file, bodies = encodeBodies(body, 11));
    const coding = negotiateCoding(c.req.header("accept-encoding"));
    return c.body(bodies[coding], 200, {
      "content-type": file.endsWith(".js")
        ? "text/javascript; charset=utf-8"
        : "application/octet-stream",
      "cache-control": "public, max-age=31536000, immutable",
      vary: "Accept-Encoding",
      ...(coding === "identity" ? {} : { "content-encoding": coding }),
    });
  });

  app.use("/static/*", etag(), async (c, next) => {
    const name = c.req.path.slice("/static/".length);
    if (!/^[a-zA-Z0-9_-]+(\.[a-zA-Z0-9]+)+$/.test(name)) return await next();
    try {
      const body = await Deno.readFile(new URL(`./static/${name}`, import.meta.url));
      return c.body(body, 200, {
        "content-type": STATIC_TYPES[name.split(".").pop()!] ?? "application/octet-stream",
        "cache-control": "no-cache",
      });
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return await next();
      throw err;
    }
  });

  for (const [path, module] of routes) mount(app, path, module, pages);

  app.notFound((c) => {
    const state = c.var.state;
    if (isApi(c.req.path)) return c.json({ detail: state.t("error.notFound") }, 404);
    return renderPage(c, NotFoundPage, undefined, { status: 404, title: notFoundTitle(state) });
  });

  app.onError((thrown, c) => {
    // A schema's `parse` or a value Postgres cannot hold as text: the client's mistake, a 400.
    const err = inputErrorOf(thrown) ?? thrown;
    const state = c.var.state ?? {
      ...translatorState("ar"),
      url: new URL(c.req.url),
      requestId: "",
    };
    if (err instanceof AppError) {
      if (err.status === 429 && "retryAfterSeconds" in err) {
        c.header("retry-after", String(err.retryAfterSeconds));
      }
      if (isApi(c.req.path) || c.req.header("accept")?.includes("application/json")) {
        return c.json(errorBody(err, state.t), err.status);
      }
      if (err.status === 404) return renderPage(c, NotFoundPage, undefined, { status: 404 });
      if (err.status === 401 && c.req.method === "GET") {
        const next = encodeURIComponent(c.req.path + new URL(c.req.url).search);
        return c.redirect(`/login?next=${next}`, 303);
      }
      return renderPage(c, ErrorPage, state.t(err.messageKey, err.params), { status: err.status });
    }
    log.error("http.unhandled_error", {
      request_id: state.requestId,
      path: c.req.path,
      error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
      stack: err instanceof Error ? err.stack : undefined,
    });
    if (isApi(c.req.path)) return c.json({ detail: state.t("error.internal") }, 500);
    return renderPage(c, ErrorPage, state.t("error.server.body"), { status: 500 });
  });

  return app;
}

function translatorState(locale: Locale) {
  return {
    locale,
    dir: dirOf(locale),
    digits: "arab" as const,
    t: translator(locale),
    fmt: { locale },
  };
}

/**
 * What Hono's secureHeaders sent, less the obsolete X-XSS-Protection (off in every current browser)
 * and X-Download-Options (IE 8's); the CSP is set per response above.
 */
const SECURITY_HEADERS = {
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "origin-agent-cluster": "?1",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "x-dns-prefetch-control": "off",
  "x-frame-options": "SAMEORIGIN",
  "x-permitted-cross-domain-policies": "none",
};

const STATIC_TYPES: Record<string, string> = {
  svg: "image/svg+xml",
  png: "image/png",
  ico: "image/x-icon",
  txt: "text/plain; charset=utf-8",
  css: "text/css; charset=utf-8",
};
