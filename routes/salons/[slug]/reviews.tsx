import { onlyLanguage } from "@/components/SeoHead.tsx";
import { Rating } from "@/components/catalog.tsx";
import { ReviewList } from "@/components/reviews.tsx";
import { defineHandlers, definePage, page, publicPage } from "@/routes/_define.ts";
import { getSalon, loc } from "@/services/catalog.ts";
import { listSalonReviews } from "@/services/reviews/queries.ts";
import { publicReads } from "@/routes/_reads.ts";

/** /salons/:slug/reviews?before=<cursor>: every visible review of a salon, 20 a page. */
export const handler = defineHandlers({
  async GET(c) {
    const db = publicReads(c);
    const { t, locale } = c.var.state;
    const salon = await getSalon(db, c.req.param("slug")!);
    const before = c.req.query("before") ?? null;
    const reviews = await listSalonReviews(db, salon.id, { limit: 20, before });
    return page({ salon, reviews, first: !before }, {
      title: t("reviews.pageTitle", { salon: loc(salon, "name", locale) }),
      head: { indexable: onlyLanguage(c.req.url) },
    });
  },
});

export const cache = publicPage<typeof handler>({
  tag: ({ salon }) => salon.id,
  sameWhenSignedIn: true,
});

export default definePage<typeof handler>(function SalonReviewsPage({ data, state }) {
  const { salon, reviews } = data;
  const { t, locale } = state;
  return (
    <article class="max-w-3xl mx-auto space-y-6">
      <header class="space-y-2">
        <p class="text-sm text-stone-600">
          <a
            href={`/salons/${salon.slug}`}
            class="underline underline-offset-4 hover:text-rose-700"
          >
            {loc(salon, "name", locale)}
          </a>
        </p>
        <h1 class="text-2xl font-bold">{t("reviews.title")}</h1>
        <Rating avg={salon.rating_avg} count={salon.rating_count} state={state} />
      </header>
      <ReviewList
        reviews={reviews.reviews}
        next={reviews.next}
        slug={salon.slug}
        timeZone={salon.timezone}
        state={state}
      />
      {!data.first && (
        <p>
          <a
            href={`/salons/${salon.slug}/reviews`}
            class="text-rose-700 underline underline-offset-4"
          >
            {t("reviews.newest")}
          </a>
        </p>
      )}
    </article>
  );
});
