import { defineHandlers } from "@/routes/_define.ts";
import { readJson } from "@/routes/_http.ts";
import { CheckoutBody } from "@/routes/api/invoices/_schemas.ts";
import { assertSignedIn } from "@/services/auth/authorize.ts";
import { dashboardAccess } from "@/services/dashboard/access.ts";
import { checkoutBooking } from "@/services/invoices/checkout.ts";
import { getInvoiceFor, invoiceJson } from "@/services/invoices/queries.ts";

/**
 * A salon's manager or staff member closes a visit: adjusts items, applies a discount, takes the
 * balance in counter payments, and gets the invoice (201). 409 when already checked out; 422 when
 * the payments do not match the balance.
 */
export const handler = defineHandlers({
  async POST(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const { db, now } = c.var.deps;
    const { salon } = await dashboardAccess(db, state.user, c.req.param("slug") ?? "", "staff");
    const body = await readJson(c, CheckoutBody);
    const result = await checkoutBooking(db, {
      user: state.user,
      now: now(),
      requestId: state.requestId,
    }, {
      salonId: salon.id,
      bookingId: c.req.param("id") ?? "",
      items: body.items,
      discount: body.discount && {
        amountHalalas: body.discount.amount_halalas,
        percent: body.discount.percent,
        reason: body.discount.reason,
      },
      payments: body.payments.map((p) => ({ method: p.method, amountHalalas: p.amount_halalas })),
    });
    const doc = await getInvoiceFor(db, state.user, result.invoiceId);
    return c.json({ invoice: invoiceJson(doc), refund_halalas: result.refundHalalas }, 201);
  },
});
