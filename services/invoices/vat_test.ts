import assert from "node:assert/strict";
import fc from "fast-check";
import { priceInvoice, spreadDiscount, STANDARD_VAT_BP, vatIncluded } from "./vat.ts";

Deno.test("vat - 15 % inside VAT-inclusive prices, rounded half up", () => {
  assert.equal(vatIncluded(11500, STANDARD_VAT_BP), 1500);
  assert.equal(vatIncluded(10000, STANDARD_VAT_BP), 1304); // 1304.35
  assert.equal(vatIncluded(23, STANDARD_VAT_BP), 3); // 3.0 exactly
  assert.equal(vatIncluded(1, STANDARD_VAT_BP), 0); // 0.13
  assert.equal(vatIncluded(4, STANDARD_VAT_BP), 1); // 0.52
  assert.equal(vatIncluded(10000, 0), 0);
});

Deno.test("vat - a discount is spread over the lines and adds up exactly", () => {
  assert.deepEqual(spreadDiscount([10000, 5000, 5000], 1000), [500, 250, 250]);
  assert.deepEqual(spreadDiscount([1, 1, 1], 2), [1, 1, 0]);
  const invoice = priceInvoice(
    [{ unitPriceHalalas: 15000, quantity: 1 }, { unitPriceHalalas: 8000, quantity: 1 }],
    2300,
    STANDARD_VAT_BP,
  );
  assert.equal(invoice.totalHalalas, 20700);
  assert.deepEqual(invoice.lines.map((l) => l.discountHalalas), [1500, 800]);
  assert.equal(invoice.vatHalalas, vatIncluded(13500, 1500) + vatIncluded(7200, 1500));
});

Deno.test("vat - property: VAT is the sum of the lines, total − VAT = net, nothing negative or NaN", () => {
  const line = fc.record({
    unitPriceHalalas: fc.integer({ min: 0, max: 5_000_000 }),
    quantity: fc.integer({ min: 1, max: 5 }),
  });
  fc.assert(
    fc.property(
      fc.array(line, { minLength: 1, maxLength: 12 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.constantFrom(0, 500, 1500),
      (lines, share, rate) => {
        const subtotal = lines.reduce((s, l) => s + l.unitPriceHalalas * l.quantity, 0);
        const discount = Math.floor(subtotal * share);
        const inv = priceInvoice(lines, discount, rate);
        const sum = (f: (l: (typeof inv.lines)[number]) => number) =>
          inv.lines.reduce((s, l) => s + f(l), 0);
        assert.equal(inv.vatHalalas, sum((l) => l.vatHalalas));
        assert.equal(inv.totalHalalas - inv.vatHalalas, inv.netHalalas);
        assert.equal(inv.totalHalalas, subtotal - discount);
        assert.equal(sum((l) => l.discountHalalas), discount);
        for (const l of inv.lines) {
          for (const v of [l.totalHalalas, l.vatHalalas, l.netHalalas, l.discountHalalas]) {
            assert.ok(Number.isSafeInteger(v) && v >= 0, `bad amount ${v}`);
          }
          // Each line's VAT is within half a halala of the exact share.
          const exact = (l.totalHalalas * rate) / (10_000 + rate);
          assert.ok(Math.abs(l.vatHalalas - exact) <= 0.5);
        }
      },
    ),
    { numRuns: 500 },
  );
});

Deno.test("vat - refuses amounts that are not whole halalas or a discount above the subtotal", () => {
  assert.throws(() => priceInvoice([{ unitPriceHalalas: 1.5, quantity: 1 }], 0, 1500), RangeError);
  assert.throws(
    () => priceInvoice([{ unitPriceHalalas: 100, quantity: 1 }], 101, 1500),
    RangeError,
  );
  assert.throws(() => priceInvoice([{ unitPriceHalalas: 100, quantity: 0 }], 0, 1500), RangeError);
});
