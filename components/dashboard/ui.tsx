/** Server-only pieces of the dashboard pages: layout, navigation, form fields. */
import type { ComponentChildren } from "preact";
import { zoneLabel } from "@/components/catalog.tsx";
import { weekdayName } from "@/i18n/calendar.ts";
import type { MessageKey } from "@/i18n/mod.ts";
import type { RequestState } from "@/routes/_define.ts";
import type { FormState, LayoutData } from "@/routes/dashboard/_guard.ts";
import { NO_FORM } from "@/routes/dashboard/_guard.ts";
import { formatNumber } from "@/i18n/format.ts";
import { type Range, timeInput, WEEK_SLOTS, weekField } from "@/routes/dashboard/_fields.ts";
import type { WeeklyInterval } from "@/services/slots/engine.ts";
import { foldOvernight } from "@/services/slots/overnight.ts";
import { DASHBOARD_NAV } from "./nav.ts";

/** The posted form's state when it is the one with this `intent`, else an empty one. */
export function formFor(form: FormState | undefined, intent: string): FormState {
  return form && form.intent === intent ? form : NO_FORM;
}

/**
 * The frame of every salon dashboard page: salon name, the zone all times are in (labelled),
 * the person's role, a salon switcher for people working at several, and the tabs.
 */
export function DashboardLayout(
  { layout, state, now, children }: {
    layout: LayoutData;
    state: RequestState;
    now: Date;
    children: ComponentChildren;
  },
) {
  const { t, locale } = state;
  const { salon } = layout;
  const others = layout.salons.filter((s) => s.slug !== salon.slug);
  return (
    <div class="space-y-6" data-dashboard={salon.slug}>
      <header class="flex flex-wrap items-start gap-3">
        <div class="me-auto min-w-0">
          <p class="text-sm text-stone-600">{t("dash.title")}</p>
          <h1 class="text-2xl font-bold break-words">
            {locale === "ar" ? salon.name_ar : salon.name_en}
          </h1>
          <p class="text-sm text-stone-600" data-zone={salon.timezone}>
            {zoneLabel(salon, now, state)}
          </p>
        </div>
        <span class="rounded-full bg-stone-200 px-3 py-1 text-sm font-medium text-stone-800">
          {layout.viaAdmin ? t("dash.role.admin") : t(`dash.role.${layout.role}`)}
        </span>
        {others.length > 0 && (
          <details class="relative">
            <summary class="cursor-pointer rounded-full border border-stone-300 bg-white px-3 py-1 text-sm">
              {t("dash.switchSalon")}
            </summary>
            <ul class="absolute end-0 z-20 mt-2 w-64 rounded-xl border border-stone-200 bg-white p-2 shadow-lg">
              {others.map((s) => (
                <li>
                  <a
                    href={`/dashboard/${s.slug}/agenda`}
                    class="block rounded-lg px-3 py-2 hover:bg-stone-100"
                  >
                    {locale === "ar" ? s.name_ar : s.name_en}
                    <span class="block text-xs text-stone-600">{t(`dash.role.${s.role}`)}</span>
                  </a>
                </li>
              ))}
            </ul>
          </details>
        )}
      </header>
      <nav aria-label={t("dash.nav.label")} class="-mx-4 overflow-x-auto">
        <ul class="flex gap-1 border-b border-stone-200 px-4 min-w-max">
          {DASHBOARD_NAV.filter((n) => n.roles.includes(layout.role)).map((n) => {
            const current = n.key === layout.current;
            return (
              <li>
                <a
                  href={`${layout.base}/${n.path}`}
                  aria-current={current ? "page" : undefined}
                  class={`block whitespace-nowrap border-b-2 px-3 py-2 text-sm font-medium ${
                    current
                      ? "border-rose-700 text-rose-700"
                      : "border-transparent text-stone-700 hover:text-rose-700"
                  }`}
                >
                  {t(n.label)}
                </a>
              </li>
            );
          })}
        </ul>
      </nav>
      {children}
    </div>
  );
}

export function Notice({ children }: { children: ComponentChildren }) {
  return (
    <p
      role="status"
      class="rounded-xl border border-emerald-200 bg-emerald-50 p-4 text-emerald-900"
    >
      {children}
    </p>
  );
}

export function Alert({ children }: { children: ComponentChildren }) {
  return (
    <p role="alert" class="rounded-xl border border-rose-200 bg-rose-50 p-4 text-rose-900">
      {children}
    </p>
  );
}

/** The whole-form message of a re-rendered form (its field messages sit by their fields). */
export function FormErrors({ form }: { form: FormState }) {
  const messages = form.errors.form;
  return messages?.length ? <Alert>{messages.join(" ")}</Alert> : null;
}

export function Csrf({ state }: { state: RequestState }) {
  return <input type="hidden" name="csrf_token" value={state.csrfToken} />;
}

export function Intent({ value }: { value: string }) {
  return <input type="hidden" name="intent" value={value} />;
}

/** A form posting one `intent` to `action`, with the CSRF token and (given `form`) its errors. */
export function PostForm(
  { action, intent, state, form, class: cls, children }: {
    action: string;
    intent: string;
    state: RequestState;
    form?: FormState;
    class?: string;
    children: ComponentChildren;
  },
) {
  return (
    <form method="post" action={action} class={cls}>
      <Csrf state={state} />
      <Intent value={intent} />
      {form && <FormErrors form={form} />}
      {children}
    </form>
  );
}

/** A one-button form acting on one row of a list (remove a closure, a break, a team member…). */
export function RowAction(
  { action, intent, state, name, value, children }: {
    action: string;
    intent: string;
    state: RequestState;
    /** The hidden field naming the row. */
    name: string;
    value: string;
    children: ComponentChildren;
  },
) {
  return (
    <PostForm action={action} intent={intent} state={state}>
      <input type="hidden" name={name} value={value} />
      <button type="submit" class="text-sm text-rose-700 underline">{children}</button>
    </PostForm>
  );
}

export function Section(
  { title, id, children, actions }: {
    title: string;
    id: string;
    children: ComponentChildren;
    actions?: ComponentChildren;
  },
) {
  return (
    <section aria-labelledby={id} class="space-y-3">
      <div class="flex flex-wrap items-center gap-3">
        <h2 id={id} class="text-lg font-semibold me-auto">{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

/** Inputs and selects: one height, so fields side by side line up. */
export const INPUT = "h-10 w-full rounded-lg border border-stone-300 bg-white px-3";
const INPUT_INVALID = "h-10 w-full rounded-lg border border-rose-600 bg-white px-3";
const inputClass = (errors?: string[]) => (errors?.length ? INPUT_INVALID : INPUT);
const textareaClass = (errors?: string[]) =>
  `w-full rounded-lg border ${
    errors?.length ? "border-rose-600" : "border-stone-300"
  } bg-white px-3 py-2`;
export const BUTTON = "rounded-full bg-rose-700 px-5 py-2 font-medium text-white hover:bg-rose-800";
export const BUTTON_SECONDARY =
  "rounded-full border border-stone-300 bg-white px-4 py-2 text-stone-800 hover:bg-stone-100";
export const CARD = "rounded-xl border border-stone-200 bg-white p-4";

function FieldErrors({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return <p id={id} class="mt-1 text-sm text-rose-700">{errors.join(" ")}</p>;
}

/** The input attributes the dashboard's forms use. */
interface InputProps {
  type?: "text" | "tel" | "number" | "time" | "date" | "datetime-local" | "email" | "search";
  required?: boolean;
  maxLength?: number;
  min?: number;
  max?: number;
  step?: number;
  inputMode?: "text" | "tel" | "numeric" | "decimal" | "search";
  dir?: "ltr" | "rtl" | "auto";
  lang?: string;
  autoComplete?: string;
  placeholder?: string;
  class?: string;
}

/** A labelled input showing the posted value and its errors when the form is re-rendered. */
export function Field(
  { name, label, form, value, hint, class: cls, id: givenId, ...rest }: InputProps & {
    name: string;
    label: string;
    form: FormState;
    value?: string | number | null;
    hint?: string;
    /** Needed when the same field appears in several forms of one page (`f-<name>` otherwise). */
    id?: string;
  },
) {
  const errors = form.errors[name];
  const shown = form.values[name] ?? (value === null || value === undefined ? "" : String(value));
  const id = givenId ?? `f-${name}`;
  return (
    <label class={`block ${cls ?? ""}`}>
      <span class="mb-1 block text-sm font-medium">{label}</span>
      <input
        {
          // The props are a plain subset of input attributes (see InputProps).
          ...rest as Record<string, unknown>
        }
        name={name}
        id={id}
        value={shown}
        class={inputClass(errors)}
        aria-invalid={errors?.length ? "true" : undefined}
        aria-describedby={errors?.length ? `${id}-err` : hint ? `${id}-hint` : undefined}
      />
      {hint && <span id={`${id}-hint`} class="mt-1 block text-xs text-stone-600">{hint}</span>}
      <FieldErrors id={`${id}-err`} errors={errors} />
    </label>
  );
}

/**
 * A whole-number field bounded by the same `range` its schema checks (`int(...range)`): the
 * browser enforces it and the hint states it, unless another hint is given.
 */
export function NumberField(
  { range: [min, max], state, hint, ...props }: Parameters<typeof Field>[0] & {
    range: Range;
    state: RequestState;
  },
) {
  const n = (v: number) => formatNumber(v, state.fmt);
  return (
    <Field
      {...props}
      type="number"
      min={min}
      max={max}
      hint={hint ?? state.t("dash.hint.range", { min: n(min), max: n(max) })}
    />
  );
}

export function TextArea(
  { name, label, form, value, maxLength, id: givenId }: {
    name: string;
    label: string;
    form: FormState;
    value?: string;
    maxLength?: number;
    /** Needed when the same field appears in several forms of one page (`f-<name>` otherwise). */
    id?: string;
  },
) {
  const errors = form.errors[name];
  const id = givenId ?? `f-${name}`;
  return (
    <label class="block">
      <span class="mb-1 block text-sm font-medium">{label}</span>
      <textarea
        name={name}
        id={id}
        rows={3}
        maxLength={maxLength}
        class={textareaClass(errors)}
        aria-invalid={errors?.length ? "true" : undefined}
      >
        {form.values[name] ?? value ?? ""}
      </textarea>
      <FieldErrors id={`${id}-err`} errors={errors} />
    </label>
  );
}

export function SelectField(
  { name, label, form, value, options, class: cls }: {
    name: string;
    label: string;
    form: FormState;
    value?: string | null;
    options: readonly (readonly [string, string])[];
    class?: string;
  },
) {
  const errors = form.errors[name];
  const selected = form.values[name] ?? value ?? "";
  const id = `f-${name}`;
  return (
    <label class={`block ${cls ?? ""}`}>
      <span class="mb-1 block text-sm font-medium">{label}</span>
      <select
        name={name}
        id={id}
        class={inputClass(errors)}
        aria-invalid={errors?.length ? "true" : undefined}
      >
        {options.map(([v, text]) => (
          <option key={v} value={v} selected={v === selected}>{text}</option>
        ))}
      </select>
      <FieldErrors id={`${id}-err`} errors={errors} />
    </label>
  );
}

export function CheckboxField(
  { name, label, form, checked, value = "on" }: {
    name: string;
    label: string;
    form: FormState;
    checked: boolean;
    value?: string;
  },
) {
  const posted = form.intent !== "";
  const on = posted ? form.values[name] === value : checked;
  return (
    <label class="flex items-center gap-2">
      <input type="checkbox" name={name} value={value} checked={on} class="h-4 w-4" />
      <span>{label}</span>
    </label>
  );
}

/**
 * A week of opening hours: a row per day (Sunday first, as the Saudi working week starts), two
 * optional intervals each (split shifts). Empty = closed.
 */
export function WeekHoursFields(
  { hours, form, state }: { hours: WeeklyInterval[]; form: FormState; state: RequestState },
) {
  const { t } = state;
  const order = [7, 1, 2, 3, 4, 5, 6];
  // A range past midnight shows on the day it starts: "16:00 – 01:00".
  const week = foldOvernight(hours);
  return (
    <div class="divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white">
      {form.errors.hours?.length && (
        <p class="px-4 py-3 text-sm text-rose-700">{form.errors.hours.join(" ")}</p>
      )}
      {order.map((weekday) => {
        const day = week.filter((h) => h.weekday === weekday).sort((a, b) =>
          a.startMinute - b.startMinute
        );
        const rowErrors = Array.from(
          { length: WEEK_SLOTS },
          (_, n) => form.errors[`h${weekday}_${n}`] ?? [],
        ).flat();
        return (
          <fieldset class="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
            <legend class="sr-only">{weekdayName(weekday, state.fmt)}</legend>
            <span class="w-24 font-medium" aria-hidden="true">
              {weekdayName(weekday, state.fmt)}
            </span>
            {Array.from({ length: WEEK_SLOTS }, (_, n) => {
              const h = day[n];
              const startName = weekField(weekday, n, "start");
              const endName = weekField(weekday, n, "end");
              return (
                <span class="flex items-center gap-2">
                  <input
                    type="time"
                    name={startName}
                    aria-label={`${weekdayName(weekday, state.fmt)} ${t("dash.hours.from")} ${
                      n + 1
                    }`}
                    value={form.values[startName] ?? (h ? timeInput(h.startMinute) : "")}
                    class="rounded-lg border border-stone-300 px-2 py-1"
                    dir="ltr"
                  />
                  <span aria-hidden="true">–</span>
                  <input
                    type="time"
                    name={endName}
                    aria-label={`${weekdayName(weekday, state.fmt)} ${t("dash.hours.to")} ${n + 1}`}
                    value={form.values[endName] ??
                      (h ? timeInput(h.endMinute % 1440) : "")}
                    class="rounded-lg border border-stone-300 px-2 py-1"
                    dir="ltr"
                  />
                </span>
              );
            })}
            {day.length === 0 && !form.intent && (
              <span class="text-sm text-stone-500">{t("salon.closed")}</span>
            )}
            {rowErrors.length > 0 && (
              <p class="w-full text-sm text-rose-700">{[...new Set(rowErrors)].join(" ")}</p>
            )}
          </fieldset>
        );
      })}
    </div>
  );
}

/** A message key prefix with both an `Ar` and an `En` message, e.g. `dash.field.name`. */
type BilingualLabel = {
  [K in MessageKey]: K extends `${infer P}Ar` ? `${P}En` extends MessageKey ? P : never : never;
}[MessageKey];

/**
 * The Arabic and English versions of one text, side by side: `<name>_ar` (rtl) and `<name>_en`
 * (ltr), labelled by the `<label>Ar` / `<label>En` messages.
 */
export function BilingualFields(
  { name, label, form, state, values, required, maxLength, multiline }: {
    name: string;
    label: BilingualLabel;
    form: FormState;
    state: RequestState;
    values?: readonly [ar: string | null | undefined, en: string | null | undefined];
    required?: boolean;
    maxLength?: number;
    multiline?: boolean;
  },
) {
  const { t } = state;
  const sides = [["ar", "Ar", "rtl"], ["en", "En", "ltr"]] as const;
  return (
    <>
      {sides.map(([lang, suffix, dir], i) => {
        const props = {
          name: `${name}_${lang}`,
          label: t(`${label}${suffix}` as MessageKey),
          form,
          value: values?.[i] ?? undefined,
          maxLength,
        };
        return multiline
          ? <TextArea key={lang} {...props} />
          : <Field key={lang} {...props} dir={dir} lang={lang} required={required} />;
      })}
    </>
  );
}

/** The start and end (`starts_at`, `ends_at`) of a period in the salon's local time. */
export function PeriodFields({ form, state }: { form: FormState; state: RequestState }) {
  const { t } = state;
  return (
    <>
      <Field
        name="starts_at"
        label={t("dash.field.from")}
        form={form}
        type="datetime-local"
        required
      />
      <Field name="ends_at" label={t("dash.field.to")} form={form} type="datetime-local" required />
    </>
  );
}
