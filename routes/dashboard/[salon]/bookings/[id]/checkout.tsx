import {
  Alert,
  BUTTON,
  BUTTON_SECONDARY,
  Csrf,
  DashboardLayout,
  INPUT,
  Section,
} from "@/components/dashboard/ui.tsx";
import { formatSar } from "@/i18n/format.ts";
import { type AppContext, defineHandlers, definePage, page } from "@/routes/_define.ts";
import { formValues } from "@/routes/_http.ts";
import { AppError, ValidationError } from "@/services/errors.ts";
import { checkoutBooking } from "@/services/invoices/checkout.ts";
import { COUNTER_METHODS } from "@/services/invoices/issue.ts";
import { checkoutSheet } from "@/services/invoices/sheet.ts";
import { ADD_ROWS, parseCheckoutForm, PAYMENT_ROWS } from "../../../_checkout_form.ts";
import { moneyInput } from "../../../_fields.ts";
import {
  type DashboardContext,
  dashboardContext,
  type FormState,
  layoutOf,
  NO_FORM,
  type RouteAccess,
} from "../../../_guard.ts";

export const access: RouteAccess = "staff";

async function load(
  c: AppContext,
  ctx: DashboardContext,
  form: FormState,
  input: ReturnType<typeof parseCheckoutForm> | null,
  status = 200,
) {
  const t = c.var.state.t;
  const sheet = await checkoutSheet(c.var.deps.db, ctx.actor, {
    salonId: ctx.salon.id,
    bookingId: c.req.param("id") ?? "",
    items: input?.items,
    discount: input?.discount,
  });
  if (sheet.problem && !form.errors.form) {
    form = {
      ...form,
      errors: {
        ...form.errors,
        ...Object.fromEntries(
          Object.entries(sheet.problem.fields).map(([k, keys]) => [k, keys.map((x) => t(x))]),
        ),
      },
    };
  }
  return page({
    layout: await layoutOf(c, ctx, "bookings"),
    sheet,
    form,
    now: ctx.actor.now,
  }, { title: t("checkout.title"), status });
}

function localized(c: AppContext, err: AppError): Record<string, string[]> {
  const t = c.var.state.t;
  const errors: Record<string, string[]> = err instanceof ValidationError
    ? Object.fromEntries(
      Object.entries(err.fields).map(([field, keys]) => [field, keys.map((k) => t(k))]),
    )
    : {};
  errors.form = [
    err instanceof ValidationError && Object.keys(err.fields).length
      ? Object.values(err.fields).flat().map((k) => t(k)).join(" ")
      : t(err.messageKey, err.params),
  ];
  return errors;
}

/**
 * `/dashboard/:salon/bookings/:id/checkout`: closes a visit at the counter. "Recalculate" shows the
 * totals of what was typed (nothing saved); "Close" calls checkoutBooking and goes to the invoice.
 * A visit checked out meanwhile (409) or payments that miss the balance (422) come back on the
 * page with what was typed. Staff (their own visits) and managers.
 */
export const handler = defineHandlers({
  async GET(c) {
    return await load(c, await dashboardContext(c, "staff"), NO_FORM, null);
  },
  async POST(c) {
    const ctx = await dashboardContext(c, "staff");
    const values = await formValues(c);
    delete values.csrf_token;
    const intent = values.intent === "close" ? "close" : "recalculate";
    const form: FormState = { intent, values, errors: {} };
    // The items come from the sheet itself so only this visit's items are read.
    const before = await checkoutSheet(c.var.deps.db, ctx.actor, {
      salonId: ctx.salon.id,
      bookingId: c.req.param("id") ?? "",
    });
    let input: ReturnType<typeof parseCheckoutForm>;
    try {
      input = parseCheckoutForm(values, before.items);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return await load(c, ctx, { ...form, errors: localized(c, err) }, null, 400);
    }
    if (intent === "recalculate") return await load(c, ctx, form, input);
    try {
      const result = await checkoutBooking(c.var.deps.db, ctx.actor, {
        salonId: ctx.salon.id,
        bookingId: before.booking.id,
        ...input,
      });
      return c.redirect(`/invoices/${result.invoiceId}`, 303);
    } catch (err) {
      if (!(err instanceof AppError) || ![400, 409, 422].includes(err.status)) throw err;
      return await load(c, ctx, { ...form, errors: localized(c, err) }, input, err.status);
    }
  },
});

export default definePage<typeof handler>(function CheckoutPage({ data, state }) {
  const { t, fmt, locale } = state;
  const { layout, sheet, form } = data;
  const ar = locale === "ar";
  const sar = (h: number) => formatSar(h, fmt);
  const v = form.values;
  const posted = form.intent !== "";
  const name = (o: { name_ar: string; name_en: string }) => ar ? o.name_ar : o.name_en;
  const back = `${layout.base}/bookings/${sheet.booking.id}`;
  const invoice = sheet.invoices.find((i) => i.kind === "invoice");
  const staffOptions = (selected: string) => {
    const known = sheet.staff.some((s) => s.id === selected);
    return [
      ...sheet.staff.map((s) => ({ id: s.id, label: name(s) })),
      ...(known || !selected ? [] : [{ id: selected, label: "—" }]),
    ].map((o) => <option key={o.id} value={o.id} selected={o.id === selected}>{o.label}</option>);
  };
  const err = (field: string) =>
    form.errors[field]?.length
      ? <span class="mt-1 block text-sm text-rose-700">{form.errors[field].join(" ")}</span>
      : null;
  const totals = sheet.totals;
  return (
    <DashboardLayout layout={layout} state={state} now={data.now}>
      <div class="flex flex-wrap items-center gap-3">
        <h2 class="me-auto text-xl font-semibold">{t("checkout.title")}</h2>
        <a href={back} class={BUTTON_SECONDARY}>{t("dash.booking.back")}</a>
      </div>
      {invoice
        ? (
          <p role="status" class="rounded-xl border border-stone-200 bg-white p-4">
            {t("checkout.closed")}{" "}
            <a href={`/invoices/${invoice.id}`} class="text-rose-700 underline underline-offset-4">
              {t("checkout.invoiceLink", { number: invoice.number })}
            </a>
          </p>
        )
        : <p class="text-sm text-stone-600">{t("checkout.intro")}</p>}
      {form.errors.form && <Alert>{form.errors.form.join(" ")}</Alert>}
      {!invoice && (
        <form
          method="post"
          action={`${back}/checkout`}
          class="space-y-6"
          data-checkout={sheet.booking.id}
        >
          <Csrf state={state} />
          <Section title={t("checkout.items")} id="items">
            <ul class="divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white">
              {sheet.items.filter((i) => i.status === "active").map((i) => {
                const staff = v[`staff_${i.id}`] ?? i.staff_id;
                const removed = posted ? v[`remove_${i.id}`] === "on" : false;
                return (
                  <li class="flex flex-wrap items-end gap-3 px-4 py-3" data-item={i.id}>
                    <span class="me-auto min-w-40">
                      <span class="block font-medium">
                        {ar ? i.service_name_ar : i.service_name_en}
                      </span>
                      <span class="block text-sm text-stone-600">{sar(i.price_halalas)}</span>
                    </span>
                    <label class="block w-48">
                      <span class="mb-1 block text-sm font-medium">{t("checkout.doneBy")}</span>
                      <select name={`staff_${i.id}`} class={INPUT}>{staffOptions(staff)}</select>
                    </label>
                    <label class="flex h-10 items-center gap-2">
                      <input
                        type="checkbox"
                        name={`remove_${i.id}`}
                        checked={removed}
                        class="h-4 w-4"
                      />
                      <span>{t("checkout.notDone")}</span>
                    </label>
                  </li>
                );
              })}
            </ul>
            {err("items")}
            {err("staff")}
            <fieldset class="space-y-2 rounded-xl border border-stone-200 bg-white p-4">
              <legend class="px-1 font-medium">{t("checkout.add")}</legend>
              {Array.from({ length: ADD_ROWS }, (_, n) => (
                <div class="grid gap-3 sm:grid-cols-2">
                  <label class="block">
                    <span class="mb-1 block text-sm font-medium">{t("checkout.addService")}</span>
                    <select name={`add_service_${n}`} class={INPUT}>
                      <option value="">{t("checkout.addNone")}</option>
                      {sheet.services.map((s) => (
                        <option value={s.id} selected={v[`add_service_${n}`] === s.id}>
                          {name(s)} · {sar(s.price_halalas)}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label class="block">
                    <span class="mb-1 block text-sm font-medium">{t("checkout.doneBy")}</span>
                    <select name={`add_staff_${n}`} class={INPUT}>
                      <option value="">{t("checkout.addNone")}</option>
                      {staffOptions(v[`add_staff_${n}`] ?? "")}
                    </select>
                    {err(`add_staff_${n}`)}
                  </label>
                </div>
              ))}
            </fieldset>
          </Section>

          <Section title={t("checkout.discount")} id="discount">
            <div class="grid gap-3 rounded-xl border border-stone-200 bg-white p-4 sm:grid-cols-3">
              <label class="block">
                <span class="mb-1 block text-sm font-medium">{t("checkout.discountValue")}</span>
                <input
                  name="discount_value"
                  inputMode="decimal"
                  dir="ltr"
                  value={v.discount_value ?? ""}
                  class={INPUT}
                />
                {err("discount_value")}
                {err("discount")}
              </label>
              <label class="block">
                <span class="mb-1 block text-sm font-medium">{t("checkout.discountKind")}</span>
                <select name="discount_kind" class={INPUT}>
                  <option value="sar" selected={v.discount_kind !== "percent"}>
                    {t("checkout.discountSar")}
                  </option>
                  <option value="percent" selected={v.discount_kind === "percent"}>
                    {t("checkout.discountPercent")}
                  </option>
                </select>
              </label>
              <label class="block">
                <span class="mb-1 block text-sm font-medium">{t("checkout.discountReason")}</span>
                <input
                  name="discount_reason"
                  maxLength={300}
                  value={v.discount_reason ?? ""}
                  class={INPUT}
                />
              </label>
            </div>
          </Section>

          <Section title={t("checkout.totals")} id="totals">
            <dl
              class="divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white"
              data-totals
            >
              {totals && (
                <>
                  <Row label={t("invoice.subtotal")} value={sar(totals.priced.subtotalHalalas)} />
                  {totals.priced.discountHalalas > 0 && (
                    <Row
                      label={t("invoice.discount")}
                      value={`− ${sar(totals.priced.discountHalalas)}`}
                    />
                  )}
                  {sheet.vatRegistered && (
                    <>
                      <Row label={t("invoice.net")} value={sar(totals.priced.netHalalas)} />
                      <Row
                        label={t("invoice.vat")}
                        value={sar(totals.priced.vatHalalas)}
                        data="vat"
                      />
                    </>
                  )}
                  <Row
                    label={t("invoice.total")}
                    value={sar(totals.priced.totalHalalas)}
                    data="total"
                  />
                </>
              )}
              <Row
                label={t("checkout.paidOnline")}
                value={sar(sheet.onlineHalalas)}
                data="online"
              />
              {totals && (
                <Row
                  label={t("checkout.balance")}
                  value={sar(totals.balanceHalalas)}
                  data="balance"
                  strong
                />
              )}
            </dl>
          </Section>

          <Section title={t("checkout.payments")} id="payments">
            <div class="space-y-2 rounded-xl border border-stone-200 bg-white p-4">
              {Array.from(
                { length: PAYMENT_ROWS },
                (_, n) => (
                  <div class="grid gap-3 sm:grid-cols-2">
                    <label class="block">
                      <span class="mb-1 block text-sm font-medium">{t("checkout.method")}</span>
                      <select name={`method_${n}`} class={INPUT}>
                        {COUNTER_METHODS.map((m) => (
                          <option
                            value={m}
                            selected={(v[`method_${n}`] ?? (n === 1 ? "card" : "cash")) === m}
                          >
                            {t(`invoice.method.${m}`)}
                          </option>
                        ))}
                      </select>
                      {err(`method_${n}`)}
                    </label>
                    <label class="block">
                      <span class="mb-1 block text-sm font-medium">{t("checkout.amount")}</span>
                      <input
                        name={`amount_${n}`}
                        inputMode="decimal"
                        dir="ltr"
                        value={v[`amount_${n}`] ??
                          (n === 0 && !posted && totals ? moneyInput(totals.balanceHalalas) : "")}
                        class={INPUT}
                      />
                      {err(`amount_${n}`)}
                    </label>
                  </div>
                ),
              )}
            </div>
          </Section>

          <div class="flex flex-wrap gap-3">
            <button type="submit" name="intent" value="recalculate" class={BUTTON_SECONDARY}>
              {t("checkout.recalculate")}
            </button>
            <button type="submit" name="intent" value="close" class={BUTTON}>
              {t("checkout.close")}
            </button>
          </div>
        </form>
      )}
    </DashboardLayout>
  );
});

function Row(
  { label, value, data, strong }: { label: string; value: string; data?: string; strong?: boolean },
) {
  return (
    <div class={`flex gap-4 px-4 py-2 ${strong ? "font-semibold" : ""}`}>
      <dt class="me-auto text-stone-700">{label}</dt>
      <dd data-amount={data}>{value}</dd>
    </div>
  );
}
