import { assertSignedIn } from "@/services/auth/authorize.ts";
import { exportPersonalData } from "@/services/privacy/export.ts";
import { localDateOf } from "@/services/slots/load.ts";
import { defineHandlers } from "../../_define.ts";

/**
 * GET /me/privacy/export: everything we hold about the signed-in person as a JSON download,
 * generated now and never stored (nor cached by the browser or a proxy).
 */
export const handler = defineHandlers({
  async GET(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const now = c.var.deps.now();
    const data = await exportPersonalData(c.var.deps.db, state.user.id, now);
    // The date on the file is the one the person sees on the wall: the zone of the salon they
    // booked last (every salon is in Saudi Arabia today), not UTC's (which lags 3 hours).
    const [last] = await c.var.deps.db.query<{ timezone: string }>(
      `SELECT s.timezone FROM bookings b JOIN salons s ON s.id = b.salon_id
       WHERE b.customer_id = $1 ORDER BY b.created_at DESC LIMIT 1`,
      [state.user.id],
    );
    const day = localDateOf(now, last?.timezone ?? "Asia/Riyadh");
    return c.body(JSON.stringify(data, null, 2), 200, {
      "content-type": "application/json; charset=UTF-8",
      "content-disposition": `attachment; filename="salon-my-data-${day}.json"`,
      "cache-control": "no-store",
    });
  },
});
