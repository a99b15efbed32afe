/** The service form, shared by the list page (add) and the service page (edit). */
import { z } from "zod";
import { BilingualFields, CheckboxField, Field, SelectField } from "@/components/dashboard/ui.tsx";
import { formatNumber } from "@/i18n/format.ts";
import type { RequestState } from "@/routes/_define.ts";
import { SERVICE_CATEGORIES } from "@/services/catalog.ts";
import type { ServiceInput } from "@/services/dashboard/catalog.ts";
import { checkbox, int, money, moneyInput, requiredText, text } from "../../_fields.ts";
import type { FormState } from "../../_guard.ts";

export const ServiceForm = z.object({
  category: z.enum(SERVICE_CATEGORIES, { error: "validation.invalid" }),
  name_ar: requiredText(120),
  name_en: requiredText(120),
  description_ar: text(1000),
  description_en: text(1000),
  duration_minutes: int(5, 720),
  price: money,
  buffer_before_minutes: int(0, 240),
  buffer_after_minutes: int(0, 240),
  sort_order: int(0, 10000),
  active: checkbox,
});

/** The parsed form as the service wants it. */
export function serviceInput(form: z.infer<typeof ServiceForm>): ServiceInput {
  const { price, ...rest } = form;
  return { ...rest, price_halalas: price };
}

export function ServiceFields(
  { state, form, service }: {
    state: RequestState;
    form: FormState;
    service?: ServiceInput;
  },
) {
  const { t } = state;
  const rng = (min: number, max: number) =>
    t("dash.hint.range", { min: formatNumber(min, state.fmt), max: formatNumber(max, state.fmt) });
  return (
    <div class="grid gap-3 sm:grid-cols-2">
      <BilingualFields
        name="name"
        label="dash.field.name"
        form={form}
        state={state}
        values={[service?.name_ar, service?.name_en]}
        required
        maxLength={120}
      />
      <SelectField
        name="category"
        label={t("dash.service.category")}
        form={form}
        value={service?.category ?? "hair"}
        options={SERVICE_CATEGORIES.map((c) => [c, t(`category.${c}`)] as const)}
      />
      <Field
        name="price"
        label={t("dash.service.price")}
        form={form}
        value={service ? moneyInput(service.price_halalas) : ""}
        inputMode="decimal"
        dir="ltr"
        required
        hint={t("dash.service.priceHint")}
      />
      <Field
        name="duration_minutes"
        label={t("dash.service.duration")}
        form={form}
        value={service?.duration_minutes ?? 60}
        type="number"
        min={5}
        max={720}
        step={5}
        required
        hint={rng(5, 720)}
      />
      <Field
        name="sort_order"
        label={t("dash.field.sortOrder")}
        form={form}
        value={service?.sort_order ?? 0}
        type="number"
        min={0}
        max={10000}
        hint={t("dash.field.sortOrderHint")}
      />
      <Field
        name="buffer_before_minutes"
        label={t("dash.service.bufferBefore")}
        form={form}
        value={service?.buffer_before_minutes ?? 0}
        type="number"
        min={0}
        max={240}
        hint={rng(0, 240)}
      />
      <Field
        name="buffer_after_minutes"
        label={t("dash.service.bufferAfter")}
        form={form}
        value={service?.buffer_after_minutes ?? 0}
        type="number"
        min={0}
        max={240}
        hint={rng(0, 240)}
      />
      <BilingualFields
        name="description"
        label="dash.field.description"
        form={form}
        state={state}
        values={[service?.description_ar, service?.description_en]}
        maxLength={1000}
        multiline
      />
      <CheckboxField
        name="active"
        label={t("dash.service.active")}
        form={form}
        checked={service?.active ?? true}
      />
    </div>
  );
}
