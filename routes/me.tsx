import { setCookie } from "hono/cookie";
import { z } from "zod";
import { assertSignedIn } from "@/services/auth/authorize.ts";
import { formatPhone } from "@/services/auth/phone.ts";
import { friendlyName, updateProfile } from "@/services/auth/users.ts";
import { ValidationError } from "@/services/errors.ts";
import { defineHandlers, definePage, page, type RequestState } from "./_define.ts";
import { formValues, validationErrorFrom } from "./_http.ts";
import { emailField, nameField } from "./api/auth/_shared.ts";

interface MeData {
  values: { first_name: string; last_name: string; email: string; preferred_language: string };
  errors: Record<string, string[]>;
  saved: boolean;
}

export const title = (state: RequestState) => state.t("me.title");

const ProfileForm = z.object({
  first_name: nameField,
  last_name: nameField,
  email: emailField,
  preferred_language: z.enum(["ar", "en"]),
});

/** /me: the signed-in person's names, email and preferred language, and the logout button. */
export const handler = defineHandlers<MeData>({
  GET(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const u = state.user;
    return page({
      values: {
        first_name: u.firstName,
        last_name: u.lastName,
        email: u.email ?? "",
        preferred_language: u.preferredLanguage,
      },
      errors: {},
      saved: c.req.query("saved") === "1",
    });
  },

  async POST(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const form = await formValues(c);
    const values = {
      first_name: form.first_name ?? "",
      last_name: form.last_name ?? "",
      email: form.email ?? "",
      preferred_language: form.preferred_language ?? state.user.preferredLanguage,
    };
    const parsed = ProfileForm.safeParse(form);
    let fields: ValidationError["fields"] | null = null;
    if (parsed.success) {
      try {
        const user = await updateProfile(c.var.deps.db, state.user.id, {
          firstName: parsed.data.first_name ?? "",
          lastName: parsed.data.last_name ?? "",
          email: parsed.data.email ?? null,
          preferredLanguage: parsed.data.preferred_language,
        }, c.var.deps.now());
        // The site follows the chosen language from now on, like the ?lang= switch does.
        setCookie(c, "lang", user.preferredLanguage, {
          path: "/",
          maxAge: 60 * 60 * 24 * 365,
          sameSite: "Lax",
          secure: c.var.deps.config.appEnv === "production",
        });
        return c.redirect("/me?saved=1", 303);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        fields = err.fields;
      }
    } else {
      fields = validationErrorFrom(parsed.error).fields;
    }
    const errors = Object.fromEntries(
      Object.entries(fields).map(([field, keys]) => [field, keys.map((k) => state.t(k))]),
    );
    return page({ values, errors, saved: false }, { status: 400 });
  },
});

const FIELD = "w-full rounded-lg border border-stone-300 px-3 py-2";

export default definePage<typeof handler>(function MePage({ data, state }) {
  const { t } = state;
  const user = state.user!;
  const input = (
    name: "first_name" | "last_name" | "email",
    label: string,
  ) => {
    const errors = data.errors[name];
    return (
      <label class="block">
        <span class="block text-sm font-medium mb-1">{label}</span>
        <input
          name={name}
          type="text"
          inputMode={name === "email" ? "email" : undefined}
          value={data.values[name]}
          autoComplete={name === "email"
            ? "email"
            : name === "first_name"
            ? "given-name"
            : "family-name"}
          dir={name === "email" ? "ltr" : undefined}
          aria-invalid={errors ? "true" : undefined}
          aria-describedby={errors ? `${name}-error` : undefined}
          class={FIELD}
        />
        {errors
          ? (
            <span id={`${name}-error`} class="block text-sm text-red-700 mt-1">
              {errors.join(" ")}
            </span>
          )
          : null}
      </label>
    );
  };
  return (
    <section class="max-w-lg mx-auto bg-white rounded-2xl shadow p-6 space-y-6">
      <header class="space-y-1">
        <h1 class="text-2xl font-bold">
          <bdi>{friendlyName(user)}</bdi>
        </h1>
        <p class="text-stone-700">
          {t("me.phone")}: <bdi dir="ltr">{formatPhone(user.phoneNumber)}</bdi>
          {user.isPhoneVerified
            ? (
              <span class="ms-2 rounded-full bg-emerald-50 text-emerald-800 text-xs px-2 py-0.5">
                {t("me.verified")}
              </span>
            )
            : null}
          {user.role === "admin"
            ? (
              <span class="ms-2 rounded-full bg-stone-100 text-stone-800 text-xs px-2 py-0.5">
                {t("me.admin")}
              </span>
            )
            : null}
        </p>
      </header>
      {data.saved
        ? (
          <p role="status" class="rounded-lg bg-emerald-50 text-emerald-900 px-3 py-2">
            {t("me.saved")}
          </p>
        )
        : null}
      <form method="post" action="/me" class="space-y-4" noValidate>
        <input type="hidden" name="csrf_token" value={state.csrfToken} />
        <div class="grid sm:grid-cols-2 gap-4">
          {input("first_name", t("me.firstName"))}
          {input("last_name", t("me.lastName"))}
        </div>
        {input("email", t("me.email"))}
        <label class="block">
          <span class="block text-sm font-medium mb-1">{t("me.language")}</span>
          <select
            name="preferred_language"
            class={`${FIELD} bg-white`}
            aria-describedby="language-hint"
          >
            <option value="ar" lang="ar" selected={data.values.preferred_language === "ar"}>
              العربية
            </option>
            <option value="en" lang="en" selected={data.values.preferred_language === "en"}>
              English
            </option>
          </select>
          <span id="language-hint" class="block text-xs text-stone-500 mt-1">
            {t("me.language.hint")}
          </span>
        </label>
        <button
          type="submit"
          class="rounded-lg bg-rose-700 text-white font-medium px-6 py-2 hover:bg-rose-800"
        >
          {t("me.save")}
        </button>
      </form>
      <p class="border-t border-stone-200 pt-4">
        <a href="/me/privacy" class="text-rose-700 underline underline-offset-4">
          {t("me.privacy")}
        </a>
      </p>
      <form method="post" action="/logout" class="border-t border-stone-200 pt-4">
        <input type="hidden" name="csrf_token" value={state.csrfToken} />
        <button type="submit" class="text-rose-700 underline underline-offset-4">
          {t("me.logout")}
        </button>
      </form>
    </section>
  );
});
