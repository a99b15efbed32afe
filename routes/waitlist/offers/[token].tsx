import { formatDualDate, formatTime } from "@/i18n/format.ts";
import { assertSignedIn } from "@/services/auth/authorize.ts";
import { ConflictError } from "@/services/errors.ts";
import { confirmOffer, getOffer, type OfferView } from "@/services/waitlist/mod.ts";
import { type AppContext, defineHandlers, definePage, page } from "../../_define.ts";

interface OfferData {
  offer: OfferView;
  /** Still open and within its minutes. */
  open: boolean;
  /** A localized reason the confirm failed (409). */
  error: string | null;
}

async function load(c: AppContext, error: string | null, status = 200) {
  const state = c.var.state;
  assertSignedIn(state);
  const offer = await getOffer(c.var.deps.db, c.req.param("token") ?? "", state.user.id);
  const open = offer.status === "open" && offer.expires_at.getTime() > c.var.deps.now().getTime();
  return page<OfferData>({ offer, open, error }, {
    title: state.t("waitlist.offer.title"),
    status,
  });
}

/**
 * `/waitlist/offers/:token`: the link a waitlist offer's message carries. Its customer (signed in;
 * anyone else gets a 404) sees the time and books it with one button; the first to confirm gets
 * it, a later one gets a 409 saying it is gone (and a message saying so).
 */
export const handler = defineHandlers({
  async GET(c) {
    return await load(c, null);
  },
  async POST(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const { db, now, payments } = c.var.deps;
    try {
      const booking = await confirmOffer(db, {
        token: c.req.param("token") ?? "",
        customerId: state.user.id,
        now: now(),
        onlinePayment: payments != null,
      });
      return c.redirect(`/bookings/${booking.id}`, 303);
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      return await load(c, state.t(err.messageKey), 409);
    }
  },
});

export default definePage<typeof handler>(function OfferPage({ data, state }) {
  const { t, fmt } = state;
  const ar = state.locale === "ar";
  const o = data.offer;
  const staff = ar ? o.staff_ar : o.staff_en;
  return (
    <article class="max-w-xl mx-auto space-y-6">
      <h1 class="text-2xl font-bold">{t("waitlist.offer.title")}</h1>
      {data.error && (
        <p role="alert" class="rounded-xl border border-red-200 bg-red-50 p-4 text-red-800">
          {data.error}
        </p>
      )}
      <div class="rounded-xl border border-stone-200 bg-white p-4 space-y-1">
        <p class="font-medium">
          {t("waitlist.offer.what", {
            services: ar ? o.services_ar : o.services_en,
            salon: ar ? o.salon_ar : o.salon_en,
          })}
        </p>
        <p>
          {t("waitlist.offer.when", {
            date: formatDualDate(o.starts_at, o.timezone, fmt),
            time: formatTime(o.starts_at, o.timezone, fmt),
          })}
        </p>
        {staff && <p>{t("waitlist.offer.with", { staff })}</p>}
      </div>
      {o.status === "taken" && o.booking_id && (
        <p role="status">
          {t("waitlist.offer.taken")}{" "}
          <a href={`/bookings/${o.booking_id}`} class="text-rose-700 underline">
            {t("waitlist.offer.view")}
          </a>
        </p>
      )}
      {o.status === "gone" && !data.error && <p role="status">{t("waitlist.error.gone")}</p>}
      {o.status !== "taken" && o.status !== "gone" && !data.open && !data.error && (
        <p role="status">{t("waitlist.error.expired")}</p>
      )}
      {data.open && (
        <form method="post" class="space-y-3">
          <input type="hidden" name="csrf_token" value={state.csrfToken} />
          <p class="text-sm text-stone-700">
            {t("waitlist.offer.until", { time: formatTime(o.expires_at, o.timezone, fmt) })}
          </p>
          <button
            type="submit"
            class="rounded-full bg-rose-700 px-5 py-2 font-medium text-white hover:bg-rose-800"
          >
            {t("waitlist.offer.confirm")}
          </button>
        </form>
      )}
    </article>
  );
});
