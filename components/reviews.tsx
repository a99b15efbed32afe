import { formatNumber } from "@/i18n/format.ts";
import type { RequestState } from "@/routes/_define.ts";
import { reviewDeadline, type ReviewRow } from "@/services/reviews/model.ts";
import type { PublicReview } from "@/services/reviews/queries.ts";

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** "21 November 2026" / "٢١ نوفمبر ٢٠٢٦" in the salon's zone. */
export function reviewDate(when: Date, timeZone: string, state: RequestState): string {
  const tag = `${state.locale === "ar" ? "ar-SA" : "en-GB"}-u-ca-gregory-nu-${state.digits}`;
  const key = `${tag}|${timeZone}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(tag, {
      timeZone,
      day: "numeric",
      month: "long",
      year: "numeric",
    });
    dateFormats.set(key, format);
  }
  return format.format(when);
}

/** A notice version ("2026-11-01") as a date in the reader's language: "1 November 2026". */
export function noticeVersionLabel(version: string, state: RequestState): string {
  const date = new Date(`${version}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? version : reviewDate(date, "UTC", state);
}

/** Five stars, `rating` of them filled; screen readers hear "4 out of 5 stars". */
export function Stars(
  { rating, state, size = "text-base" }: { rating: number; state: RequestState; size?: string },
) {
  const label = state.t("reviews.stars", { rating: formatNumber(rating, state.fmt) });
  return (
    <span class={`inline-flex ${size} leading-none`} role="img" aria-label={label} title={label}>
      {[1, 2, 3, 4, 5].map((i) => (
        <span aria-hidden="true" class={i <= rating ? "text-amber-500" : "text-stone-300"}>★</span>
      ))}
    </span>
  );
}

/** One review as the public sees it: stars, who, when, service and staff, text, the reply. */
export function ReviewItem(
  { review, timeZone, state }: { review: PublicReview; timeZone: string; state: RequestState },
) {
  const { t, locale } = state;
  const ar = locale === "ar";
  return (
    <li class="bg-white rounded-xl p-4 shadow-sm border border-stone-200 space-y-2">
      <div class="flex flex-wrap items-center gap-x-3 gap-y-1">
        <Stars rating={review.rating} state={state} />
        <span class="font-medium">
          <bdi>{review.reviewer ?? t("reviews.anonymous")}</bdi>
        </span>
        <time class="text-sm text-stone-600" dateTime={review.created_at.toISOString()}>
          {reviewDate(review.created_at, timeZone, state)}
        </time>
        {review.edited && <span class="text-xs text-stone-500">{t("reviews.edited")}</span>}
      </div>
      <p class="text-sm text-stone-600">
        {t("reviews.serviceWith", {
          service: ar ? review.service.name_ar : review.service.name_en,
          staff: ar ? review.staff.name_ar : review.staff.name_en,
        })}
      </p>
      {review.text && (
        <p class="whitespace-pre-line break-words text-stone-800" dir="auto">{review.text}</p>
      )}
      {review.reply && (
        <div class="ms-4 border-s-2 border-rose-200 ps-3 space-y-1">
          <p class="text-sm font-medium text-rose-800">{t("reviews.salonReply")}</p>
          <p class="whitespace-pre-line break-words text-stone-800" dir="auto">
            {review.reply.text}
          </p>
        </div>
      )}
    </li>
  );
}

/** The salon page's list of reviews, with the link to the next page when there is one. */
export function ReviewList(
  { reviews, next, slug, timeZone, state }: {
    reviews: PublicReview[];
    next: string | null;
    slug: string;
    timeZone: string;
    state: RequestState;
  },
) {
  const { t } = state;
  if (reviews.length === 0) return <p class="text-stone-600">{t("reviews.none")}</p>;
  return (
    <div class="space-y-4">
      <ul class="space-y-3">
        {reviews.map((r) => <ReviewItem key={r.id} review={r} timeZone={timeZone} state={state} />)}
      </ul>
      {next && (
        <p>
          <a
            href={`/salons/${slug}/reviews?before=${encodeURIComponent(next)}`}
            class="text-rose-700 underline underline-offset-4"
          >
            {t("reviews.more")}
          </a>
        </p>
      )}
    </div>
  );
}

/**
 * The booking page's review part, for a completed booking: the customer's review (with the
 * salon's reply, or why it is hidden) and a link to write or change it while the 30 days last.
 */
export function BookingReviewPanel(
  { booking, review, now, state }: {
    booking: { id: string; status: string; ends_at: Date; salon_timezone: string };
    review: ReviewRow | null;
    now: Date;
    state: RequestState;
  },
) {
  const { t } = state;
  if (booking.status !== "completed") return null;
  const deadline = reviewDeadline(booking.ends_at);
  const open = now.getTime() <= deadline.getTime();
  if (!review && !open) return null;
  const until = reviewDate(deadline, booking.salon_timezone, state);
  const button =
    "inline-block rounded-full bg-rose-700 px-5 py-2 font-medium text-white hover:bg-rose-800";
  return (
    <section id="review" class="space-y-3" aria-labelledby="review-title">
      <h2 id="review-title" class="text-lg font-semibold">{t("reviews.yours")}</h2>
      {state.url.searchParams.get("reviewed") === "1" && (
        <p role="status" class="rounded-xl bg-emerald-50 border border-emerald-200 p-3">
          {t("reviews.thanks")}
        </p>
      )}
      {review
        ? (
          <div class="rounded-xl border border-stone-200 bg-white p-4 space-y-2">
            <Stars rating={review.rating} state={state} />
            {review.body && <p class="whitespace-pre-line break-words" dir="auto">{review.body}</p>}
            {review.hidden && (
              <p class="text-sm text-amber-900 bg-amber-50 rounded-lg px-3 py-2">
                {t("reviews.hiddenBySalon", { reason: review.hidden_reason ?? "" })}
              </p>
            )}
            {review.reply && (
              <div class="ms-4 border-s-2 border-rose-200 ps-3">
                <p class="text-sm font-medium text-rose-800">{t("reviews.salonReply")}</p>
                <p class="whitespace-pre-line break-words" dir="auto">{review.reply}</p>
              </div>
            )}
            {open && (
              <p class="text-sm">
                <a
                  href={`/bookings/${booking.id}/review`}
                  class="text-rose-700 underline underline-offset-4"
                >
                  {t("reviews.edit")}
                </a>{" "}
                <span class="text-stone-600">{t("reviews.openUntil", { date: until })}</span>
              </p>
            )}
          </div>
        )
        : (
          <div class="rounded-xl border border-stone-200 bg-white p-4 space-y-2">
            <p>{t("reviews.invite")}</p>
            <a href={`/bookings/${booking.id}/review`} class={button}>{t("reviews.write")}</a>
            <p class="text-sm text-stone-600">{t("reviews.openUntil", { date: until })}</p>
          </div>
        )}
    </section>
  );
}
