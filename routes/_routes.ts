import type { RouteModule } from "./_define.ts";
import * as healthz from "./healthz.ts";
import * as home from "./index.tsx";
import * as readyz from "./readyz.ts";
import * as salonPage from "./salons/[slug]/index.tsx";
import * as salonBook from "./salons/[slug]/book.tsx";
import * as apiSalons from "./api/salons/index.ts";
import * as apiSalon from "./api/salons/[slug]/index.ts";
import * as apiSalonSlots from "./api/salons/[slug]/slots.ts";
import * as bookingLink from "./b/[code].ts";

/**
 * The route table: URL pattern → route file. The path is the file's path (`[slug]` → `:slug`,
 * `index` → folder, files under `api/` end with `/`); tests/routes_test.ts checks every file here.
 */
export const routes: ReadonlyArray<readonly [string, RouteModule, string]> = [
  ["/", home, "index.tsx"],
  ["/healthz", healthz, "healthz.ts"],
  ["/readyz", readyz, "readyz.ts"],
  ["/salons/:slug", salonPage, "salons/[slug]/index.tsx"],
  ["/salons/:slug/book", salonBook, "salons/[slug]/book.tsx"],
  ["/api/salons/", apiSalons, "api/salons/index.ts"],
  ["/api/salons/:slug/", apiSalon, "api/salons/[slug]/index.ts"],
  ["/api/salons/:slug/slots/", apiSalonSlots, "api/salons/[slug]/slots.ts"],
  ["/b/:code", bookingLink, "b/[code].ts"],
];
