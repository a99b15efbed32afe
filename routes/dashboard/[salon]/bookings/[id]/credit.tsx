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
import { getSalonBooking } from "@/services/dashboard/bookings.ts";
import { AppError, NotFoundError, ValidationError } from "@/services/errors.ts";
import { issueCreditNote } from "@/services/invoices/credit.ts";
import { getInvoiceFor, invoicesOfBooking } from "@/services/invoices/queries.ts";
import { parseCreditForm, PAYMENT_ROWS, REFUND_METHODS } from "../../../_checkout_form.ts";
import {
  type DashboardContext,
  dashboardContext,
  type FormState,
  layoutOf,
  NO_FORM,
  type RouteAccess,
} from "../../../_guard.ts";

export const access: RouteAccess = "manager";

async function load(c: AppContext, ctx: DashboardContext, form: FormState, status = 200) {
  const db = c.var.deps.db;
  const { booking } = await getSalonBooking(db, ctx.actor, ctx.salon.id, c.req.param("id") ?? "");
  const docs = await invoicesOfBooking(db, booking.id);
  const invoiceId = docs.find((d) => d.kind === "invoice")?.id;
  if (!invoiceId) throw new NotFoundError();
  const invoice = await getInvoiceFor(db, ctx.user, invoiceId);
  const credited = new Set<number>();
  for (const note of invoice.credit_notes) {
    const doc = await getInvoiceFor(db, ctx.user, note.id);
    for (const l of doc.lines) if (l.credited_position !== null) credited.add(l.credited_position);
  }
  return page({
    layout: await layoutOf(c, ctx, "bookings"),
    bookingId: booking.id,
    invoice,
    credited: [...credited],
    form,
    now: ctx.actor.now,
  }, { title: c.var.state.t("credit.title"), status });
}

/**
 * `/dashboard/:salon/bookings/:id/credit`: a credit note for lines of the visit's invoice (given
 * back in full), with how the money goes back (online to the card, or at the counter) and why.
 * Managers only; bad input (400) and refunds that miss the note's total (422) come back on the page.
 */
export const handler = defineHandlers({
  async GET(c) {
    return await load(c, await dashboardContext(c, "manager"), NO_FORM);
  },
  async POST(c) {
    const ctx = await dashboardContext(c, "manager");
    const values = await formValues(c);
    delete values.csrf_token;
    const t = c.var.state.t;
    const { booking } = await getSalonBooking(
      c.var.deps.db,
      ctx.actor,
      ctx.salon.id,
      c.req.param("id") ?? "",
    );
    const docs = await invoicesOfBooking(c.var.deps.db, booking.id);
    const invoice = docs.find((d) => d.kind === "invoice");
    if (!invoice) throw new NotFoundError();
    try {
      const input = parseCreditForm(values);
      const note = await issueCreditNote(c.var.deps.db, ctx.actor, {
        salonId: ctx.salon.id,
        invoiceId: invoice.id,
        ...input,
      });
      return c.redirect(`/invoices/${note.id}`, 303);
    } catch (err) {
      if (!(err instanceof AppError) || ![400, 409, 422].includes(err.status)) throw err;
      const errors: Record<string, string[]> = err instanceof ValidationError
        ? Object.fromEntries(
          Object.entries(err.fields).map(([k, keys]) => [k, keys.map((k) => t(k))]),
        )
        : {};
      errors.form = [
        err instanceof ValidationError
          ? Object.values(err.fields).flat().map((k) => t(k)).join(" ")
          : t(err.messageKey, err.params),
      ];
      return await load(c, ctx, { intent: "credit", values, errors }, err.status);
    }
  },
});

export default definePage<typeof handler>(function CreditNotePage({ data, state }) {
  const { t, fmt, locale } = state;
  const { layout, invoice, form } = data;
  const ar = locale === "ar";
  const v = form.values;
  const back = `${layout.base}/bookings/${data.bookingId}`;
  return (
    <DashboardLayout layout={layout} state={state} now={data.now}>
      <div class="flex flex-wrap items-center gap-3">
        <h2 class="me-auto text-xl font-semibold">{t("credit.title")}</h2>
        <a href={back} class={BUTTON_SECONDARY}>{t("dash.booking.back")}</a>
      </div>
      <p class="text-sm text-stone-600">
        <a href={`/invoices/${invoice.id}`} class="text-rose-700 underline underline-offset-4">
          {t("checkout.invoiceLink", { number: invoice.number })}
        </a>{" "}
        {t("credit.intro")}
      </p>
      {form.errors.form && <Alert>{form.errors.form.join(" ")}</Alert>}
      <form method="post" action={`${back}/credit`} class="space-y-6">
        <Csrf state={state} />
        <Section title={t("credit.lines")} id="lines">
          <ul class="divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white">
            {invoice.lines.map((l) => {
              const done = data.credited.includes(l.position);
              return (
                <li class="px-4 py-3">
                  <label class="flex items-center gap-3">
                    <input
                      type="checkbox"
                      name={`line_${l.position}`}
                      disabled={done}
                      checked={v[`line_${l.position}`] === "on"}
                      class="h-4 w-4"
                    />
                    <span class="me-auto">
                      {ar ? l.description_ar : l.description_en}
                      {(ar ? l.staff_name_ar : l.staff_name_en) &&
                        ` · ${ar ? l.staff_name_ar : l.staff_name_en}`}
                      {done && (
                        <span class="block text-sm text-stone-600">{t("credit.credited")}</span>
                      )}
                    </span>
                    <span>{formatSar(l.total_halalas, fmt)}</span>
                  </label>
                </li>
              );
            })}
          </ul>
        </Section>
        <Section title={t("credit.refunds")} id="refunds">
          <div class="space-y-2 rounded-xl border border-stone-200 bg-white p-4">
            {Array.from({ length: PAYMENT_ROWS }, (_, n) => (
              <div class="grid gap-3 sm:grid-cols-2">
                <label class="block">
                  <span class="mb-1 block text-sm font-medium">{t("checkout.method")}</span>
                  <select name={`refund_method_${n}`} class={INPUT}>
                    {REFUND_METHODS.map((m) => (
                      <option value={m} selected={(v[`refund_method_${n}`] ?? "cash") === m}>
                        {t(`invoice.method.${m}`)}
                      </option>
                    ))}
                  </select>
                </label>
                <label class="block">
                  <span class="mb-1 block text-sm font-medium">{t("checkout.amount")}</span>
                  <input
                    name={`refund_amount_${n}`}
                    inputMode="decimal"
                    dir="ltr"
                    value={v[`refund_amount_${n}`] ?? ""}
                    class={INPUT}
                  />
                </label>
              </div>
            ))}
          </div>
        </Section>
        <label class="block">
          <span class="mb-1 block text-sm font-medium">{t("credit.reason")}</span>
          <input name="reason" required maxLength={300} value={v.reason ?? ""} class={INPUT} />
        </label>
        <button type="submit" class={BUTTON}>{t("credit.submit")}</button>
      </form>
    </DashboardLayout>
  );
});
