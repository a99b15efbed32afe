import { homeAddress, StatusBadge } from "@/components/BookingSummary.tsx";
import { whenLabel } from "@/components/catalog.tsx";
import { InvoiceLinks } from "@/components/InvoiceLinks.tsx";
import { assertSignedIn } from "@/services/auth/authorize.ts";
import { type BookingDetails, listCustomerBookings } from "@/services/bookings/mod.ts";
import { defineHandlers, definePage, page, type RequestState } from "../_define.ts";

export const handler = defineHandlers({
  async GET(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const now = c.var.deps.now();
    const lists = await listCustomerBookings(c.var.deps.db, state.user.id, now);
    return page({ ...lists, now }, { title: state.t("myBookings.title") });
  },
});

/** The visit's services ("Haircut + Blow-dry"), the cancelled ones left out. */
function servicesOf(b: BookingDetails, ar: boolean): string {
  const items = b.items.filter((i) => i.status === "active");
  if (items.length <= 1) return ar ? b.service_name_ar : b.service_name_en;
  return [...new Set(items.map((i) => ar ? i.service_name_ar : i.service_name_en))].join(" + ");
}

function staffOf(b: BookingDetails, ar: boolean): string {
  const items = b.items.filter((i) => i.status === "active");
  if (items.length <= 1) return ar ? b.staff_name_ar : b.staff_name_en;
  return [...new Set(items.map((i) => ar ? i.staff_name_ar : i.staff_name_en))].join(
    ar ? "، " : ", ",
  );
}

function BookingList(
  { bookings, now, state }: { bookings: BookingDetails[]; now: Date; state: RequestState },
) {
  const ar = state.locale === "ar";
  return (
    <ul class="space-y-3">
      {bookings.map((b) => (
        <li class="rounded-xl border border-stone-200 bg-white hover:border-rose-300">
          <a href={`/bookings/${b.id}`} class="flex flex-wrap items-center gap-3 p-4">
            <span class="me-auto">
              <span class="block font-semibold">{servicesOf(b, ar)}</span>
              <span class="block text-sm text-stone-600">
                {ar ? b.salon_name_ar : b.salon_name_en} · {staffOf(b, ar)}
              </span>
              <span class="block text-sm">
                {whenLabel(b.starts_at, b.salon_timezone, now, state)}
              </span>
              {b.location === "home" && b.home_address && (
                <span class="block text-sm text-stone-700" data-home-address>
                  {state.t("book.atHome", { address: homeAddress(b, state.locale) })}
                </span>
              )}
            </span>
            <StatusBadge status={b.status} state={state} />
          </a>
          {/* The invoice links sit beside the booking's link: a link cannot hold another. */}
          <InvoiceLinks documents={b.invoices} state={state} class="px-4 pb-4 -mt-2" />
        </li>
      ))}
    </ul>
  );
}

export default definePage<typeof handler>(function MyBookingsPage({ data, state }) {
  const { t } = state;
  return (
    <div class="max-w-2xl mx-auto space-y-8">
      <h1 class="text-2xl font-bold">{t("myBookings.title")}</h1>
      <section class="space-y-3">
        <h2 class="text-lg font-semibold">{t("myBookings.upcoming")}</h2>
        {data.upcoming.length
          ? <BookingList bookings={data.upcoming} now={data.now} state={state} />
          : (
            <p class="text-stone-600">
              {t("myBookings.none")}{" "}
              <a href="/" class="text-rose-700 underline underline-offset-4">
                {t("myBookings.find")}
              </a>
            </p>
          )}
      </section>
      {data.calledOff.length > 0 && (
        <section class="space-y-3">
          <h2 class="text-lg font-semibold">{t("myBookings.calledOff")}</h2>
          <BookingList bookings={data.calledOff} now={data.now} state={state} />
        </section>
      )}
      {data.past.length > 0 && (
        <section class="space-y-3">
          <h2 class="text-lg font-semibold">{t("myBookings.past")}</h2>
          <BookingList bookings={data.past} now={data.now} state={state} />
        </section>
      )}
    </div>
  );
});
