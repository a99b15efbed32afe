import { defineHandlers } from "@/routes/_define.ts";
import { assertSignedIn } from "@/services/auth/authorize.ts";
import { getInvoiceFor, invoiceJson } from "@/services/invoices/queries.ts";

/** An invoice or credit note: its visit's customer and the salon's team only (else 404). */
export const handler = defineHandlers({
  async GET(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const doc = await getInvoiceFor(c.var.deps.db, state.user, c.req.param("id") ?? "");
    c.header("cache-control", "private, no-store");
    return c.json({
      invoice: {
        ...invoiceJson(doc),
        invoice_number: doc.invoice_number,
        credit_notes: doc.credit_notes,
      },
    });
  },
});
