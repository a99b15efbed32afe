/**
 * The guard every dashboard handler calls first, and the form plumbing the dashboard pages share.
 *
 * `dashboardContext(c, "manager" | "staff")`: anonymous → 401 (GET: redirect to /login), someone
 * who does not work at the salon in the URL → 404 (its existence is not revealed), staff on a
 * manager's page → 403. The services called afterwards check the same again themselves.
 *
 * Each dashboard route module also declares `export const access: RouteAccess`: what it requires.
 * tests/dashboard_authz_test.ts walks the route table and holds every module to its declaration.
 */
import type { z } from "zod";
import type { AppContext, PageResult } from "@/routes/_define.ts";
import { page } from "@/routes/_define.ts";
import { formValues, validationErrorFrom } from "@/routes/_http.ts";
import { assertAdmin, assertSignedIn } from "@/services/auth/authorize.ts";
import type { SessionUser } from "@/services/auth/users.ts";
import {
  dashboardAccess,
  type DashboardActor,
  type DashboardSalon,
  type MembershipSummary,
  type Need,
  type SalonAccess,
  salonsOf,
} from "@/services/dashboard/access.ts";
import { AppError, ValidationError } from "@/services/errors.ts";

/**
 * What a dashboard route requires: anyone working at the salon, a manager, a platform admin, or
 * (only `/dashboard` itself, which lists the caller's own salons) anyone signed in.
 */
export type RouteAccess = "staff" | "manager" | "admin" | "signedIn";

export interface DashboardContext {
  salon: DashboardSalon;
  access: SalonAccess;
  actor: DashboardActor;
  user: SessionUser;
  /** Base path of this salon's dashboard: `/dashboard/<slug>`. */
  base: string;
}

/** What the dashboard layout needs on every page: the salon, the role, the switcher. */
export interface LayoutData {
  salon: DashboardSalon;
  role: SalonAccess["role"];
  viaAdmin: boolean;
  salons: MembershipSummary[];
  base: string;
  /** The nav entry of this page. */
  current: string;
}

/** Checks the caller and the salon of the URL (`:salon`); see the module comment. */
export async function dashboardContext(c: AppContext, need: Need): Promise<DashboardContext> {
  const state = c.var.state;
  assertSignedIn(state);
  const { db, now } = c.var.deps;
  const { salon, access } = await dashboardAccess(db, state.user, c.req.param("salon") ?? "", need);
  return {
    salon,
    access,
    actor: { user: state.user, now: now(), requestId: state.requestId },
    user: state.user,
    base: `/dashboard/${salon.slug}`,
  };
}

/** The platform admin guard (/admin): anonymous → 401, anyone else → 403. */
export function adminContext(c: AppContext): { actor: DashboardActor; user: SessionUser } {
  const state = c.var.state;
  assertSignedIn(state);
  assertAdmin(state.user);
  return {
    actor: { user: state.user, now: c.var.deps.now(), requestId: state.requestId },
    user: state.user,
  };
}

/** The layout data for a page of `ctx` whose nav entry is `current`. */
export async function layoutOf(
  c: AppContext,
  ctx: DashboardContext,
  current: string,
): Promise<LayoutData> {
  return {
    salon: ctx.salon,
    role: ctx.access.role,
    viaAdmin: ctx.access.viaAdmin,
    salons: await salonsOf(c.var.deps.db, ctx.user.id),
    base: ctx.base,
    current,
  };
}

/**
 * The data every dashboard page with forms starts with: its layout, the form as posted (shown
 * again with its errors) and, when nothing was posted, the notice of the redirect that led here.
 */
export async function formPageData<K extends string>(
  c: AppContext,
  ctx: DashboardContext,
  current: string,
  form: FormState,
  notices: readonly K[],
): Promise<{ layout: LayoutData; form: FormState; notice: K | null; now: Date }> {
  return {
    layout: await layoutOf(c, ctx, current),
    form,
    notice: form.intent ? null : noticeOf(c, notices),
    now: ctx.actor.now,
  };
}

/** A form as posted and its localized errors, for re-rendering it. */
export interface FormState {
  /** Which form of the page was posted (its `intent`). */
  intent: string;
  values: Record<string, string>;
  errors: Record<string, string[]>;
}

export const NO_FORM: FormState = { intent: "", values: {}, errors: {} };

/** Parses `values` with `schema`; failures become a ValidationError with catalog keys. */
export function parseForm<S extends z.ZodType>(
  schema: S,
  values: Record<string, string>,
): z.infer<S> {
  const parsed = schema.safeParse(values);
  if (!parsed.success) throw validationErrorFrom(parsed.error);
  return parsed.data;
}

/**
 * Handles a dashboard form post: `run` parses, calls a service and returns the 303; a
 * ValidationError (bad input, 400) or a conflict the person can fix (409) re-renders the page
 * through `rerender` with the values as typed and the localized messages. Other errors propagate.
 */
export async function submitForm<D>(
  c: AppContext,
  run: (values: Record<string, string>) => Promise<Response>,
  rerender: (form: FormState) => Promise<PageResult<D>>,
): Promise<Response | PageResult<D>> {
  const values = await formValues(c);
  delete values.csrf_token;
  const t = c.var.state.t;
  try {
    return await run(values);
  } catch (err) {
    let errors: Record<string, string[]>;
    let status: number;
    if (err instanceof ValidationError) {
      errors = Object.fromEntries(
        Object.entries(err.fields).map(([field, keys]) => [field, keys.map((k) => t(k))]),
      );
      errors.form = [t(err.messageKey)];
      status = 400;
    } else if (err instanceof AppError && err.status === 409) {
      errors = { form: [t(err.messageKey, err.params)] };
      status = 409;
    } else {
      throw err;
    }
    const result = await rerender({ intent: values.intent ?? "", values, errors });
    return page(result.data, { ...result.init, status });
  }
}

/** A safe notice key from the query string (`?notice=saved`), or null. */
export function noticeOf<K extends string>(c: AppContext, allowed: readonly K[]): K | null {
  const value = c.req.query("notice");
  return allowed.includes(value as K) ? value as K : null;
}
