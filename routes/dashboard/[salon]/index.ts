import { defineHandlers } from "@/routes/_define.ts";
import { dashboardContext, type RouteAccess } from "../_guard.ts";

export const access: RouteAccess = "staff";

/** `/dashboard/:salon` → its agenda (after the same checks as every dashboard page). */
export const handler = defineHandlers({
  async GET(c) {
    const ctx = await dashboardContext(c, "staff");
    return c.redirect(`${ctx.base}/agenda`, 303);
  },
});
