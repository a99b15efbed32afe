import { formatNumber } from "@/i18n/format.ts";
import { assertSignedIn } from "@/services/auth/authorize.ts";
import { listConsents } from "@/services/privacy/consent.ts";
import { PRIVACY_NOTICE_VERSION } from "@/services/privacy/notice.ts";
import { noticeVersionLabel, reviewDate } from "@/components/reviews.tsx";
import { defineHandlers, definePage, page, type RequestState } from "../_define.ts";

export const title = (state: RequestState) => state.t("myPrivacy.title");

/**
 * /me/privacy: the notice versions the person accepted, the download of all their data, and
 * account deletion (a confirmed form posting to /me/privacy/delete).
 */
export const handler = defineHandlers({
  async GET(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const db = c.var.deps.db;
    const now = c.var.deps.now();
    const consents = await listConsents(db, state.user.id);
    const [{ upcoming }] = await db.query<{ upcoming: number }>(
      `SELECT count(*)::int AS upcoming FROM bookings
       WHERE customer_id = $1 AND status IN ('pending', 'confirmed') AND starts_at > $2`,
      [state.user.id, now],
    );
    return page({ consents, upcoming, confirmError: c.req.query("error") === "confirm" });
  },
});

const SECTION = "bg-white rounded-2xl shadow p-6 space-y-3";

export default definePage<typeof handler>(function MyPrivacyPage({ data, state }) {
  const { t } = state;
  const current = data.consents.find((c) => c.notice_version === PRIVACY_NOTICE_VERSION);
  return (
    <div class="max-w-2xl mx-auto space-y-6">
      <header class="space-y-1">
        <p class="text-sm">
          <a href="/me" class="text-stone-600 underline underline-offset-4 hover:text-rose-700">
            {t("me.title")}
          </a>
        </p>
        <h1 class="text-2xl font-bold">{t("myPrivacy.title")}</h1>
      </header>

      <section class={SECTION} aria-labelledby="notice">
        <h2 id="notice" class="text-lg font-semibold">{t("myPrivacy.notice")}</h2>
        <p class="text-stone-700">
          {current
            ? t("myPrivacy.accepted", {
              version: noticeVersionLabel(current.notice_version, state),
              date: reviewDate(current.accepted_at, "Asia/Riyadh", state),
            })
            : t("myPrivacy.notAccepted")}
        </p>
        {data.consents.length > 1 && (
          <ul class="text-sm text-stone-600 list-disc ps-6">
            {data.consents.filter((c) => c !== current).map((c) => (
              <li>
                {t("myPrivacy.accepted", {
                  version: noticeVersionLabel(c.notice_version, state),
                  date: reviewDate(c.accepted_at, "Asia/Riyadh", state),
                })}
              </li>
            ))}
          </ul>
        )}
        <a href="/privacy" class="text-rose-700 underline underline-offset-4">
          {t("myPrivacy.readNotice")}
        </a>
      </section>

      <section class={SECTION} aria-labelledby="download">
        <h2 id="download" class="text-lg font-semibold">{t("myPrivacy.download")}</h2>
        <p class="text-stone-700">{t("myPrivacy.downloadLead")}</p>
        <a
          href="/me/privacy/export"
          download
          class="inline-block rounded-full border border-stone-300 bg-white px-5 py-2 font-medium hover:bg-stone-100"
        >
          {t("myPrivacy.downloadButton")}
        </a>
      </section>

      <section
        id="delete"
        class={`${SECTION} border border-rose-200`}
        aria-labelledby="delete-title"
      >
        <h2 id="delete-title" class="text-lg font-semibold text-rose-900">
          {t("myPrivacy.delete")}
        </h2>
        <ul class="list-disc ps-6 space-y-1 text-stone-700">
          <li>{t("myPrivacy.deleteNow")}</li>
          <li>
            {data.upcoming > 0
              ? t("myPrivacy.deleteUpcoming", { count: formatNumber(data.upcoming, state.fmt) })
              : t("myPrivacy.deleteNoUpcoming")}
          </li>
          <li>{t("myPrivacy.deleteKept")}</li>
          <li>{t("myPrivacy.deleteReviews")}</li>
          <li>{t("myPrivacy.deleteAgain")}</li>
        </ul>
        <form method="post" action="/me/privacy/delete" class="space-y-3">
          <input type="hidden" name="csrf_token" value={state.csrfToken} />
          <label class="flex items-start gap-2">
            <input
              type="checkbox"
              name="confirm"
              value="yes"
              required
              aria-invalid={data.confirmError ? "true" : undefined}
              aria-describedby={data.confirmError ? "confirm-error" : undefined}
              class="mt-1 h-4 w-4 shrink-0 accent-rose-700"
            />
            <span>{t("myPrivacy.confirm")}</span>
          </label>
          {data.confirmError && (
            <p id="confirm-error" role="alert" class="text-sm text-red-700">
              {t("myPrivacy.confirmRequired")}
            </p>
          )}
          <button
            type="submit"
            class="rounded-full bg-rose-800 px-6 py-2 font-medium text-white hover:bg-rose-900"
          >
            {t("myPrivacy.deleteButton")}
          </button>
        </form>
      </section>
    </div>
  );
});
