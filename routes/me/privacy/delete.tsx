import { formatNumber } from "@/i18n/format.ts";
import { assertSignedIn } from "@/services/auth/authorize.ts";
import { deleteAccount } from "@/services/privacy/delete.ts";
import { defineHandlers, definePage, page, type RequestState } from "../../_define.ts";
import { formValues } from "../../_http.ts";
import { clearSessionCookies } from "../../_session.ts";

export const title = (state: RequestState) => state.t("accountDeleted.title");

/**
 * POST /me/privacy/delete (confirmed, with the CSRF token): deletes the account at once, ends
 * the session and shows what happened. GET shows that page after the redirect (signed out).
 */
export const handler = defineHandlers({
  GET(c) {
    if (c.req.query("done") !== "1") return c.redirect("/me/privacy", 303);
    const cancelled = Number(c.req.query("cancelled") ?? "0");
    return page({ cancelled: Number.isInteger(cancelled) && cancelled > 0 ? cancelled : 0 });
  },

  async POST(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const form = await formValues(c);
    if (form.confirm !== "yes") return c.redirect("/me/privacy?error=confirm#delete", 303);
    const result = await deleteAccount(c.var.deps.db, state.user.id, c.var.deps.now());
    clearSessionCookies(c);
    return c.redirect(`/me/privacy/delete?done=1&cancelled=${result.cancelledBookings}`, 303);
  },
});

export default definePage<typeof handler>(function AccountDeletedPage({ data, state }) {
  const { t } = state;
  return (
    <section class="max-w-lg mx-auto bg-white rounded-2xl shadow p-6 space-y-4">
      <h1 class="text-2xl font-bold">{t("accountDeleted.title")}</h1>
      <p class="text-stone-700">{t("accountDeleted.body")}</p>
      {data.cancelled > 0 && (
        <p class="text-stone-700">
          {t("accountDeleted.cancelled", { count: formatNumber(data.cancelled, state.fmt) })}
        </p>
      )}
      <a href="/" class="text-rose-700 underline underline-offset-4">{t("error.backHome")}</a>
    </section>
  );
});
