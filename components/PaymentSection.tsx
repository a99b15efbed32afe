import type { ComponentChildren } from "preact";
import { formatGregorianDate, formatSar, formatTime } from "@/i18n/format.ts";
import type { MessageKey } from "@/i18n/mod.ts";
import type { RequestState } from "@/routes/_define.ts";
import { customerChangeDeadline } from "@/services/bookings/lifecycle.ts";
import type { BookingDetails } from "@/services/bookings/queries.ts";
import { RETURN_NOTICES, type ReturnNotice } from "@/services/payments/callback.ts";
import {
  collectedHalalas,
  MIN_AMOUNT_HALALAS,
  MONEY_STATUSES,
  type PaymentStatus,
} from "@/services/payments/model.ts";
import type { BookingPayments } from "@/services/payments/queries.ts";

/** Why a press of Pay did not reach the payment page (`?payment_error=`), by the error's key. */
export const PAY_ERROR_CODES: Partial<Record<MessageKey, string>> = {
  "payments.error.unavailable": "unavailable",
  "payments.error.provider": "provider",
  "payments.error.rejected": "rejected",
  "payments.error.alreadyPaid": "already_paid",
  "payments.error.holdExpired": "hold_expired",
  "payments.error.notDue": "not_due",
  "payments.error.notOnline": "not_online",
  "payments.error.inProgress": "in_progress",
  "payments.error.amountTooSmall": "amount_too_small",
};

const PAY_ERROR_KEYS = new Map(
  Object.entries(PAY_ERROR_CODES).map(([key, code]) => [code, key as MessageKey]),
);

const NOTICE_STYLE: Record<ReturnNotice, string> = {
  paid: "bg-emerald-50 border-emerald-200 text-emerald-900",
  payment_failed: "bg-rose-50 border-rose-200 text-rose-900",
  payment_refunding: "bg-amber-50 border-amber-200 text-amber-900",
  payment_checking: "bg-sky-50 border-sky-200 text-sky-900",
  payment_incomplete: "bg-amber-50 border-amber-200 text-amber-900",
  payment_unverified: "bg-rose-50 border-rose-200 text-rose-900",
};

const STATUS_BADGE: Record<PaymentStatus, string> = {
  initiated: "bg-amber-100 text-amber-900",
  failed: "bg-stone-200 text-stone-700",
  authorized: "bg-sky-100 text-sky-800",
  paid: "bg-emerald-100 text-emerald-800",
  captured: "bg-emerald-100 text-emerald-800",
  partially_refunded: "bg-amber-100 text-amber-900",
  refunded: "bg-stone-200 text-stone-700",
  voided: "bg-stone-200 text-stone-700",
};

/**
 * The outcome of a payment (after Moyasar sends the customer back: `?notice=`) or why Pay did not
 * open the payment page (`?payment_error=`), at the top of the booking page.
 */
export function PaymentNotice({ state }: { state: RequestState }) {
  const notice = state.url.searchParams.get("notice") as ReturnNotice | null;
  const errorKey = PAY_ERROR_KEYS.get(state.url.searchParams.get("payment_error") ?? "");
  return (
    <>
      {notice && RETURN_NOTICES.includes(notice) && (
        <p
          role={notice === "paid" ? "status" : "alert"}
          data-payment-notice={notice}
          class={`rounded-xl border p-4 ${NOTICE_STYLE[notice]}`}
        >
          {state.t(`payments.notice.${notice}`)}
        </p>
      )}
      {errorKey && (
        <p role="alert" class="rounded-xl border border-rose-200 bg-rose-50 p-4 text-rose-900">
          {state.t(errorKey)}
        </p>
      )}
    </>
  );
}

/** A translated sentence with its `{time}` and `{date}` placeholders filled in bold. */
function withBoldDeadline(text: string, time: string, date: string): ComponentChildren[] {
  return text.split(/(\{time\}|\{date\})/).map((part, i) =>
    part === "{time}"
      ? <strong key={i}>{time}</strong>
      : part === "{date}"
      ? <strong key={i}>{date}</strong>
      : part
  );
}

/**
 * The booking page's payment section for online-payment bookings: what is due online and what at
 * the salon, what was paid, held, refunded or is being refunded, and, while the hold lasts and
 * nothing is paid, the cancellation policy followed by the Pay button (a plain form: no JavaScript).
 */
export function PaymentSection(
  { booking: b, payments, available, now, state }: {
    booking: BookingDetails;
    payments: BookingPayments;
    /** Moyasar is configured. */
    available: boolean;
    now: Date;
    state: RequestState;
  },
) {
  if (b.payment_mode === "at_salon") return null;
  const { t, fmt } = state;
  const paid = payments.payments.some((p) => MONEY_STATUSES.includes(p.status));
  const holdLive = b.status === "pending" && b.hold_expires_at !== null &&
    b.hold_expires_at.getTime() > now.getTime();
  // After a move to a dearer staff member, the difference is paid online like the deposit was.
  const difference = b.deposit_halalas - collectedHalalas(payments.payments);
  const topUp = paid && difference >= MIN_AMOUNT_HALALAS && b.status === "confirmed" &&
    b.starts_at.getTime() > now.getTime();
  const amount = formatSar(topUp ? difference : b.deposit_halalas, fmt);
  const mayPay = (holdLive && !paid) || topUp;
  const deadline = customerChangeDeadline(b);
  const latest = payments.payments[0];
  const collected = payments.payments.reduce(
    (sum, p) => sum + (p.status === "authorized" ? 0 : p.captured_halalas),
    0,
  );
  const held = payments.payments
    .filter((p) => p.status === "authorized")
    .reduce((sum, p) => sum + p.authorized_halalas, 0);
  const policy = withBoldDeadline(
    t(b.payment_mode === "deposit" ? "payments.policy.deposit" : "payments.policy.full"),
    formatTime(deadline, b.salon_timezone, fmt),
    formatGregorianDate(deadline, b.salon_timezone, fmt),
  );
  const rows: [string, number, string?][] = [];
  const active = b.status === "pending" || b.status === "confirmed";
  if (active && collected === 0 && held === 0) {
    rows.push([
      t(b.payment_mode === "deposit" ? "payments.row.dueNow.deposit" : "payments.row.dueNow.full"),
      b.deposit_halalas,
    ]);
  }
  if (collected > 0) rows.push([t("payments.row.paid"), collected, "text-emerald-800"]);
  if (held > 0) rows.push([t("payments.row.held"), held]);
  if (topUp) rows.push([t("payments.row.difference"), difference, "text-amber-900"]);
  if (active && b.payment_mode === "deposit" && b.price_halalas > b.deposit_halalas) {
    rows.push([t("payments.row.atSalon"), b.price_halalas - b.deposit_halalas]);
  }
  if (payments.refundedHalalas > 0) {
    rows.push([t("payments.row.refunded"), payments.refundedHalalas]);
  }
  if (payments.refundingHalalas > 0) {
    rows.push([t("payments.row.refunding"), payments.refundingHalalas, "text-amber-900"]);
  }
  if (b.status === "no_show" && payments.heldHalalas > 0) {
    rows.push([t("payments.row.kept"), payments.heldHalalas]);
  }
  if (rows.length === 0) return null;
  return (
    <section class="space-y-3" aria-labelledby="payment">
      <header class="flex flex-wrap items-center gap-3">
        <h2 id="payment" class="text-lg font-semibold me-auto">{t("payments.title")}</h2>
        {latest && (
          <span
            class={`rounded-full px-3 py-1 text-sm font-medium ${STATUS_BADGE[latest.status]}`}
            data-payment-status={latest.status}
          >
            {t(`payments.status.${latest.status}`)}
          </span>
        )}
      </header>
      <div class="rounded-xl border border-stone-200 bg-white">
        <dl class="divide-y divide-stone-200">
          {rows.map(([label, halalas, tone]) => (
            <div class={`flex flex-wrap items-baseline gap-x-4 px-4 py-3 ${tone ?? ""}`}>
              <dt class="flex-1">{label}</dt>
              <dd class="font-semibold tabular-nums">{formatSar(halalas, fmt)}</dd>
            </div>
          ))}
        </dl>
        {payments.payments.some((p) =>
          p.status === "voided" && p.auto_refund_reason === "authorization_lapsing"
        ) && (
          <p class="border-t border-stone-200 p-4 text-sm text-stone-700" data-hold-released>
            {t("payments.holdReleased")}
          </p>
        )}
        {paid && b.status === "confirmed" && now.getTime() <= deadline.getTime() && (
          <p class="border-t border-stone-200 p-4 text-sm text-stone-700" data-refund-policy>
            {policy}
          </p>
        )}
        {mayPay && !available && (
          <p role="note" class="border-t border-stone-200 p-4 text-stone-700">
            {t("payments.unavailable")}
          </p>
        )}
        {mayPay && available && (
          <div class="space-y-3 border-t border-stone-200 p-4">
            {payments.lastError && <p class="text-rose-800">{t("payments.declined")}</p>}
            <p class="text-sm text-stone-700" data-refund-policy>{policy}</p>
            <form method="post" action={`/bookings/${b.id}/pay`}>
              <input type="hidden" name="csrf_token" value={state.csrfToken} />
              <button
                type="submit"
                class="w-full rounded-full bg-rose-700 px-6 py-3 font-medium text-white hover:bg-rose-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-rose-400 sm:w-auto"
              >
                {t(topUp ? "payments.payDifference" : "payments.pay", { amount })}
              </button>
            </form>
            <p class="text-xs text-stone-600">{t("payments.secureNote")}</p>
          </div>
        )}
      </div>
    </section>
  );
}
