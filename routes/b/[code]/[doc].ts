import { NotFoundError } from "@/services/errors.ts";
import { invoiceIdForLink } from "@/services/invoices/queries.ts";
import { defineHandlers } from "../../_define.ts";

/**
 * Short links to a visit's documents in messages: `/b/<code>/invoice` → its invoice's page,
 * `/b/<code>/credit-<n>` → its credit note number n. The page itself decides who may see it.
 */
export const handler = defineHandlers({
  GET: async (c) => {
    const match = /^(?:invoice|credit-([1-9][0-9]{0,8}))$/.exec(c.req.param("doc") ?? "");
    if (!match) throw new NotFoundError();
    const id = await invoiceIdForLink(
      c.var.deps.db,
      c.req.param("code") ?? "",
      match[1] ? Number(match[1]) : null,
    );
    if (!id) throw new NotFoundError();
    return c.redirect(`/invoices/${id}`, 303);
  },
});
