import { z } from "zod";
import {
  BilingualFields,
  BUTTON,
  Field,
  formFor,
  Notice,
  PostForm,
  Section,
} from "@/components/dashboard/ui.tsx";
import { formatNumber } from "@/i18n/format.ts";
import {
  type AppContext,
  defineHandlers,
  definePage,
  page,
  type RequestState,
} from "@/routes/_define.ts";
import { phoneField } from "@/routes/api/auth/_shared.ts";
import { createSalon, listAllSalons } from "@/services/dashboard/admin.ts";
import type { DashboardActor } from "@/services/dashboard/access.ts";
import { requiredText } from "../dashboard/_fields.ts";
import {
  adminContext,
  type FormState,
  NO_FORM,
  parseForm,
  type RouteAccess,
  submitForm,
} from "../dashboard/_guard.ts";

export const access: RouteAccess = "admin";

export const title = (state: RequestState) => state.t("admin.title");

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return value.includes("/") || value === "UTC";
  } catch {
    return false;
  }
}

async function load(c: AppContext, actor: DashboardActor, form: FormState) {
  const created = c.req.query("created");
  return page({
    salons: await listAllSalons(c.var.deps.db, actor),
    form,
    created: !form.intent && created && SLUG.test(created) ? created : null,
  }, { title: c.var.state.t("admin.title") });
}

/**
 * `/admin`: platform admins see every salon (with a link into its dashboard) and create one with
 * its first manager, who gets an SMS and logs in with the normal code flow. Audited.
 */
export const handler = defineHandlers({
  async GET(c) {
    const { actor } = adminContext(c);
    return await load(c, actor, NO_FORM);
  },
  async POST(c) {
    const { actor } = adminContext(c);
    const SalonForm = z.object({
      slug: z.string().trim().toLowerCase().min(1, "validation.required").max(
        80,
        "validation.tooLong",
      )
        .regex(SLUG, "admin.error.slug"),
      name_ar: requiredText(120),
      name_en: requiredText(120),
      city: z.string().trim().toLowerCase().min(1, "validation.required").max(
        40,
        "validation.tooLong",
      )
        .regex(SLUG, "admin.error.slug"),
      city_ar: requiredText(80),
      city_en: requiredText(80),
      timezone: z.string().trim().refine(isTimeZone, "admin.error.timezone"),
      manager_phone: phoneField(c.var.deps.config.otp.allowedCountries),
    });
    return await submitForm(c, async (values) => {
      const f = parseForm(SalonForm, values);
      const salon = await createSalon(c.var.deps.db, actor, {
        slug: f.slug,
        name_ar: f.name_ar,
        name_en: f.name_en,
        city: f.city,
        city_ar: f.city_ar,
        city_en: f.city_en,
        timezone: f.timezone,
        managerPhone: f.manager_phone,
      });
      return c.redirect(`/admin?created=${salon.slug}`, 303);
    }, (form) => load(c, actor, { ...form, intent: "create" }));
  },
});

export default definePage<typeof handler>(function AdminPage({ data, state }) {
  const { t, fmt, locale } = state;
  const form = formFor(data.form, "create");
  const ar = locale === "ar";
  return (
    <div class="space-y-6">
      <div class="flex flex-wrap items-center gap-3">
        <h1 class="me-auto text-2xl font-bold">{t("admin.title")}</h1>
        <a href="/admin/photos" class="text-rose-700 underline">{t("admin.photosLink")}</a>
      </div>
      {data.created && <Notice>{t("admin.created", { slug: data.created })}</Notice>}
      <Section title={t("admin.salons")} id="salons">
        <ul class="divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white">
          {data.salons.map((s) => (
            <li class="flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-3" data-salon={s.slug}>
              <span class="me-auto">
                <a
                  href={`/dashboard/${s.slug}/agenda`}
                  class="font-medium text-rose-700 underline underline-offset-4"
                >
                  {ar ? s.name_ar : s.name_en}
                </a>
                <span class="block text-sm text-stone-600">
                  {ar ? s.city_ar : s.city_en} · <span dir="ltr">{s.slug}</span>
                </span>
              </span>
              <span class="text-sm">
                {t("admin.managers", { n: formatNumber(s.managers, fmt) })}
              </span>
              <span class="text-sm">{t("admin.staff", { n: formatNumber(s.staff, fmt) })}</span>
              {!s.active && (
                <span class="rounded-full bg-stone-200 px-2 py-0.5 text-xs">{t("dash.off")}</span>
              )}
            </li>
          ))}
        </ul>
      </Section>
      <Section title={t("admin.create")} id="create">
        <PostForm
          action="/admin"
          intent="create"
          state={state}
          form={form}
          class="space-y-4 rounded-xl border border-stone-200 bg-white p-4"
        >
          <div class="grid gap-3 sm:grid-cols-2">
            <BilingualFields
              name="name"
              label="dash.field.name"
              form={form}
              state={state}
              required
              maxLength={120}
            />
            <Field
              name="slug"
              label={t("admin.slug")}
              form={form}
              dir="ltr"
              required
              maxLength={80}
              hint={t("admin.slugHint")}
            />
            <Field
              name="timezone"
              label={t("admin.timezone")}
              form={form}
              value="Asia/Riyadh"
              dir="ltr"
              required
            />
            <Field
              name="city"
              label={t("admin.city")}
              form={form}
              dir="ltr"
              required
              hint={t("admin.cityHint")}
            />
            <BilingualFields
              name="city"
              label="admin.city"
              form={form}
              state={state}
              required
            />
            <Field
              name="manager_phone"
              label={t("admin.managerPhone")}
              form={form}
              type="tel"
              dir="ltr"
              required
              hint={t("login.phone.hint")}
            />
          </div>
          <button type="submit" class={BUTTON}>{t("admin.createButton")}</button>
        </PostForm>
      </Section>
    </div>
  );
});
