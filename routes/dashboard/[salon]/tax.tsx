import { z } from "zod";
import {
  BUTTON,
  CheckboxField,
  DashboardLayout,
  Field,
  Notice,
  PostForm,
  Section,
} from "@/components/dashboard/ui.tsx";
import { type AppContext, defineHandlers, definePage, page } from "@/routes/_define.ts";
import { getTaxSettings, updateTaxSettings } from "@/services/dashboard/tax.ts";
import { toLatinDigits } from "@/i18n/format.ts";
import { checkbox, text } from "../_fields.ts";
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

const NOTICES = ["saved"] as const;

const digits = z.preprocess(
  (v) => (typeof v === "string" ? toLatinDigits(v).replace(/[\s-]/g, "") : ""),
  z.string(),
);

const TaxForm = z.object({
  vat_registered: checkbox,
  vat_number: digits,
  legal_name_ar: text(200),
  legal_name_en: text(200),
  cr_number: digits,
  address_ar: text(300),
  address_en: text(300),
});

async function load(c: AppContext, ctx: DashboardContext, form: FormState) {
  return page({
    ...await formPageData(c, ctx, "tax", form, NOTICES),
    tax: await getTaxSettings(c.var.deps.db, ctx.actor, ctx.salon.id),
  }, { title: c.var.state.t("tax.title") });
}

/**
 * `/dashboard/:salon/tax`: the salon's tax identity (VAT registration, VAT number, legal names,
 * CR number, address), printed on every invoice issued afterwards. One audited service call, then
 * a 303; bad input comes back with localized messages (400). Managers only.
 */
export const handler = defineHandlers({
  async GET(c) {
    return await load(c, await dashboardContext(c, "manager"), NO_FORM);
  },
  async POST(c) {
    const ctx = await dashboardContext(c, "manager");
    return await submitForm(c, async (values) => {
      await updateTaxSettings(
        c.var.deps.db,
        ctx.actor,
        ctx.salon.id,
        parseForm(TaxForm, values),
      );
      return c.redirect(`${ctx.base}/tax?notice=saved`, 303);
    }, (form) => load(c, ctx, form));
  },
});

export default definePage<typeof handler>(function TaxPage({ data, state }) {
  const { t } = state;
  const { layout, tax } = data;
  const form = data.form;
  return (
    <DashboardLayout layout={layout} state={state} now={data.now}>
      {data.notice && <Notice>{t("tax.saved")}</Notice>}
      <Section title={t("tax.title")} id="tax">
        <p class="text-sm text-stone-600">{t("tax.intro")}</p>
        <PostForm
          action={`${layout.base}/tax`}
          intent="tax"
          state={state}
          form={form}
          class="space-y-4 rounded-xl border border-stone-200 bg-white p-4"
        >
          <CheckboxField
            name="vat_registered"
            label={t("tax.registered")}
            form={form}
            checked={tax.vat_registered}
          />
          <div class="grid gap-3 sm:grid-cols-2">
            <Field
              name="vat_number"
              label={t("tax.vatNumber")}
              form={form}
              value={tax.vat_number}
              hint={t("tax.vatNumberHint")}
              inputMode="numeric"
              maxLength={20}
              dir="ltr"
            />
            <Field
              name="cr_number"
              label={t("tax.crNumber")}
              form={form}
              value={tax.cr_number}
              hint={t("tax.crHint")}
              inputMode="numeric"
              maxLength={20}
              dir="ltr"
            />
            <Field
              name="legal_name_ar"
              label={t("tax.legalNameAr")}
              form={form}
              value={tax.legal_name_ar}
              maxLength={200}
              lang="ar"
              dir="rtl"
            />
            <Field
              name="legal_name_en"
              label={t("tax.legalNameEn")}
              form={form}
              value={tax.legal_name_en}
              maxLength={200}
              lang="en"
              dir="ltr"
            />
            <Field
              name="address_ar"
              label={t("tax.addressAr")}
              form={form}
              value={tax.address_ar}
              maxLength={300}
              lang="ar"
              dir="rtl"
            />
            <Field
              name="address_en"
              label={t("tax.addressEn")}
              form={form}
              value={tax.address_en}
              maxLength={300}
              lang="en"
              dir="ltr"
            />
          </div>
          <button type="submit" class={BUTTON}>{t("dash.save")}</button>
        </PostForm>
      </Section>
    </DashboardLayout>
  );
});
