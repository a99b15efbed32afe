import { z } from "zod";
import { RemovableRow, RowList } from "@/components/dashboard/lists.tsx";
import {
  BilingualFields,
  BUTTON,
  CARD,
  DashboardLayout,
  Field,
  formFor,
  Notice,
  NumberField,
  PostForm,
  Section,
} from "@/components/dashboard/ui.tsx";
import { type AppContext, defineHandlers, definePage, page } from "@/routes/_define.ts";
import {
  addHomeDistrict,
  getHomeService,
  removeHomeDistrict,
  setServicesAtHome,
  updateHomeTerms,
} from "@/services/dashboard/home_service.ts";
import { int, money, moneyInput, type Range, requiredText } from "../_fields.ts";
import {
  type DashboardContext,
  dashboardContext,
  formPageData,
  type FormState,
  NO_FORM,
  parseForm,
  type RouteAccess,
  submitForm,
} from "../_guard.ts";

export const access: RouteAccess = "manager";

const NOTICES = ["saved", "districtAdded", "districtRemoved", "servicesSaved"] as const;
const TRAVEL: Range = [0, 180];
const RADIUS: Range = [0, 200];

const TermsForm = z.object({
  home_travel_minutes: int(...TRAVEL),
  home_surcharge: money,
  home_radius_km: z.string().default("").transform((v, ctx) => {
    if (v.trim() === "" || v.trim() === "0") return null;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0 || n > RADIUS[1]) {
      ctx.addIssue({ code: "custom", message: "validation.invalid" });
      return z.NEVER;
    }
    return Math.round(n * 10) / 10;
  }),
});
const DistrictForm = z.object({ district_ar: requiredText(120), district_en: requiredText(120) });

async function load(c: AppContext, ctx: DashboardContext, form: FormState) {
  return page({
    ...await formPageData(c, ctx, "home", form, NOTICES),
    home: await getHomeService(c.var.deps.db, ctx.actor, ctx.salon.id),
  }, { title: c.var.state.t("home.serviceTitle") });
}

/**
 * `/dashboard/:salon/home-service`: travel time, surcharge and radius, the districts served, and
 * which services go to customers' homes. Each form is one audited service call. Managers only.
 */
export const handler = defineHandlers({
  async GET(c) {
    return await load(c, await dashboardContext(c, "manager"), NO_FORM);
  },
  async POST(c) {
    const ctx = await dashboardContext(c, "manager");
    const db = c.var.deps.db;
    const here = `${ctx.base}/home-service`;
    return await submitForm(c, async (values) => {
      switch (values.intent) {
        case "terms": {
          const f = parseForm(TermsForm, values);
          await updateHomeTerms(db, ctx.actor, ctx.salon.id, {
            travelMinutes: f.home_travel_minutes,
            surchargeHalalas: f.home_surcharge,
            radiusKm: f.home_radius_km,
          });
          return c.redirect(`${here}?notice=saved`, 303);
        }
        case "district_add": {
          const f = parseForm(DistrictForm, values);
          await addHomeDistrict(db, ctx.actor, ctx.salon.id, {
            name_ar: f.district_ar,
            name_en: f.district_en,
          });
          return c.redirect(`${here}?notice=districtAdded#districts`, 303);
        }
        case "district_remove":
          await removeHomeDistrict(db, ctx.actor, ctx.salon.id, values.district ?? "");
          return c.redirect(`${here}?notice=districtRemoved#districts`, 303);
        case "services": {
          const chosen = Object.keys(values).filter((k) => k.startsWith("at_home_")).map((k) =>
            k.slice("at_home_".length)
          );
          await setServicesAtHome(db, ctx.actor, ctx.salon.id, chosen);
          return c.redirect(`${here}?notice=servicesSaved#services`, 303);
        }
        default:
          return c.redirect(here, 303);
      }
    }, (form) => load(c, ctx, form));
  },
});

export default definePage<typeof handler>(function HomeServicePage({ data, state }) {
  const { t, locale } = state;
  const { layout, home } = data;
  const action = `${layout.base}/home-service`;
  const terms = formFor(data.form, "terms");
  const district = formFor(data.form, "district_add");
  const ar = locale === "ar";
  return (
    <DashboardLayout layout={layout} state={state} now={data.now}>
      {data.notice && <Notice>{t(`home.notice.${data.notice}`)}</Notice>}
      <p class="text-stone-700">{t("home.intro")}</p>
      <Section title={t("home.terms")} id="terms">
        <PostForm action={action} intent="terms" state={state} form={terms} class={CARD}>
          <div class="grid gap-3 sm:grid-cols-3">
            <NumberField
              name="home_travel_minutes"
              label={t("home.travel")}
              form={terms}
              value={home.home_travel_minutes}
              range={TRAVEL}
              state={state}
            />
            <Field
              name="home_surcharge"
              label={t("home.surcharge")}
              form={terms}
              value={moneyInput(home.home_surcharge_halalas)}
              inputMode="decimal"
              dir="ltr"
            />
            <Field
              name="home_radius_km"
              label={t("home.radius")}
              form={terms}
              value={home.home_radius_km === null ? "" : String(home.home_radius_km)}
              inputMode="decimal"
              dir="ltr"
            />
          </div>
          <button type="submit" class={`${BUTTON} mt-3`}>{t("dash.save")}</button>
        </PostForm>
      </Section>
      <Section title={t("home.districts")} id="districts">
        <RowList
          items={home.districts}
          empty={t("home.noDistricts")}
          row={(d) => (
            <RemovableRow
              action={action}
              intent="district_remove"
              state={state}
              name="district"
              value={d.key}
            >
              {ar ? d.name_ar : d.name_en}
              <span class="text-sm text-stone-600">· {ar ? d.name_en : d.name_ar}</span>
            </RemovableRow>
          )}
        />
        <PostForm
          action={action}
          intent="district_add"
          state={state}
          form={district}
          class={`${CARD} space-y-3`}
        >
          <div class="grid gap-3 sm:grid-cols-2">
            <BilingualFields
              name="district"
              label="home.district"
              form={district}
              state={state}
              required
              maxLength={120}
            />
          </div>
          <button type="submit" class={BUTTON}>{t("home.addDistrict")}</button>
        </PostForm>
      </Section>
      <Section title={t("home.services")} id="services">
        <PostForm action={action} intent="services" state={state} form={NO_FORM} class={CARD}>
          <fieldset>
            <legend class="sr-only">{t("home.services")}</legend>
            <ul class="grid gap-2 sm:grid-cols-2">
              {home.services.map((s) => (
                <li key={s.id}>
                  <label class="flex items-center gap-2">
                    <input type="checkbox" name={`at_home_${s.id}`} checked={s.at_home} />
                    {ar ? s.name_ar : s.name_en}
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
          <button type="submit" class={`${BUTTON} mt-3`}>{t("home.saveServices")}</button>
        </PostForm>
      </Section>
    </DashboardLayout>
  );
});
