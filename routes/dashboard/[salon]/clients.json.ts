import { defineHandlers } from "@/routes/_define.ts";
import { searchClients } from "@/services/clients/mod.ts";
import { dashboardContext, type RouteAccess } from "../_guard.ts";

export const access: RouteAccess = "staff";

/**
 * `/dashboard/:salon/clients.json?q=`: up to 8 of the salon's clients matching a name or phone,
 * for the new-booking form's phone field (islands/ClientPhone.tsx).
 */
export const handler = defineHandlers({
  async GET(c) {
    const ctx = await dashboardContext(c, "staff");
    const { rows } = await searchClients(c.var.deps.db, ctx.actor, ctx.salon.id, {
      q: c.req.query("q") ?? "",
      limit: 8,
    });
    return c.json(
      { clients: rows.map((r) => ({ id: r.id, phone: r.phone_e164, name: r.name })) },
      200,
      { "cache-control": "no-store" },
    );
  },
});
