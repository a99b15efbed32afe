/** The staff form (profile and services performed), shared by the list page and the staff page. */
import { z } from "zod";
import {
  BilingualFields,
  CheckboxField,
  NumberField,
  SelectField,
} from "@/components/dashboard/ui.tsx";
import { formatSar } from "@/i18n/format.ts";
import type { RequestState } from "@/routes/_define.ts";
import { validationErrorFrom } from "@/routes/_http.ts";
import type { StaffInput, StaffServiceInput } from "@/services/dashboard/catalog.ts";
import { ValidationError } from "@/services/errors.ts";
import {
  checkbox,
  int,
  moneyInput,
  parseMoney,
  requiredText,
  SORT_ORDER,
  text,
} from "../../_fields.ts";
import type { FormState } from "../../_guard.ts";

export const StaffProfileForm = z.object({
  name_ar: requiredText(80),
  name_en: requiredText(80),
  title_ar: text(80),
  title_en: text(80),
  sort_order: int(...SORT_ORDER),
  active: checkbox,
  gender: z.enum(["", "female", "male"], { error: "validation.invalid" }).default("")
    .transform((g) => g || null),
});

/**
 * Reads the profile and the services table (`svc_<id>` ticked, optional `dur_<id>` minutes and
 * `price_<id>` SAR overriding the service's own). Only the salon's service ids are accepted.
 */
export function staffInput(values: Record<string, string>, serviceIds: string[]): StaffInput {
  const parsed = StaffProfileForm.safeParse(values);
  const fields: Record<string, ["dash.error.number"] | ["dash.error.money"]> = {};
  const services: StaffServiceInput[] = [];
  for (const id of serviceIds) {
    if (values[`svc_${id}`] !== "on") continue;
    const dur = (values[`dur_${id}`] ?? "").trim();
    const price = (values[`price_${id}`] ?? "").trim();
    const d = dur === "" ? null : Number(dur);
    if (d !== null && (!Number.isInteger(d) || d < 5 || d > 720)) {
      fields[`dur_${id}`] = ["dash.error.number"];
    }
    const p = price === "" ? null : parseMoney(price);
    if (price !== "" && p === null) fields[`price_${id}`] = ["dash.error.money"];
    services.push({ service_id: id, duration_minutes: d, price_halalas: p });
  }
  if (!parsed.success) {
    const err = validationErrorFrom(parsed.error);
    Object.assign(err.fields, fields);
    throw err;
  }
  if (Object.keys(fields).length) throw new ValidationError(fields);
  return { ...parsed.data, services };
}

export interface ServiceOption {
  id: string;
  name_ar: string;
  name_en: string;
  duration_minutes: number;
  price_halalas: number;
  active: boolean;
}

export function StaffFields(
  { state, form, staff, services }: {
    state: RequestState;
    form: FormState;
    staff?: StaffInput;
    services: ServiceOption[];
  },
) {
  const { t, locale, fmt } = state;
  const posted = form.intent !== "";
  return (
    <div class="space-y-4">
      <div class="grid gap-3 sm:grid-cols-2">
        <BilingualFields
          name="name"
          label="dash.field.name"
          form={form}
          state={state}
          values={[staff?.name_ar, staff?.name_en]}
          required
          maxLength={80}
        />
        <BilingualFields
          name="title"
          label="dash.staff.title"
          form={form}
          state={state}
          values={[staff?.title_ar, staff?.title_en]}
          maxLength={80}
        />
        <SelectField
          name="gender"
          label={t("dash.staff.gender")}
          form={form}
          value={staff?.gender ?? ""}
          options={[
            ["", t("dash.staff.genderUnstated")],
            ["female", t("dash.staff.genderFemale")],
            ["male", t("dash.staff.genderMale")],
          ]}
        />
        <NumberField
          name="sort_order"
          label={t("dash.field.sortOrder")}
          form={form}
          value={staff?.sort_order ?? 0}
          hint={t("dash.field.sortOrderHint")}
          range={SORT_ORDER}
          state={state}
        />
        <div class="flex items-end pb-2">
          <CheckboxField
            name="active"
            label={t("dash.staff.active")}
            form={form}
            checked={staff?.active ?? true}
          />
        </div>
      </div>
      <fieldset class="space-y-2">
        <legend class="font-medium">{t("dash.staff.services")}</legend>
        <p class="text-sm text-stone-600">{t("dash.staff.servicesHint")}</p>
        {services.length === 0 && <p class="text-stone-600">{t("dash.service.none")}</p>}
        <ul class="divide-y divide-stone-200 rounded-xl border border-stone-200">
          {services.map((s) => {
            const own = staff?.services.find((x) => x.service_id === s.id);
            const checked = posted ? form.values[`svc_${s.id}`] === "on" : Boolean(own);
            const durErr = form.errors[`dur_${s.id}`];
            const priceErr = form.errors[`price_${s.id}`];
            const name = locale === "ar" ? s.name_ar : s.name_en;
            return (
              <li class="flex flex-wrap items-center gap-3 px-3 py-2">
                <label class="flex min-w-[12rem] flex-1 items-center gap-2">
                  <input
                    type="checkbox"
                    name={`svc_${s.id}`}
                    value="on"
                    checked={checked}
                    class="h-4 w-4"
                  />
                  <span>
                    {name}
                    {!s.active && (
                      <span class="ms-1 text-xs text-stone-500">({t("dash.off")})</span>
                    )}
                  </span>
                </label>
                <label class="flex items-center gap-1 text-sm">
                  <span>{t("dash.staff.ownDuration")}</span>
                  <input
                    name={`dur_${s.id}`}
                    inputMode="numeric"
                    dir="ltr"
                    placeholder={String(s.duration_minutes)}
                    value={form.values[`dur_${s.id}`] ?? (own?.duration_minutes ?? "")}
                    aria-label={`${name}: ${t("dash.staff.ownDuration")}`}
                    class={`w-20 rounded-lg border px-2 py-1 ${
                      durErr ? "border-rose-600" : "border-stone-300"
                    }`}
                  />
                </label>
                <label class="flex items-center gap-1 text-sm">
                  <span>{t("dash.staff.ownPrice")}</span>
                  <input
                    name={`price_${s.id}`}
                    inputMode="decimal"
                    dir="ltr"
                    placeholder={moneyInput(s.price_halalas)}
                    value={form.values[`price_${s.id}`] ?? moneyInput(own?.price_halalas)}
                    aria-label={`${name}: ${t("dash.staff.ownPrice")} (${
                      formatSar(s.price_halalas, fmt)
                    })`}
                    class={`w-24 rounded-lg border px-2 py-1 ${
                      priceErr ? "border-rose-600" : "border-stone-300"
                    }`}
                  />
                </label>
                {(durErr || priceErr) && (
                  <p class="w-full text-sm text-rose-700">
                    {[...(durErr ?? []), ...(priceErr ?? [])].join(" ")}
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      </fieldset>
    </div>
  );
}
