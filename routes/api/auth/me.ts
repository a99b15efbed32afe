import { z } from "zod";
import { assertSignedIn, salonRolesOf } from "@/services/auth/authorize.ts";
import { publicUser, updateProfile } from "@/services/auth/users.ts";
import { defineHandlers } from "../../_define.ts";
import { readJson } from "../../_http.ts";
import { emailField, nameField } from "./_shared.ts";

/**
 * GET /api/auth/me/ → the signed-in user with `salons` (their per-salon roles); PATCH changes
 * names, email and preferred language.
 */
export const handler = defineHandlers({
  async GET(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const salons = await salonRolesOf(c.var.deps.db, state.user.id);
    return c.json({
      ...publicUser(state.user),
      salons: salons.map((s) => ({ salon_id: s.salonId, role: s.role })),
    });
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
