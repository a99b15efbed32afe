import { defineHandlers } from "@/routes/_define.ts";
import { readJson } from "@/routes/_http.ts";
import { CreditNoteBody } from "@/routes/api/invoices/_schemas.ts";
import { assertSignedIn } from "@/services/auth/authorize.ts";
import { issueCreditNote } from "@/services/invoices/credit.ts";
import { getInvoiceFor, invoiceJson } from "@/services/invoices/queries.ts";

/** A salon manager issues a credit note for lines of an invoice, with how the money goes back. */
export const handler = defineHandlers({
  async POST(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const { db, now } = c.var.deps;
    const invoice = await getInvoiceFor(db, state.user, c.req.param("id") ?? "");
    const body = await readJson(c, CreditNoteBody);
    const note = await issueCreditNote(db, {
      user: state.user,
      now: now(),
      requestId: state.requestId,
    }, {
      salonId: invoice.salon_id,
      invoiceId: invoice.id,
      lines: body.lines,
      refunds: body.refunds.map((r) => ({ method: r.method, amountHalalas: r.amount_halalas })),
      reason: body.reason,
    });
    const doc = await getInvoiceFor(db, state.user, note.id);
    return c.json({ credit_note: invoiceJson(doc) }, 201);
  },
});
