/** The service form, shared by the list page (add) and the service page (edit). */
import { z } from "zod";
import {
  BilingualFields,
  CheckboxField,
  Field,
  NumberField,
  SelectField,
} from "@/components/dashboard/ui.tsx";
import type { RequestState } from "@/routes/_define.ts";
import { SERVICE_CATEGORIES } from "@/services/catalog.ts";
import type { ServiceInput } from "@/services/dashboard/catalog.ts";
import {
  checkbox,
  int,
  money,
  moneyInput,
  type Range,
  requiredText,
  SORT_ORDER,
  text,
} from "../../_fields.ts";
import type { FormState } from "../../_guard.ts";

/** The bounds of the service form's numbers, for the schema and the fields alike. */
const RANGES = {
  duration_minutes: [5, 720],
  buffer_before_minutes: [0, 240],
  buffer_after_minutes: [0, 240],
  sort_order: SORT_ORDER,
} as const satisfies Record<string, Range>;

export const ServiceForm = z.object({
  category: z.enum(SERVICE_CATEGORIES, { error: "validation.invalid" }),
  name_ar: requiredText(120),
  name_en: requiredText(120),
  description_ar: text(1000),
  description_en: text(1000),
  duration_minutes: int(...RANGES.duration_minutes),
  price: money,
  buffer_before_minutes: int(...RANGES.buffer_before_minutes),
  buffer_after_minutes: int(...RANGES.buffer_after_minutes),
  sort_order: int(...RANGES.sort_order),
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
      <NumberField
        name="duration_minutes"
        label={t("dash.service.duration")}
        form={form}
        value={service?.duration_minutes ?? 60}
        step={5}
        required
        range={RANGES.duration_minutes}
        state={state}
      />
      <NumberField
        name="sort_order"
        label={t("dash.field.sortOrder")}
        form={form}
        value={service?.sort_order ?? 0}
        hint={t("dash.field.sortOrderHint")}
        range={RANGES.sort_order}
        state={state}
      />
      <NumberField
        name="buffer_before_minutes"
        label={t("dash.service.bufferBefore")}
        form={form}
        value={service?.buffer_before_minutes ?? 0}
        range={RANGES.buffer_before_minutes}
        state={state}
      />
      <NumberField
        name="buffer_after_minutes"
        label={t("dash.service.bufferAfter")}
        form={form}
        value={service?.buffer_after_minutes ?? 0}
        range={RANGES.buffer_after_minutes}
        state={state}
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
