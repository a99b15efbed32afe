import type { RouteModule } from "./_define.ts";
import * as healthz from "./healthz.ts";
import * as home from "./index.tsx";
import * as readyz from "./readyz.ts";
import * as bookingLink from "./b/[code].ts";

/**
 * The route table: URL pattern → route file. The path is the file's path (`[slug]` → `:slug`,
 * `index` → folder, files under `api/` end with `/`); tests/routes_test.ts checks every file here.
 */
export const routes: ReadonlyArray<readonly [string, RouteModule, string]> = [
  ["/", home, "index.tsx"],
  ["/healthz", healthz, "healthz.ts"],
  ["/readyz", readyz, "readyz.ts"],
  ["/b/:code", bookingLink, "b/[code].ts"],
];
