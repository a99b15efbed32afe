import { defineHandlers, definePage, page, type RequestState } from "@/routes/_define.ts";
import { assertSignedIn } from "@/services/auth/authorize.ts";
import { salonsOf } from "@/services/dashboard/access.ts";
import type { RouteAccess } from "./_guard.ts";

/** Anyone signed in may ask; the page lists only the salons they work at. */
export const access: RouteAccess = "signedIn";

export const title = (state: RequestState) => state.t("dash.title");

/**
 * `/dashboard`: the salon switcher. Someone working at exactly one salon goes straight to its
 * agenda; platform admins also get a link to /admin; anyone else sees that they have no salon.
 */
export const handler = defineHandlers({
  async GET(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const salons = await salonsOf(c.var.deps.db, state.user.id);
    const admin = state.user.role === "admin";
    if (salons.length === 1 && !admin) {
      return c.redirect(`/dashboard/${salons[0].slug}/agenda`, 303);
    }
    return page({ salons, admin }, { title: state.t("dash.title") });
  },
});

export default definePage<typeof handler>(function DashboardIndex({ data, state }) {
  const { t, locale } = state;
  return (
    <section class="mx-auto max-w-2xl space-y-6">
      <h1 class="text-2xl font-bold">{t("dash.chooseSalon")}</h1>
      {data.salons.length === 0 && <p class="text-stone-700">{t("dash.noSalons")}</p>}
      <ul class="space-y-3">
        {data.salons.map((s) => (
          <li>
            <a
              href={`/dashboard/${s.slug}/agenda`}
              class="flex items-center gap-3 rounded-xl border border-stone-200 bg-white p-4 hover:border-rose-300"
            >
              <span class="me-auto font-semibold">{locale === "ar" ? s.name_ar : s.name_en}</span>
              <span class="rounded-full bg-stone-200 px-3 py-1 text-sm">
                {t(`dash.role.${s.role}`)}
              </span>
            </a>
          </li>
        ))}
      </ul>
      {data.admin && (
        <p>
          <a href="/admin" class="text-rose-700 underline underline-offset-4">{t("admin.title")}</a>
        </p>
      )}
    </section>
  );
});
