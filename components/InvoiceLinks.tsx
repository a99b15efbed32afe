import { formatSar } from "@/i18n/format.ts";
import type { RequestState } from "@/routes/_define.ts";
import type { VisitDocumentView } from "@/services/bookings/queries.ts";

/**
 * A visit's invoice and credit notes as links to their pages ("View invoice" / "عرض الفاتورة"),
 * each with its total. Nothing at all for a visit not checked out.
 */
export function InvoiceLinks(
  { documents, state, class: className = "" }: {
    documents: VisitDocumentView[] | undefined;
    state: RequestState;
    class?: string;
  },
) {
  const { t, fmt } = state;
  if (!documents?.length) return null;
  return (
    <ul class={`flex flex-wrap gap-x-4 gap-y-1 text-sm ${className}`} data-invoice-links>
      {documents.map((d) => (
        <li key={d.id}>
          <a
            href={`/invoices/${d.id}`}
            class="text-rose-700 underline underline-offset-4"
            data-invoice-kind={d.kind}
          >
            {d.kind === "invoice"
              ? t("invoice.view")
              : t("invoice.viewCredit", { number: String(d.number) })}
          </a>{" "}
          <span class="text-stone-600">({formatSar(d.total_halalas, fmt)})</span>
        </li>
      ))}
    </ul>
  );
}
