import { personLabel } from "@/components/dashboard/people.ts";
import { reviewDate, Stars } from "@/components/reviews.tsx";
import {
  BUTTON,
  BUTTON_SECONDARY,
  Csrf,
  DashboardLayout,
  Field,
  FormErrors,
  formFor,
  Intent,
  Notice,
  TextArea,
} from "@/components/dashboard/ui.tsx";
import { formatNumber } from "@/i18n/format.ts";
import { type AppContext, defineHandlers, definePage, page } from "@/routes/_define.ts";
import {
  listDashboardReviews,
  replyToSalonReview,
  REVIEW_SHOWS,
  type ReviewShow,
  setSalonReviewHidden,
} from "@/services/dashboard/reviews.ts";
import { REASON_TEXT_MAX, REPLY_TEXT_MAX } from "@/services/reviews/model.ts";
import { ValidationError } from "@/services/errors.ts";
import {
  type DashboardContext,
  dashboardContext,
  formPageData,
  type FormState,
  NO_FORM,
  type RouteAccess,
  submitForm,
} from "../_guard.ts";

export const access: RouteAccess = "manager";

const NOTICES = ["replied", "hidden", "unhidden"] as const;

function showOf(value: string | undefined): ReviewShow {
  return REVIEW_SHOWS.includes(value as ReviewShow) ? value as ReviewShow : "all";
}

async function load(c: AppContext, ctx: DashboardContext, form: FormState) {
  const show = showOf(form.intent ? form.values.show : c.req.query("show"));
  const list = await listDashboardReviews(c.var.deps.db, ctx.actor, ctx.salon.id, {
    show,
    before: form.intent ? null : c.req.query("before") ?? null,
  });
  return page({
    ...await formPageData(c, ctx, "reviews", form, NOTICES),
    ...list,
    show,
  }, { title: c.var.state.t("dash.nav.reviews") });
}

/**
 * `/dashboard/:salon/reviews?show=all|unanswered|hidden&before=`: the salon's reviews, newest first,
 * hidden ones included, with stars, text, service and staff. Managers reply (one reply per review;
 * replying again replaces it) and hide or show a review again, with a reason. Through
 * services/dashboard/reviews.ts (the review services, audited in the same transaction).
 */
export const handler = defineHandlers({
  async GET(c) {
    return await load(c, await dashboardContext(c, "manager"), NO_FORM);
  },
  async POST(c) {
    const ctx = await dashboardContext(c, "manager");
    const db = c.var.deps.db;
    return await submitForm(c, async (values) => {
      const id = values.review_id ?? "";
      const show = showOf(values.show);
      let notice: (typeof NOTICES)[number];
      if (values.intent === "reply") {
        await replyToSalonReview(db, ctx.actor, ctx.salon.id, id, values.text ?? "");
        notice = "replied";
      } else if (values.intent === "hide" || values.intent === "unhide") {
        const hide = values.intent === "hide";
        await setSalonReviewHidden(db, ctx.actor, ctx.salon.id, id, hide, values.reason ?? "");
        notice = hide ? "hidden" : "unhidden";
      } else {
        throw new ValidationError({ intent: ["validation.invalid"] });
      }
      const query = show === "all" ? "" : `&show=${show}`;
      return c.redirect(`${ctx.base}/reviews?notice=${notice}${query}#review-${id}`, 303);
    }, (form) => load(c, ctx, form));
  },
});

export default definePage<typeof handler>(function ReviewsPage({ data, state }) {
  const { t, fmt, locale } = state;
  const { layout, counts } = data;
  const ar = locale === "ar";
  const tz = layout.salon.timezone;
  const action = `${layout.base}/reviews`;
  const tabs: [ReviewShow, string, number][] = [
    ["all", t("dash.reviews.all"), counts.all],
    ["unanswered", t("dash.reviews.unanswered"), counts.unanswered],
    ["hidden", t("dash.reviews.hidden"), counts.hidden],
  ];
  return (
    <DashboardLayout layout={layout} state={state} now={data.now}>
      {data.notice && <Notice>{t(`dash.reviews.notice.${data.notice}`)}</Notice>}
      <div class="flex flex-wrap items-center gap-3">
        <h2 class="me-auto text-xl font-semibold">{t("dash.nav.reviews")}</h2>
        {counts.average !== null && (
          <p class="flex items-center gap-2 text-sm text-stone-700">
            <Stars rating={Math.round(counts.average)} state={state} />
            <span>
              {t("dash.reviews.average", { rating: formatNumber(counts.average, fmt) })}
            </span>
          </p>
        )}
      </div>
      <nav aria-label={t("dash.reviews.filter")}>
        <ul class="flex flex-wrap gap-2">
          {tabs.map(([key, label, n]) => (
            <li>
              <a
                href={key === "all" ? action : `${action}?show=${key}`}
                aria-current={key === data.show ? "page" : undefined}
                class={`inline-block rounded-full border px-3 py-1 text-sm ${
                  key === data.show
                    ? "border-rose-700 bg-rose-50 text-rose-800"
                    : "border-stone-300 bg-white text-stone-700 hover:bg-stone-100"
                }`}
              >
                {label} <span class="text-stone-600">({formatNumber(n, fmt)})</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {data.reviews.length === 0 && <p class="text-stone-600">{t("dash.reviews.none")}</p>}
      <ul class="space-y-4" aria-label={t("dash.nav.reviews")}>
        {data.reviews.map((r) => {
          const mine = data.form.values.review_id === r.id;
          const replyForm = mine ? formFor(data.form, "reply") : NO_FORM;
          const hideForm = mine ? formFor(data.form, r.hidden ? "unhide" : "hide") : NO_FORM;
          const headingId = `review-${r.id}-title`;
          return (
            <li
              id={`review-${r.id}`}
              class={`space-y-3 rounded-xl border bg-white p-4 ${
                r.hidden ? "border-stone-300 bg-stone-50" : "border-stone-200"
              }`}
              data-review-id={r.id}
              data-hidden={r.hidden ? "true" : undefined}
              aria-labelledby={headingId}
            >
              <div class="flex flex-wrap items-center gap-x-3 gap-y-1">
                <Stars rating={r.rating} state={state} />
                <h3 id={headingId} class="font-medium">
                  <bdi>
                    {personLabel(t, {
                      name: r.reviewer,
                      phone: null,
                      deleted: r.reviewer_deleted,
                    }) ||
                      t("reviews.anonymous")}
                  </bdi>
                </h3>
                <time class="text-sm text-stone-600" dateTime={r.created_at.toISOString()}>
                  {reviewDate(r.created_at, tz, state)}
                </time>
                {r.edited && <span class="text-xs text-stone-600">{t("reviews.edited")}</span>}
                {r.hidden && (
                  <span class="rounded-full bg-stone-200 px-3 py-0.5 text-xs font-medium text-stone-800">
                    {t("dash.reviews.hiddenBadge")}
                  </span>
                )}
                <a
                  href={`${layout.base}/bookings/${r.booking_id}`}
                  class="ms-auto text-sm text-rose-700 underline"
                >
                  {t("dash.reviews.booking")}
                </a>
              </div>
              <p class="text-sm text-stone-600">
                {t("reviews.serviceWith", {
                  service: ar ? r.service_name_ar : r.service_name_en,
                  staff: ar ? r.staff_name_ar : r.staff_name_en,
                })}
              </p>
              {r.body
                ? (
                  <p class="whitespace-pre-line break-words text-stone-800" dir="auto">
                    {r.body}
                  </p>
                )
                : <p class="text-sm italic text-stone-600">{t("dash.reviews.noText")}</p>}
              {r.hidden && r.hidden_reason && (
                <p class="text-sm text-stone-700">
                  <span class="font-medium">{t("dash.reviews.hiddenBecause")}</span>{" "}
                  <bdi>{r.hidden_reason}</bdi>
                </p>
              )}
              {r.reply && (
                <div class="ms-4 space-y-1 border-s-2 border-rose-200 ps-3">
                  <p class="text-sm font-medium text-rose-800">{t("reviews.salonReply")}</p>
                  <p class="whitespace-pre-line break-words text-stone-800" dir="auto">
                    {r.reply}
                  </p>
                </div>
              )}
              <details open={mine && replyForm.intent !== "" ? true : undefined}>
                <summary class="cursor-pointer text-sm font-medium text-rose-700">
                  {r.reply ? t("dash.reviews.editReply") : t("dash.reviews.reply")}
                </summary>
                <form method="post" action={action} class="mt-2 space-y-2">
                  <Csrf state={state} />
                  <Intent value="reply" />
                  <input type="hidden" name="review_id" value={r.id} />
                  <input type="hidden" name="show" value={data.show} />
                  <FormErrors form={replyForm} />
                  <TextArea
                    name="text"
                    label={t("dash.reviews.replyLabel")}
                    form={replyForm}
                    value={r.reply ?? ""}
                    maxLength={REPLY_TEXT_MAX}
                    id={`reply-${r.id}`}
                  />
                  <p class="text-xs text-stone-600">{t("dash.reviews.replyHint")}</p>
                  <button type="submit" class={`${BUTTON} text-sm`}>
                    {r.reply ? t("dash.reviews.saveReply") : t("dash.reviews.sendReply")}
                  </button>
                </form>
              </details>
              <details open={mine && hideForm.intent !== "" ? true : undefined}>
                <summary class="cursor-pointer text-sm font-medium text-stone-700">
                  {r.hidden ? t("dash.reviews.unhide") : t("dash.reviews.hide")}
                </summary>
                <form
                  method="post"
                  action={action}
                  class="mt-2 flex flex-wrap items-end gap-3"
                >
                  <Csrf state={state} />
                  <Intent value={r.hidden ? "unhide" : "hide"} />
                  <input type="hidden" name="review_id" value={r.id} />
                  <input type="hidden" name="show" value={data.show} />
                  <div class="w-full">
                    <FormErrors form={hideForm} />
                  </div>
                  <Field
                    name="reason"
                    label={t("dash.reviews.reason")}
                    form={hideForm}
                    maxLength={REASON_TEXT_MAX}
                    id={`reason-${r.id}`}
                    required
                    class="min-w-0 flex-1 basis-64"
                    hint={r.hidden ? t("dash.reviews.unhideHint") : t("dash.reviews.hideHint")}
                  />
                  <button type="submit" class={`${BUTTON_SECONDARY} text-sm`}>
                    {r.hidden ? t("dash.reviews.unhideButton") : t("dash.reviews.hideButton")}
                  </button>
                </form>
              </details>
            </li>
          );
        })}
      </ul>
      {data.next && (
        <p>
          <a
            href={`${action}?${new URLSearchParams({
              ...(data.show === "all" ? {} : { show: data.show }),
              before: data.next,
            })}`}
            class={BUTTON_SECONDARY}
          >
            {t("dash.reviews.older")}
          </a>
        </p>
      )}
    </DashboardLayout>
  );
});
