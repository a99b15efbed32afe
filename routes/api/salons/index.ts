import { defineHandlers } from "@/routes/_define.ts";
import { readQuery, SearchQuery } from "@/routes/salons/_params.ts";
import { searchSalons } from "@/services/catalog.ts";
import { publicReads } from "@/routes/_reads.ts";

/**
 * `GET /api/salons/?q=&city=&home=1`: typo-tolerant search by salon or service name (Arabic or
 * English); `home=1` keeps the salons that come to customers' homes (`home_service`).
 */
export const handler = defineHandlers({
  async GET(c) {
    const { q, city, home } = readQuery(c, SearchQuery);
    const results = await searchSalons(publicReads(c), { q, city, home, now: c.var.deps.now() });
    return c.json({
      results: results.map(({ next_available, ...r }) => ({
        ...r,
        next_available: next_available && {
          service_id: next_available.service_id,
          start: next_available.start.toISOString(),
        },
      })),
    });
  },
});
