/**
 * Reads the checkout and credit-note forms of the dashboard (plain fields, money as typed in SAR
 * with Latin or Arabic-Indic digits) into the services' inputs, collecting localized field errors.
 */
import { toLatinDigits } from "@/i18n/format.ts";
import type { MessageKey } from "@/i18n/mod.ts";
import { ValidationError } from "@/services/errors.ts";
import type { CheckoutInput, ItemAdjustment } from "@/services/invoices/checkout.ts";
import { COUNTER_METHODS, type CounterMethod } from "@/services/invoices/issue.ts";
import { parseMoney } from "./_fields.ts";

/** How many "add a service done" rows and payment rows the forms offer. */
export const ADD_ROWS = 2;
export const PAYMENT_ROWS = 3;

type Errors = Record<string, MessageKey[]>;

/** Reads `method_<n>` / `amount_<n>` rows; an empty amount skips the row. */
function paymentRows<M extends string>(
  values: Record<string, string>,
  prefix: string,
  methods: readonly M[],
  errors: Errors,
): { method: M; amountHalalas: number }[] {
  const rows: { method: M; amountHalalas: number }[] = [];
  for (let n = 0; n < PAYMENT_ROWS; n++) {
    const raw = (values[`${prefix}amount_${n}`] ?? "").trim();
    if (raw === "") continue;
    const amount = parseMoney(raw);
    const method = values[`${prefix}method_${n}`] as M;
    if (amount === null) errors[`${prefix}amount_${n}`] = ["checkout.error.amountField"];
    else if (!methods.includes(method)) errors[`${prefix}method_${n}`] = ["checkout.error.method"];
    else rows.push({ method, amountHalalas: amount });
  }
  return rows;
}

/**
 * The checkout form: `remove_<item>` (not done), `staff_<item>` (done by), `add_service_<n>` +
 * `add_staff_<n>`, `discount_value` + `discount_kind` (sar | percent) + `discount_reason`, and
 * `method_<n>` + `amount_<n>` payments.
 *
 * @throws ValidationError with every field at fault.
 */
export function parseCheckoutForm(
  values: Record<string, string>,
  items: { id: string; staff_id: string; status: string }[],
): Pick<CheckoutInput, "items" | "discount" | "payments"> {
  const errors: Errors = {};
  const changes: ItemAdjustment[] = [];
  for (const it of items.filter((i) => i.status === "active")) {
    const staff = values[`staff_${it.id}`];
    if (values[`remove_${it.id}`] === "on") changes.push({ id: it.id, remove: true });
    else if (staff && staff !== it.staff_id) changes.push({ id: it.id, staff });
  }
  for (let n = 0; n < ADD_ROWS; n++) {
    const service = values[`add_service_${n}`] ?? "";
    const staff = values[`add_staff_${n}`] ?? "";
    if (!service) continue;
    if (!staff) errors[`add_staff_${n}`] = ["slots.error.staff"];
    else changes.push({ service, staff });
  }
  let discount: CheckoutInput["discount"];
  const raw = toLatinDigits(values.discount_value ?? "").trim().replace("٫", ".");
  const reason = (values.discount_reason ?? "").trim().slice(0, 300);
  if (raw !== "") {
    if (values.discount_kind === "percent") {
      if (/^\d{1,3}(\.\d{1,2})?$/.test(raw) && Number(raw) <= 100) {
        discount = { percent: Number(raw), reason };
      } else errors.discount_value = ["checkout.error.discount"];
    } else {
      const amount = parseMoney(raw);
      if (amount === null) errors.discount_value = ["checkout.error.amountField"];
      else discount = { amountHalalas: amount, reason };
    }
  }
  const payments = paymentRows(values, "", COUNTER_METHODS, errors);
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return { items: changes, discount, payments };
}

export const REFUND_METHODS = [...COUNTER_METHODS, "online"] as const;

/**
 * The credit-note form: `line_<position>` checkboxes, `refund_method_<n>` + `refund_amount_<n>`
 * and `reason`.
 *
 * @throws ValidationError with every field at fault.
 */
export function parseCreditForm(values: Record<string, string>): {
  lines: number[];
  refunds: { method: CounterMethod | "online"; amountHalalas: number }[];
  reason: string;
} {
  const errors: Errors = {};
  const lines = Object.keys(values)
    .map((k) => /^line_(\d{1,3})$/.exec(k))
    .filter((m): m is RegExpExecArray => m !== null && values[m[0]] === "on")
    .map((m) => Number(m[1]));
  if (lines.length === 0) errors.lines = ["credit.error.line"];
  const refunds = paymentRows(values, "refund_", REFUND_METHODS, errors);
  const reason = (values.reason ?? "").trim().slice(0, 300);
  if (reason === "") errors.reason = ["credit.error.reason"];
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return { lines, refunds, reason };
}
