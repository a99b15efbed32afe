import { z } from "zod";
import { assertSignedIn } from "@/services/auth/authorize.ts";
import { publicUser, updateProfile } from "@/services/auth/users.ts";
import { defineHandlers } from "../../_define.ts";
import { readJson } from "../../_http.ts";
import { emailField, nameField } from "./_shared.ts";

/** GET /api/auth/me/ → the signed-in user; PATCH changes names, email, preferred language. */
export const handler = defineHandlers({
  GET(c) {
    const state = c.var.state;
    assertSignedIn(state);
    return c.json(publicUser(state.user));
  },
  async PATCH(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const body = await readJson(
      c,
      z.object({
        first_name: nameField,
        last_name: nameField,
        email: emailField,
        preferred_language: z.enum(["ar", "en"]).optional(),
      }),
    );
    const user = await updateProfile(c.var.deps.db, state.user.id, {
      firstName: body.first_name,
      lastName: body.last_name,
      email: body.email,
      preferredLanguage: body.preferred_language,
    }, c.var.deps.now());
    return c.json(publicUser(user));
  },
});
