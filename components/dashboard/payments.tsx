/** Payment pieces of the dashboard: the status badge and the money figures. */
import { type FormatOptions, formatSar } from "@/i18n/format.ts";
import type { RequestState } from "@/routes/_define.ts";
import type { PaymentStatus } from "@/services/payments/model.ts";

const BADGE: Record<PaymentStatus, string> = {
  initiated: "bg-stone-100 text-stone-800",
  failed: "bg-stone-200 text-stone-700",
  authorized: "bg-amber-100 text-amber-900",
  paid: "bg-emerald-100 text-emerald-900",
  captured: "bg-emerald-100 text-emerald-900",
  partially_refunded: "bg-sky-100 text-sky-900",
  refunded: "bg-sky-100 text-sky-900",
  voided: "bg-stone-200 text-stone-700",
};

export function PaymentStatusBadge(
  { status, state }: { status: PaymentStatus; state: RequestState },
) {
  return (
    <span
      class={`whitespace-nowrap rounded-full px-3 py-1 text-sm font-medium ${BADGE[status]}`}
      data-payment-status={status}
    >
      {state.t(`dash.payments.status.${status}`)}
    </span>
  );
}

/** A ledger movement with its sign, in the reader's language: "+SAR 30.00", "؜-١٢٫٥٠ ر.س.". */
export function signedSar(halalas: number, fmt: FormatOptions): string {
  if (!Number.isInteger(halalas)) throw new RangeError(`halalas must be an integer: ${halalas}`);
  const digits = fmt.digits ?? (fmt.locale === "ar" ? "arab" : "latn");
  const locale = `${fmt.locale === "ar" ? "ar-SA" : "en-SA"}-u-nu-${digits}`;
  const abs = Math.abs(halalas);
  // Riyals and halalas apart, as formatSar does: the figure shown is exactly the integer's.
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency: "SAR",
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
    signDisplay: "exceptZero",
  }).format(Math.sign(halalas) * (Math.trunc(abs / 100) + (abs % 100) / 100));
}

/** A labelled amount: the label small, the figure below it (always one line, digits isolated). */
export function Amount(
  { label, halalas, state, strong, name, class: cls }: {
    label: string;
    halalas: number;
    state: RequestState;
    strong?: boolean;
    /** `data-amount` for tests. */
    name?: string;
    /** Classes of its box (the one `<div>` a `<dl>` may hold around a `<dt>`/`<dd>` pair). */
    class?: string;
  },
) {
  return (
    <div class={`min-w-0 ${cls ?? ""}`}>
      <dt class="text-xs text-stone-600">{label}</dt>
      <dd
        class={`whitespace-nowrap ${strong ? "text-lg font-semibold" : ""}`}
        data-amount={name}
      >
        <bdi>{formatSar(halalas, state.fmt)}</bdi>
      </dd>
    </div>
  );
}
