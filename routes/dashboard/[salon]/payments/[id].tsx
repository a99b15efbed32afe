import type { ComponentChildren } from "preact";
import { authorizedAt } from "@/services/payments/deadline.ts";
import { authorizationDeadline } from "@/services/payments/model.ts";
import { z } from "zod";
import { Customer, timeRange } from "@/components/dashboard/bookings.tsx";
import { Amount, PaymentStatusBadge, signedSar } from "@/components/dashboard/payments.tsx";
import {
  Alert,
  BUTTON,
  BUTTON_SECONDARY,
  CARD,
  Csrf,
  DashboardLayout,
  Field,
  FormErrors,
  formFor,
  Intent,
  Notice,
  Section,
} from "@/components/dashboard/ui.tsx";
import { dayMonth } from "@/i18n/calendar.ts";
import { formatGregorianDate, formatSar, formatTime } from "@/i18n/format.ts";
import { localDateOf } from "@/services/slots/load.ts";
import type { MessageKey } from "@/i18n/mod.ts";
import {
  type AppContext,
  defineHandlers,
  definePage,
  page,
  type RequestState,
} from "@/routes/_define.ts";
import { formValues } from "@/routes/_http.ts";
import {
  getSalonPayment,
  type LedgerLine,
  runPaymentAction,
} from "@/services/dashboard/payments.ts";
import { AppError, ValidationError } from "@/services/errors.ts";
import type { PaymentActionKind, PaymentStatus } from "@/services/payments/model.ts";
import { moneyInput, parseMoney, requiredText } from "../../_fields.ts";
import {
  type DashboardContext,
  dashboardContext,
  formPageData,
  type FormState,
  NO_FORM,
  parseForm,
  type RouteAccess,
} from "../../_guard.ts";

/** Money: managers only. */
export const access: RouteAccess = "manager";

const NOTICES = ["captured", "voided", "refunded", "in_progress"] as const;
const DONE: Record<PaymentActionKind, (typeof NOTICES)[number]> = {
  capture: "captured",
  void: "voided",
  refund: "refunded",
};

/** A checked request, waiting for the manager's confirmation. */
interface Confirmation {
  kind: PaymentActionKind;
  /** What moves, in halalas. */
  amount: number;
  reason: string;
}

const ActionSchema = z.object({
  intent: z.enum(["capture", "void", "refund"], { error: "validation.invalid" }),
  step: z.enum(["review", "confirm"], { error: "validation.invalid" }).default("review"),
  reason: requiredText(500),
  amount: z.string().optional().default(""),
});

async function load(
  c: AppContext,
  ctx: DashboardContext,
  form: FormState,
  confirm: Confirmation | null,
) {
  const details = await getSalonPayment(
    c.var.deps.db,
    ctx.actor,
    ctx.salon.id,
    c.req.param("id") ?? "",
  );
  const heldSince = details.payment.status === "authorized"
    ? await authorizedAt(c.var.deps.db, details.payment.id)
    : null;
  return page({
    ...await formPageData(c, ctx, "payments", form, NOTICES),
    ...details,
    releaseAt: heldSince ? authorizationDeadline(heldSince) : null,
    confirm,
    online: c.var.deps.payments != null,
  }, { title: c.var.state.t("dash.payments.title") });
}

/**
 * `/dashboard/:salon/payments/:id`: one payment (its booking, the money, the ledger) and the
 * actions it allows now: capture a card hold, void, refund all or part. Each is two steps: the
 * form (`step=review`) is checked and answered with a confirmation showing the amount and what
 * happens; confirming (`step=confirm`) runs it through services/dashboard/payments.ts and answers
 * 303. Amounts are typed in riyals ("12.50", Arabic-Indic digits too) and become whole halalas
 * without floating point; a refund is never more than paid minus refunded (checked here and again
 * by the service under lock). Refusals re-render the page with the localized message: bad input
 * 400, a state that does not allow it or Moyasar refusing 409, Moyasar not answering 503 (the
 * request stays pending and is retried, never made twice). A reason is required and kept in the
 * ledger and the audit log.
 */
export const handler = defineHandlers({
  async GET(c) {
    return await load(c, await dashboardContext(c, "manager"), NO_FORM, null);
  },
  async POST(c) {
    const ctx = await dashboardContext(c, "manager");
    const { db } = c.var.deps;
    const t = c.var.state.t;
    const values = await formValues(c);
    delete values.csrf_token;
    const here = `${ctx.base}/payments/${encodeURIComponent(c.req.param("id") ?? "")}`;
    try {
      const f = parseForm(ActionSchema, values);
      const details = await getSalonPayment(db, ctx.actor, ctx.salon.id, c.req.param("id") ?? "");
      let amount = f.intent === "capture"
        ? details.payment.authorized_halalas
        : f.intent === "void"
        ? (details.payment.status === "authorized"
          ? details.payment.authorized_halalas
          : details.money.net)
        : 0;
      if (f.intent === "refund") {
        const parsed = parseMoney(f.amount);
        const problem: MessageKey | null = !f.amount.trim()
          ? "validation.required"
          : parsed === null
          ? "dash.error.money"
          : parsed === 0
          ? "dash.payments.error.amountZero"
          : parsed > details.refundable
          ? "payments.error.refundTooLarge"
          : null;
        if (problem) throw new ValidationError({ amount: [problem] });
        amount = parsed!;
      }
      if (f.step === "review") {
        return await load(c, ctx, { intent: f.intent, values, errors: {} }, {
          kind: f.intent,
          amount,
          reason: f.reason,
        });
      }
      const result = await runPaymentAction(
        db,
        c.var.deps.payments ?? null,
        ctx.actor,
        ctx.salon.id,
        {
          paymentId: details.payment.id,
          kind: f.intent,
          amountHalalas: f.intent === "refund" ? amount : undefined,
          reason: f.reason,
        },
      );
      const notice = result.action.status === "succeeded" ? DONE[f.intent] : "in_progress";
      return c.redirect(`${here}?notice=${notice}`, 303);
    } catch (err) {
      let errors: Record<string, string[]>;
      let status: number;
      if (err instanceof ValidationError) {
        errors = {};
        for (const [field, keys] of Object.entries(err.fields)) {
          // The service names the amount in halalas; the form asks for riyals in `amount`.
          errors[field === "amount_halalas" ? "amount" : field] = keys.map((k) => t(k));
        }
        errors.form = [t(err.messageKey)];
        status = 400;
      } else if (err instanceof AppError && [409, 502, 503].includes(err.status)) {
        const key: MessageKey = err.messageKey === "payments.error.provider"
          ? "dash.payments.error.provider"
          : err.messageKey;
        errors = { form: [t(key, err.params)] };
        status = err.status;
      } else {
        throw err;
      }
      const intent = ["capture", "void", "refund"].includes(values.intent ?? "")
        ? values.intent
        : "refund";
      // The form posted is shown again with the values as typed (a confirmation goes back to it).
      const result = await load(c, ctx, { intent, values, errors }, null);
      return page(result.data, { ...result.init, status });
    }
  },
});

const LEDGER_KINDS = [
  "created",
  "checkout_opened",
  "checkout_failed",
  "status",
  "attempt_failed",
  "capture_requested",
  "void_requested",
  "refund_requested",
  "action_failed",
  "refund_due",
  "rejected",
] as const;

function ledgerWhat(e: LedgerLine, t: (k: MessageKey) => string): string {
  const kind = LEDGER_KINDS.find((k) => k === e.kind);
  if (kind === "status" && e.to_status) {
    return t(`dash.payments.status.${e.to_status as PaymentStatus}`);
  }
  return kind ? t(`dash.payments.ledger.${kind}`) : e.kind;
}

export default definePage<typeof handler>(function PaymentPage({ data, state }) {
  const { t, fmt, locale } = state;
  const { layout, payment: p, money, confirm, pending } = data;
  const ar = locale === "ar";
  const tz = layout.salon.timezone;
  const action = `${layout.base}/payments/${p.id}`;
  const sar = (h: number) => formatSar(h, fmt);
  const canCapture = p.status === "authorized";
  const canVoid = (p.status === "authorized" || p.status === "paid" || p.status === "captured") &&
    p.refunded_halalas === 0;
  const canRefund = data.refundable > 0;
  const actionable = !pending && data.online && (canCapture || canVoid || canRefund);
  // The actions this payment allows now, each with what it would do.
  const offers: [PaymentActionKind, string][] = [];
  if (canRefund) {
    offers.push(["refund", t("dash.payments.refundLead", { amount: sar(data.refundable) })]);
  }
  if (canCapture) {
    offers.push(["capture", t("dash.payments.captureLead", { amount: sar(p.authorized_halalas) })]);
  }
  if (canVoid) {
    offers.push([
      "void",
      t(p.status === "authorized" ? "dash.payments.voidHoldLead" : "dash.payments.voidLead"),
    ]);
  }
  const when = (d: Date) => `${formatGregorianDate(d, tz, fmt)} ${formatTime(d, tz, fmt)}`;
  const shortWhen = (d: Date) => `${dayMonth(localDateOf(d, tz), fmt)} ${formatTime(d, tz, fmt)}`;
  const rows: [string, ComponentChildren][] = [
    [
      t("dash.booking.customer"),
      <Customer key="c" customer={p} state={state} />,
    ],
    [t("book.service"), ar ? p.service_name_ar : p.service_name_en],
    [t("book.staff"), ar ? p.staff_name_ar : p.staff_name_en],
    [
      t("dash.payments.appointment"),
      <a key="b" href={`${layout.base}/bookings/${p.booking_id}`} class="text-rose-700 underline">
        {formatGregorianDate(p.starts_at, tz, fmt)} {timeRange(p.starts_at, p.ends_at, tz, state)}
      </a>,
    ],
    [t("dash.payments.purpose"), t(`dash.payments.purpose.${p.purpose}`)],
    [t("dash.payments.created"), when(p.created_at)],
    ...(data.releaseAt
      ? [[t("dash.payments.releaseAt"), when(data.releaseAt)] as [string, ComponentChildren]]
      : []),
    [
      t("dash.payments.reference"),
      <span key="r" dir="ltr" class="break-all font-mono text-sm">
        {p.provider_payment_id ?? p.provider_invoice_id ?? "—"}
      </span>,
    ],
  ];
  return (
    <DashboardLayout layout={layout} state={state} now={data.now}>
      <p>
        <a href={`${layout.base}/payments`} class="text-sm text-rose-700 underline">
          {t("dash.payments.back")}
        </a>
      </p>
      {data.notice && <Notice>{t(`dash.payments.notice.${data.notice}`)}</Notice>}
      <div class="flex flex-wrap items-center gap-3">
        <h2 class="me-auto text-xl font-semibold">
          {t("dash.payments.title")} <bdi class="whitespace-nowrap">{sar(p.amount_halalas)}</bdi>
        </h2>
        <PaymentStatusBadge status={p.status} state={state} />
      </div>
      <div class="grid items-start gap-4 lg:grid-cols-2">
        <dl class={`${CARD} grid gap-x-4 gap-y-2 sm:grid-cols-[10rem_1fr]`}>
          {rows.map(([label, value]) => (
            <>
              <dt class="text-sm text-stone-600">{label}</dt>
              <dd class="min-w-0">{value}</dd>
            </>
          ))}
        </dl>
        <dl class={`${CARD} grid grid-cols-2 content-start gap-3`} data-money>
          <Amount label={t("dash.payments.paid")} halalas={money.paid} state={state} name="paid" />
          <Amount
            label={t("dash.payments.refunded")}
            halalas={money.refunded}
            state={state}
            name="refunded"
          />
          <Amount
            label={t("dash.payments.net")}
            halalas={money.net}
            state={state}
            name="net"
            strong
          />
          <Amount
            label={t("dash.payments.refundable")}
            halalas={data.refundable}
            state={state}
            name="refundable"
          />
          {money.held > 0 && (
            <Amount
              label={t("dash.payments.held")}
              halalas={money.held}
              state={state}
              name="held"
            />
          )}
        </dl>
      </div>
      {pending && (
        <div
          class="rounded-xl border border-amber-200 bg-amber-50 p-4 text-amber-900"
          data-pending={pending.kind}
        >
          {t(`dash.payments.pending.${pending.kind}`)}{" "}
          <bdi class="whitespace-nowrap">{sar(pending.amount_halalas)}</bdi>.{" "}
          {t("dash.payments.pendingHint")}
          {data.online && (
            <form method="post" action={action} class="mt-3">
              <ConfirmedFields
                confirm={{
                  kind: pending.kind,
                  amount: pending.amount_halalas,
                  reason: pending.reason,
                }}
                state={state}
              />
              <button type="submit" class={BUTTON_SECONDARY}>{t("dash.payments.retry")}</button>
            </form>
          )}
        </div>
      )}
      {p.auto_refund_reason && !pending && money.net > 0 && (
        <p class="rounded-xl border border-amber-200 bg-amber-50 p-4 text-amber-900">
          {t("dash.payments.autoRefund")}
        </p>
      )}
      {confirm
        ? <ConfirmPanel confirm={confirm} data={data} state={state} action={action} />
        : (
          <Section title={t("dash.payments.actions")} id="actions">
            {!data.online && <Alert>{t("dash.payments.offline")}</Alert>}
            {data.online && !pending && !actionable && (
              <p class="text-stone-600">{t("dash.payments.noActions")}</p>
            )}
            <FormErrors form={data.form} />
            {actionable && (
              <div class="grid gap-4 lg:grid-cols-3">
                {offers.map(([kind, lead]) => (
                  <ActionForm kind={kind} data={data} state={state} action={action} lead={lead} />
                ))}
              </div>
            )}
          </Section>
        )}
      <Section title={t("dash.payments.ledger")} id="ledger">
        {/* Focusable so a keyboard can scroll the ledger sideways on a phone. */}
        <div
          class="overflow-x-auto rounded-xl border border-stone-200 bg-white"
          role="region"
          aria-label={t("dash.payments.ledger")}
          tabIndex={0}
        >
          <table class="w-full text-sm">
            <thead class="bg-stone-50 text-stone-600">
              <tr>
                <th scope="col" class="px-3 py-2 text-start font-medium">
                  {t("dash.payments.when")}
                </th>
                <th scope="col" class="px-3 py-2 text-start font-medium">
                  {t("dash.audit.what")}
                </th>
                <th scope="col" class="px-3 py-2 text-end font-medium">
                  {t("dash.payments.amount")}
                </th>
                <th scope="col" class="px-3 py-2 text-start font-medium">
                  {t("dash.payments.byWhomWhy")}
                </th>
              </tr>
            </thead>
            <tbody class="divide-y divide-stone-100">
              {data.ledger.map((e) => (
                <tr class="align-top" data-ledger={e.kind}>
                  <td class="whitespace-nowrap px-3 py-2">{shortWhen(e.at)}</td>
                  <td class="px-3 py-2">{ledgerWhat(e, t)}</td>
                  <td class="whitespace-nowrap px-3 py-2 text-end">
                    {e.amount_halalas !== 0 && (
                      <bdi class={e.amount_halalas < 0 ? "text-rose-800" : "text-emerald-800"}>
                        {signedSar(e.amount_halalas, fmt)}
                      </bdi>
                    )}
                  </td>
                  <td class="px-3 py-2">
                    <bdi>{e.actor_name ?? t(`dash.actor.${e.actor_role}`)}</bdi>
                    {e.reason && (
                      <span class="block text-stone-600">
                        <bdi>{e.reason}</bdi>
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
    </DashboardLayout>
  );
});

type PageData = Awaited<ReturnType<typeof load>>["data"];

function ActionForm(
  { kind, data, state, action, lead }: {
    kind: PaymentActionKind;
    data: PageData;
    state: RequestState;
    action: string;
    lead: string;
  },
) {
  const { t } = state;
  const form = formFor(data.form, kind);
  return (
    <form method="post" action={action} class={`${CARD} space-y-3`} data-action={kind}>
      <h3 class="font-semibold">{t(`dash.payments.${kind}`)}</h3>
      <Csrf state={state} />
      <Intent value={kind} />
      <input type="hidden" name="step" value="review" />
      <p class="text-sm text-stone-600">{lead}</p>
      {kind === "refund" && (
        <Field
          name="amount"
          label={t("dash.payments.amountSar")}
          form={form}
          value={moneyInput(data.refundable)}
          id={`${kind}-amount`}
          inputMode="decimal"
          dir="ltr"
          required
          hint={t("dash.payments.amountHint")}
        />
      )}
      <Field
        name="reason"
        label={t("dash.payments.reason")}
        form={form}
        maxLength={500}
        id={`${kind}-reason`}
        required
        hint={t("dash.payments.reasonHint")}
      />
      <button type="submit" class={BUTTON_SECONDARY}>{t(`dash.payments.${kind}Next`)}</button>
    </form>
  );
}

/** The hidden fields that post a checked request again, as confirmed. */
function ConfirmedFields({ confirm, state }: { confirm: Confirmation; state: RequestState }) {
  return (
    <>
      <Csrf state={state} />
      <Intent value={confirm.kind} />
      <input type="hidden" name="step" value="confirm" />
      <input type="hidden" name="reason" value={confirm.reason} />
      {confirm.kind === "refund" && (
        <input type="hidden" name="amount" value={moneyInput(confirm.amount)} />
      )}
    </>
  );
}

function ConfirmPanel(
  { confirm, data, state, action }: {
    confirm: Confirmation;
    data: PageData;
    state: RequestState;
    action: string;
  },
) {
  const { t, fmt } = state;
  const sar = (h: number) => formatSar(h, fmt);
  const p = data.payment;
  const consequence = confirm.kind === "refund"
    ? t("dash.payments.confirmRefund", {
      amount: sar(confirm.amount),
      left: sar(data.refundable - confirm.amount),
    })
    : confirm.kind === "capture"
    ? t("dash.payments.confirmCapture", { amount: sar(confirm.amount) })
    : p.status === "authorized"
    ? t("dash.payments.confirmVoidHold", { amount: sar(confirm.amount) })
    : t("dash.payments.confirmVoid", { amount: sar(confirm.amount) });
  return (
    <section
      aria-labelledby="confirm"
      class="space-y-4 rounded-xl border-2 border-rose-300 bg-white p-4"
      data-confirm={confirm.kind}
    >
      <h2 id="confirm" class="text-lg font-semibold">
        {t(`dash.payments.confirmTitle.${confirm.kind}`)}
      </h2>
      <p class="text-2xl font-bold">
        <bdi>{sar(confirm.amount)}</bdi>
      </p>
      <p>{consequence}</p>
      {confirm.kind !== "capture" && (
        <p class="text-sm text-stone-600">{t("dash.payments.bookingStays")}</p>
      )}
      <p class="text-sm">
        <span class="font-medium">{t("dash.payments.reason")}:</span> <bdi>{confirm.reason}</bdi>
      </p>
      <form method="post" action={action} class="flex flex-wrap items-center gap-3">
        <ConfirmedFields confirm={confirm} state={state} />
        <button type="submit" class={BUTTON}>
          {t(`dash.payments.confirmButton.${confirm.kind}`, { amount: sar(confirm.amount) })}
        </button>
        <a href={action} class={BUTTON_SECONDARY}>{t("dash.payments.cancel")}</a>
      </form>
    </section>
  );
}
