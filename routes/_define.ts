import type { Context } from "hono";
import type { FunctionComponent } from "preact";
import type { Config } from "@/config.ts";
import type { ReplicaReads } from "@/db/replica.ts";
import type { Db } from "@/db/types.ts";
import type { FormatOptions } from "@/i18n/format.ts";
import type { Digits, Locale, Translator } from "@/i18n/mod.ts";
import type { AssetManifest } from "@/runtime/assets.ts";
import type { OtpProvider } from "@/services/auth/otp_providers.ts";
import type { SessionUser } from "@/services/auth/users.ts";
import type { MoyasarClient } from "@/services/payments/moyasar.ts";
import type { PhotoStorage } from "@/services/photos/storage.ts";
import type { PublicPages } from "./_page_cache.ts";
import type { SessionCache } from "./_session_cache.ts";

/** Everything the app is built from; tests pass their own (database, clock, providers). */
export interface AppDeps {
  config: Config;
  db: Db;
  /** A read replica for lag-tolerant public reads (routes/_reads.ts), if configured. */
  replica?: ReplicaReads | null;
  /** The current time; tests inject a fixed or movable clock. */
  now: () => Date;
  assets: AssetManifest | null;
  /** Built files in memory, by name (production never reads them from disk per request). */
  assetFiles: Map<string, Uint8Array<ArrayBuffer>>;
  /** Delivers one-time login codes (console in development and tests, Authentica in production). */
  otp: OtpProvider;
  /** Moyasar (online payment); null or absent without keys: every booking is paid at the salon. */
  payments?: MoyasarClient | null;
  /** Where photo files are kept: the database, or S3-compatible storage when configured. */
  photos: PhotoStorage;
}

/** Per-request state every handler and page sees. */
export interface RequestState {
  locale: Locale;
  dir: "rtl" | "ltr";
  digits: Digits;
  t: Translator;
  fmt: FormatOptions;
  url: URL;
  requestId: string;
  /** The signed-in person (Bearer access token or session cookie), else null. */
  user: SessionUser | null;
  /** Send back with cookie-authenticated writes (`csrf_token` field or `x-csrf-token`); "" when signed out. */
  csrfToken: string;
  /** The signed-in person works at a salon or is a platform admin: the header links the dashboard. */
  dashboard?: boolean;
}

export type AppEnv = {
  Variables: {
    state: RequestState;
    deps: AppDeps;
    requestId: string;
    /** This instance's public page cache (null when PAGE_CACHE_SECONDS=0). */
    publicPages: PublicPages | null;
    /** This instance's signed-in page views' sessions (null when PAGE_CACHE_SECONDS=0). */
    sessionCache: SessionCache | null;
  };
};
export type AppContext = Context<AppEnv>;

/**
 * What a page tells search engines and link previews (components/SeoHead.tsx). Pages are not
 * indexed unless they say so: only public pages that read the same for everyone are.
 */
export interface PageHead {
  indexable?: boolean;
  description?: string;
  /** The picture a shared link shows (a URL on this site or the photo store). */
  image?: { url: string; width: number; height: number; alt: string };
  /** schema.org structured data, as JSON-LD. */
  jsonLd?: Record<string, unknown>;
}

export interface PageInit {
  status?: number;
  title?: string;
  headers?: Record<string, string>;
  head?: PageHead;
}

/** What a handler returns to have the route's page rendered with `data`. */
export class PageResult<D> {
  constructor(readonly data: D, readonly init: PageInit = {}) {}
}

export function page<D>(data: D, init?: PageResult<D>["init"]): PageResult<D> {
  return new PageResult(data, init);
}

export type HandlerResult<D> = Response | PageResult<D>;
export type Handler<D> = (c: AppContext) => HandlerResult<D> | Promise<HandlerResult<D>>;
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export type Handlers<D> = Partial<Record<Method, Handler<D>>>;

export interface PageProps<D> {
  data: D;
  state: RequestState;
}

/** Types a route's handlers; the page's data type is inferred from what they pass to `page()`. */
export function defineHandlers<D = undefined>(handlers: Handlers<D>): Handlers<D> {
  return handlers;
}

type DataOf<H> = H extends Handlers<infer D> ? D : undefined;

/** Types a route's page from its handlers: `definePage<typeof handler>(…)`. */
export function definePage<H = Handlers<undefined>>(
  component: FunctionComponent<PageProps<DataOf<H>>>,
): FunctionComponent<PageProps<DataOf<H>>> {
  return component;
}

export interface RouteModule {
  // Each route's data type differs; the router hands a page exactly what its own handler returned.
  handler?: Handlers<unknown>;
  default?: FunctionComponent<PageProps<never>>;
  /** Page title for routes without a handler. */
  title?: (state: RequestState) => string;
  /**
   * Marks a public page whose signed-out rendering depends only on its URL, the language, the
   * digit style, the clock and the database: it is rendered once and shared (routes/_page_cache.ts).
   * `tag` names the salon whose changes end the rendering ("" for pages showing any salon), or
   * is null for a rendering that must not be shared.
   */
  cache?: PublicPageCache<never>;
  /** A larger request body limit than the app's 64 KB, in bytes (photo uploads). */
  maxBodyBytes?: number;
}

export interface PublicPageCache<D> {
  tag: (data: D) => string | null;
  /**
   * Nothing but the header's visitor links differs for a signed-in visitor: they get the shared
   * rendering with their own links swapped in, instead of a rendering of their own.
   */
  sameWhenSignedIn?: boolean;
}

/** Types a route's cache policy from its handlers: `publicPage<typeof handler>({ tag })`. */
export function publicPage<H>(policy: PublicPageCache<DataOf<H>>): PublicPageCache<DataOf<H>> {
  return policy;
}
