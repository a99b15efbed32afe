import { Stars } from "@/components/reviews.tsx";
import { formatNumber } from "@/i18n/format.ts";
import type { MessageKey } from "@/i18n/mod.ts";
import { assertSignedIn } from "@/services/auth/authorize.ts";
import { type BookingDetails, getBookingDetails } from "@/services/bookings/mod.ts";
import { AppError, ValidationError } from "@/services/errors.ts";
import {
  createReview,
  editReview,
  getReviewOfBooking,
  REVIEW_TEXT_MAX,
  REVIEW_WINDOW_DAYS,
  reviewBlock,
  reviewDeadline,
  type ReviewRow,
} from "@/services/reviews/mod.ts";
import { type AppContext, defineHandlers, definePage, page } from "../../_define.ts";
import { formValues } from "../../_http.ts";

interface ReviewPageData {
  booking: BookingDetails;
  review: ReviewRow | null;
  /** Why the form is not offered (not completed, or the 30 days are over). */
  closed: MessageKey | null;
  values: { rating: string; text: string };
  errors: Record<string, string[]>;
  problem: string | null;
}

async function load(c: AppContext) {
  const state = c.var.state;
  assertSignedIn(state);
  const db = c.var.deps.db;
  const booking = await getBookingDetails(db, c.req.param("id") ?? "", {
    customerId: state.user.id,
  });
  const review = await getReviewOfBooking(db, booking.id, state.user.id);
  const now = c.var.deps.now();
  const block = review
    ? (now.getTime() > reviewDeadline(booking.ends_at).getTime() ? "tooLate" : null)
    : reviewBlock(booking, null, now);
  const closed: MessageKey | null = block === "notCompleted"
    ? "review.notCompleted"
    : block === "tooLate"
    ? "review.tooLate"
    : null;
  return { booking, review, closed, userId: state.user.id, now };
}

/**
 * /bookings/:id/review: the customer rates a completed visit (1–5 stars and optional text), or
 * changes their review, within 30 days. A plain form; POST → 303 to the booking page.
 */
export const handler = defineHandlers<ReviewPageData>({
  async GET(c) {
    const { booking, review, closed } = await load(c);
    return page({
      booking,
      review,
      closed,
      values: { rating: review ? String(review.rating) : "", text: review?.body ?? "" },
      errors: {},
      problem: null,
    });
  },

  async POST(c) {
    const { t } = c.var.state;
    const { booking, review, closed, userId, now } = await load(c);
    const form = await formValues(c);
    const values = { rating: form.rating ?? "", text: (form.text ?? "").slice(0, 5000) };
    const rating = /^[1-5]$/.test(values.rating) ? Number(values.rating) : NaN;
    try {
      if (Number.isNaN(rating)) throw new ValidationError({ rating: ["review.rating.invalid"] });
      const input = { bookingId: booking.id, customerId: userId, rating, text: values.text, now };
      if (review) await editReview(c.var.deps.db, input);
      else await createReview(c.var.deps.db, input);
      return c.redirect(`/bookings/${booking.id}?reviewed=1#review`, 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.status === 401 || err.status === 403) throw err;
      const errors = err instanceof ValidationError
        ? Object.fromEntries(
          Object.entries(err.fields).map(([field, keys]) => [field, keys.map((k) => t(k))]),
        )
        : {};
      const problem = err instanceof ValidationError ? null : t(err.messageKey, err.params);
      return page({ booking, review, closed, values, errors, problem }, { status: err.status });
    }
  },
});

export default definePage<typeof handler>(function ReviewPage({ data, state }) {
  const { booking: b, review, closed } = data;
  const { t, locale } = state;
  const ar = locale === "ar";
  const ratingErrors = data.errors.rating;
  const textErrors = data.errors.text;
  return (
    <article class="max-w-xl mx-auto space-y-6">
      <header class="space-y-1">
        <h1 class="text-2xl font-bold">
          {review ? t("reviews.editTitle") : t("reviews.formTitle")}
        </h1>
        <p class="text-stone-700">
          {t("reviews.serviceWith", {
            service: ar ? b.service_name_ar : b.service_name_en,
            staff: ar ? b.staff_name_ar : b.staff_name_en,
          })} · {ar ? b.salon_name_ar : b.salon_name_en}
        </p>
      </header>
      {data.problem && (
        <p role="alert" class="rounded-xl bg-rose-50 border border-rose-200 p-4 text-rose-900">
          {data.problem}
        </p>
      )}
      {closed && !data.problem
        ? (
          <p class="rounded-xl bg-amber-50 border border-amber-200 p-4 text-amber-900">
            {t(closed, { days: formatNumber(REVIEW_WINDOW_DAYS, state.fmt) })}
          </p>
        )
        : null}
      {closed ? null : (
        <form
          method="post"
          action={`/bookings/${b.id}/review`}
          class="space-y-5 rounded-2xl bg-white shadow p-6"
          noValidate
        >
          <fieldset
            aria-invalid={ratingErrors ? "true" : undefined}
            aria-describedby={ratingErrors ? "rating-error" : undefined}
          >
            <legend class="font-medium mb-2">{t("reviews.ratingLabel")}</legend>
            <div class="flex flex-wrap gap-2">
              {[5, 4, 3, 2, 1].map((n) => (
                <label class="inline-flex items-center gap-2 rounded-full border border-stone-300 px-3 py-1.5 cursor-pointer hover:border-rose-400">
                  <input
                    type="radio"
                    name="rating"
                    value={String(n)}
                    required
                    checked={data.values.rating === String(n)}
                    class="accent-rose-700"
                  />
                  <Stars rating={n} state={state} size="text-sm" />
                </label>
              ))}
            </div>
            {ratingErrors && (
              <p id="rating-error" class="text-sm text-red-700 mt-1">{ratingErrors.join(" ")}</p>
            )}
          </fieldset>
          <label class="block">
            <span class="block font-medium mb-1">{t("reviews.textLabel")}</span>
            <textarea
              name="text"
              rows={5}
              maxLength={REVIEW_TEXT_MAX}
              dir="auto"
              aria-invalid={textErrors ? "true" : undefined}
              aria-describedby={textErrors ? "text-error text-hint" : "text-hint"}
              class="w-full rounded-lg border border-stone-300 px-3 py-2"
            >
              {data.values.text}
            </textarea>
            <span id="text-hint" class="block text-xs text-stone-500 mt-1">
              {t("reviews.textHint", { max: formatNumber(REVIEW_TEXT_MAX, state.fmt) })}
            </span>
            {textErrors && (
              <span id="text-error" class="block text-sm text-red-700 mt-1">
                {textErrors.join(" ")}
              </span>
            )}
          </label>
          <button
            type="submit"
            class="rounded-full bg-rose-700 px-6 py-2 font-medium text-white hover:bg-rose-800"
          >
            {review ? t("reviews.save") : t("reviews.submit")}
          </button>
          <input type="hidden" name="csrf_token" value={state.csrfToken} />
        </form>
      )}
      <p>
        <a href={`/bookings/${b.id}`} class="text-rose-700 underline underline-offset-4">
          {t("reviews.backToBooking")}
        </a>
      </p>
    </article>
  );
});
