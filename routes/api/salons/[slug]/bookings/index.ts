import { z } from "zod";
import { defineHandlers } from "@/routes/_define.ts";
import { readQuery } from "@/routes/salons/_params.ts";
import { assertSignedIn } from "@/services/auth/authorize.ts";
import { dashboardAccess } from "@/services/dashboard/access.ts";
import { dayBookingsJson } from "@/services/dashboard/day.ts";
import { isIsoDate, localDateOf } from "@/services/slots/load.ts";

const DayQuery = z.object({
  date: z.string().refine(isIsoDate, { error: "slots.error.date" }).optional(),
});

/** `GET /api/salons/{slug}/bookings/?date=YYYY-MM-DD`: the day's visits, for the salon's team. */
export const handler = defineHandlers({
  async GET(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const { db, now } = c.var.deps;
    const { salon } = await dashboardAccess(db, state.user, c.req.param("slug") ?? "", "staff");
    const query = readQuery(c, DayQuery);
    const at = now();
    const date = query.date ?? localDateOf(at, salon.timezone);
    const bookings = await dayBookingsJson(
      db,
      {
        user: state.user,
        now: at,
        requestId: state.requestId,
      },
      salon,
      date,
    );
    c.header("cache-control", "private, no-store");
    return c.json({ date, timezone: salon.timezone, bookings });
  },
});
