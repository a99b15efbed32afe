/** Booking pieces the dashboard pages share: one line per booking, quick status buttons. */
import { StatusBadge } from "@/components/BookingSummary.tsx";
import { formatTime } from "@/i18n/format.ts";
import type { RequestState } from "@/routes/_define.ts";
import { formatPhone } from "@/services/auth/phone.ts";
import type { BookingDetails } from "@/services/bookings/queries.ts";
import type { CustomerColumns } from "@/services/people.ts";
import { customerLabel, customerPhone } from "./people.ts";
import { Csrf } from "./ui.tsx";

/** "4:30 pm – 5:30 pm" in the salon's zone. */
export function timeRange(start: Date, end: Date, timeZone: string, state: RequestState): string {
  return `${formatTime(start, timeZone, state.fmt)} – ${formatTime(end, timeZone, state.fmt)}`;
}

/**
 * A booking's customer: name, and under it the phone (a tel: link, always left-to-right). A
 * deleted account is "Deleted customer", with no number and no link.
 */
export function Customer({ customer, state }: { customer: CustomerColumns; state: RequestState }) {
  const label = customerLabel(state.t, customer);
  const phone = customerPhone(customer);
  // The number goes under a name; without a name it is the label itself.
  const named = customer.customer_name !== "" && customer.customer_name !== phone;
  return (
    <span
      class="flex min-w-0 flex-col"
      data-customer-deleted={customer.customer_deleted || undefined}
    >
      <bdi class={`self-start font-medium${customer.customer_deleted ? " text-stone-600" : ""}`}>
        {label}
      </bdi>
      {phone && named && (
        <a
          href={`tel:${phone}`}
          dir="ltr"
          class="self-start whitespace-nowrap text-sm text-stone-600 underline"
        >
          {formatPhone(phone)}
        </a>
      )}
    </span>
  );
}

/** One booking as a line of a list, linking to its dashboard page. */
export function BookingLine(
  { b, state, timeZone, base, date, children }: {
    b: BookingDetails;
    state: RequestState;
    timeZone: string;
    base: string;
    /** Show the date too (lists spanning several days). */
    date?: string;
    children?: preact.ComponentChildren;
  },
) {
  const ar = state.locale === "ar";
  return (
    <li class="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-3" data-booking-id={b.id}>
      <a
        href={`${base}/bookings/${b.id}`}
        class="w-full shrink-0 font-semibold text-rose-700 underline underline-offset-4 sm:w-40"
      >
        {date && <span class="block text-xs font-normal text-stone-600">{date}</span>}
        {timeRange(b.starts_at, b.ends_at, timeZone, state)}
      </a>
      <span class="flex min-w-0 flex-1 flex-col">
        <Customer customer={b} state={state} />
        <span class="text-sm text-stone-600">{servicesLine(b, ar)}</span>
      </span>
      <StatusBadge status={b.status} state={state} />
      {children}
    </li>
  );
}

/** "Haircut · Noura" — or a visit's services in order, a guest's under their name. */
function servicesLine(b: BookingDetails, ar: boolean): string {
  const items = (b.items ?? []).filter((i) => i.status === "active");
  if (items.length <= 1 && !items.some((i) => i.guest > 0)) {
    return `${ar ? b.service_name_ar : b.service_name_en} · ${
      ar ? b.staff_name_ar : b.staff_name_en
    }`;
  }
  return items.map((i) => {
    const what = `${ar ? i.service_name_ar : i.service_name_en} · ${
      ar ? i.staff_name_ar : i.staff_name_en
    }`;
    return i.guest_name ? `${i.guest_name}: ${what}` : what;
  }).join(ar ? "، " : ", ");
}

/** Buttons that mark a started booking completed or no-show, coming back to `returnTo`. */
export function OutcomeButtons(
  { b, state, base, returnTo }: {
    b: BookingDetails;
    state: RequestState;
    base: string;
    returnTo: string;
  },
) {
  const { t } = state;
  return (
    <form method="post" action={`${base}/bookings/${b.id}/status`} class="flex gap-2">
      <Csrf state={state} />
      <input type="hidden" name="return_to" value={returnTo} />
      <button
        type="submit"
        name="to"
        value="completed"
        class="rounded-full bg-emerald-700 px-3 py-1 text-sm font-medium text-white hover:bg-emerald-800"
      >
        {t("dash.booking.complete")}
      </button>
      <button
        type="submit"
        name="to"
        value="no_show"
        class="rounded-full border border-stone-300 bg-white px-3 py-1 text-sm hover:bg-stone-100"
      >
        {t("dash.booking.noShow")}
      </button>
    </form>
  );
}
