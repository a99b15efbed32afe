import { defineHandlers } from "@/routes/_define.ts";
import { requireSearch } from "@/routes/salons/_search.ts";
import { searchSalons } from "@/services/search/salons.ts";
import { getCoverPhotos } from "@/services/photos/public.ts";
import { publicReads } from "@/routes/_reads.ts";

/**
 * `GET /api/salons/?q=&city=&district=&audience=&home=&category=&price_min=&price_max=&rating=&date=
 * &after=&sort=`: the salons the home page's cards show, with the same fields (prices in
 * halalas, `price_min`/`price_max` asked in whole riyals). A bad filter is a localized 400.
 */
export const handler = defineHandlers({
  async GET(c) {
    const filters = requireSearch(c.req.query());
    const db = publicReads(c);
    const results = await searchSalons(db, { ...filters, now: c.var.deps.now() });
    const covers = await getCoverPhotos(db, c.var.deps.photos, results.map((r) => r.id));
    return c.json({
      results: results.map(({ next_available, ...r }) => ({
        ...r,
        rating: r.rating_avg,
        cover_photo: covers[r.id] ?? null,
        next_available: next_available && {
          service_id: next_available.service_id,
          start: next_available.start.toISOString(),
        },
      })),
    });
  },
});
