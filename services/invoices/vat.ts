/**
 * VAT arithmetic in whole halalas. Catalog prices include VAT (what Saudi customers expect to
 * see), so VAT is extracted, not added. The rule (docs/invoices.md), held everywhere:
 *
 * 1. A discount on the invoice is spread over its lines in proportion to their amounts, the
 *    halalas left by rounding down going to the largest remainders (then the earliest lines), so
 *    the lines' discounts add up to the invoice's exactly.
 * 2. Each line's VAT is extracted from its discounted, VAT-inclusive total and rounded half up:
 *    vat = round(total × rate / (1 + rate)). The line's net is total − vat.
 * 3. The invoice's VAT is the sum of its lines' VAT; its net the sum of their nets; its total the
 *    sum of their totals (so total − VAT = net, exactly).
 */

/** 15 %, in basis points. Stored on every line, so a future rate never rewrites history. */
export const STANDARD_VAT_BP = 1500;

export interface LineInput {
  unitPriceHalalas: number;
  quantity: number;
}

export interface PricedLine extends LineInput {
  discountHalalas: number;
  totalHalalas: number;
  vatRateBp: number;
  vatHalalas: number;
  netHalalas: number;
}

export interface PricedInvoice {
  lines: PricedLine[];
  subtotalHalalas: number;
  discountHalalas: number;
  totalHalalas: number;
  vatHalalas: number;
  netHalalas: number;
}

/** VAT inside a VAT-inclusive amount at `rateBp`, rounded half up (rule 2). */
export function vatIncluded(totalHalalas: number, rateBp: number): number {
  // Integer arithmetic: round(total × rate / (10000 + rate)) with halves up.
  const denominator = 10_000 + rateBp;
  return Math.floor((2 * totalHalalas * rateBp + denominator) / (2 * denominator));
}

/** Spreads `discount` over `amounts` in proportion (rule 1). */
export function spreadDiscount(amounts: number[], discount: number): number[] {
  const sum = amounts.reduce((a, b) => a + b, 0);
  if (sum === 0 || discount === 0) return amounts.map(() => 0);
  const shares = amounts.map((a) => Math.floor((a * discount) / sum));
  let left = discount - shares.reduce((a, b) => a + b, 0);
  const byRemainder = amounts
    .map((a, i) => ({ i, remainder: (a * discount) % sum }))
    .sort((x, y) => y.remainder - x.remainder || x.i - y.i);
  for (const { i } of byRemainder) {
    if (left === 0) break;
    shares[i]++;
    left--;
  }
  return shares;
}

/**
 * Prices an invoice: lines at their VAT-inclusive unit prices, a discount in halalas (at most the
 * subtotal), and the VAT rate (0 for a salon not registered for VAT).
 *
 * @throws RangeError for a negative, fractional or excessive amount.
 */
export function priceInvoice(
  lines: LineInput[],
  discountHalalas: number,
  rateBp: number,
): PricedInvoice {
  for (const l of lines) {
    if (!Number.isSafeInteger(l.unitPriceHalalas) || l.unitPriceHalalas < 0) {
      throw new RangeError("unit price must be a whole, non-negative number of halalas");
    }
    if (!Number.isSafeInteger(l.quantity) || l.quantity < 1) {
      throw new RangeError("quantity must be a positive whole number");
    }
  }
  const amounts = lines.map((l) => l.unitPriceHalalas * l.quantity);
  const subtotal = amounts.reduce((a, b) => a + b, 0);
  if (!Number.isSafeInteger(discountHalalas) || discountHalalas < 0 || discountHalalas > subtotal) {
    throw new RangeError("discount must be whole halalas between 0 and the subtotal");
  }
  const discounts = spreadDiscount(amounts, discountHalalas);
  const priced = lines.map((l, i) => {
    const total = amounts[i] - discounts[i];
    const vat = vatIncluded(total, rateBp);
    return {
      ...l,
      discountHalalas: discounts[i],
      totalHalalas: total,
      vatRateBp: rateBp,
      vatHalalas: vat,
      netHalalas: total - vat,
    };
  });
  const sum = (f: (l: PricedLine) => number) => priced.reduce((a, l) => a + f(l), 0);
  return {
    lines: priced,
    subtotalHalalas: subtotal,
    discountHalalas: discountHalalas,
    totalHalalas: sum((l) => l.totalHalalas),
    vatHalalas: sum((l) => l.vatHalalas),
    netHalalas: sum((l) => l.netHalalas),
  };
}

/** A discount given as a percent of the subtotal, in halalas (rounded half up). */
export function percentDiscount(subtotalHalalas: number, percent: number): number {
  return Math.round((subtotalHalalas * percent) / 100);
}
