import { revokeSession } from "@/services/auth/sessions.ts";
import { defineHandlers } from "./_define.ts";
import { clearSessionCookies } from "./_session.ts";

/** POST /logout (the account page's button): ends the session, clears the cookies, goes home. */
export const handler = defineHandlers({
  async POST(c) {
    const user = c.var.state.user;
    if (user) await revokeSession(c.var.deps.db, user.sessionId, c.var.deps.now(), "logout");
    clearSessionCookies(c);
    return c.redirect("/", 303);
  },
});
