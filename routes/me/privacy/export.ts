import { assertSignedIn } from "@/services/auth/authorize.ts";
import { exportPersonalData, exportTimeZone } from "@/services/privacy/export.ts";
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
    const day = localDateOf(now, await exportTimeZone(c.var.deps.db, state.user.id));
    return c.body(JSON.stringify(data, null, 2), 200, {
      "content-type": "application/json; charset=UTF-8",
      "content-disposition": `attachment; filename="salon-my-data-${day}.json"`,
      "cache-control": "no-store",
    });
  },
});
