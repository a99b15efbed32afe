import { formatDualDate } from "@/i18n/format.ts";
import { toLatinDigits } from "@/i18n/format.ts";
import { assertSignedIn } from "@/services/auth/authorize.ts";
import { ValidationError } from "@/services/errors.ts";
import { addDays, isIsoDate, localDateOf } from "@/services/slots/load.ts";
import {
  clockOf,
  type EntryRow,
  joinWaitlist,
  leaveWaitlist,
  listMyWaiting,
  parseClock,
  type WaitlistFormOptions,
  waitlistFormOptions,
} from "@/services/waitlist/mod.ts";
import { type AppContext, defineHandlers, definePage, page } from "../../_define.ts";

interface WaitlistData {
  options: WaitlistFormOptions;
  mine: EntryRow[];
  values: { services: string[]; staff: string; day: string; from: string; to: string };
  errors: Record<string, string[]>;
  notice: "joined" | "left" | null;
  /** Today in the salon's zone (the first day one can wait for). */
  today: string;
}

async function load(
  c: AppContext,
  values: WaitlistData["values"] | null,
  errors: Record<string, string[]>,
  status = 200,
) {
  const state = c.var.state;
  assertSignedIn(state);
  const { db, now } = c.var.deps;
  const options = await waitlistFormOptions(db, c.req.param("slug") ?? "");
  const q = (k: string) => toLatinDigits(c.req.query(k) ?? "").trim();
  const today = localDateOf(now(), options.salon.timezone);
  const date = isIsoDate(q("date")) && q("date") >= today ? q("date") : today;
  const notice = c.req.query("notice");
  return page<WaitlistData>({
    options,
    mine: await listMyWaiting(db, state.user.id, options.salon.slug),
    values: values ?? {
      services: c.req.queries("service")?.filter((s) => options.services.some((o) => o.id === s)) ??
        [],
      staff: q("staff") || "any",
      day: date,
      from: parseClock(q("from")) === null ? "09:00" : q("from"),
      to: parseClock(q("to")) === null ? "22:00" : q("to"),
    },
    errors,
    notice: notice === "joined" || notice === "left" ? notice : null,
    today,
  }, { title: state.t("waitlist.title"), status });
}

/**
 * `/salons/:slug/waitlist`: a signed-in customer asks to be told when a time frees up (services,
 * a staff member or anyone, a day, a time range), sees their waiting wishes here and can leave one.
 * Linked from the booking page when no time suits. Plain forms: no JavaScript needed.
 */
export const handler = defineHandlers({
  async GET(c) {
    return await load(c, null, {});
  },
  async POST(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const { db, now } = c.var.deps;
    const slug = c.req.param("slug") ?? "";
    const form = await c.req.formData().catch(() => new FormData());
    const text = (k: string) => toLatinDigits(String(form.get(k) ?? "")).trim();
    if (text("intent") === "leave") {
      await leaveWaitlist(db, { customerId: state.user.id, entryId: text("entry"), now: now() });
      return c.redirect(`/salons/${slug}/waitlist?notice=left`, 303);
    }
    const values = {
      services: form.getAll("service").map((v) => String(v)).slice(0, 10),
      staff: text("staff") || "any",
      day: text("day"),
      from: text("from"),
      to: text("to"),
    };
    try {
      const entry = await joinWaitlist(db, {
        customerId: state.user.id,
        salon: slug,
        serviceIds: values.services,
        staff: values.staff,
        day: values.day,
        fromMinute: parseClock(values.from) ?? -1,
        toMinute: parseClock(values.to) ?? -1,
        now: now(),
      });
      return c.redirect(`/salons/${slug}/waitlist?notice=joined&date=${entry.day}`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const errors = Object.fromEntries(
        Object.entries(err.fields).map(([f, keys]) => [f, keys.map((k) => state.t(k))]),
      );
      return await load(c, values, errors, 400);
    }
  },
});

const INPUT = "h-10 w-full rounded-lg border border-stone-300 bg-white px-3";

function FieldErrors({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return <p id={id} class="mt-1 text-sm text-red-700">{errors.join(" ")}</p>;
}

export default definePage<typeof handler>(function WaitlistPage({ data, state }) {
  const { t, fmt } = state;
  const ar = state.locale === "ar";
  const { options, values, errors } = data;
  const salonName = ar ? options.salon.name_ar : options.salon.name_en;
  const today = data.today;
  const noon = (day: string) =>
    Temporal.PlainDate.from(day).toZonedDateTime({
      timeZone: options.salon.timezone,
      plainTime: "12:00",
    }).epochMilliseconds;
  return (
    <article class="max-w-2xl mx-auto space-y-6">
      <h1 class="text-2xl font-bold">{t("waitlist.title")}</h1>
      <p>
        <a href={`/salons/${options.salon.slug}`} class="text-rose-700 underline">{salonName}</a>
      </p>
      {data.notice && (
        <p role="status" class="rounded-xl border border-emerald-200 bg-emerald-50 p-4">
          {t(`waitlist.${data.notice}`)}
        </p>
      )}
      {Object.keys(errors).length > 0 && (
        <p role="alert" class="rounded-xl border border-red-200 bg-red-50 p-4 text-red-800">
          {t("error.validation")}
        </p>
      )}
      <p class="text-stone-700">{t("waitlist.intro")}</p>
      <form
        method="post"
        action={`/salons/${options.salon.slug}/waitlist`}
        class="space-y-4 rounded-xl border border-stone-200 bg-white p-4"
      >
        <input type="hidden" name="csrf_token" value={state.csrfToken} />
        <input type="hidden" name="intent" value="join" />
        <fieldset aria-describedby={errors.service ? "err-service" : undefined}>
          <legend class="font-medium mb-1">{t("waitlist.services")}</legend>
          {options.services.map((s) => (
            <label class="flex items-center gap-2 py-1">
              <input
                type="checkbox"
                name="service"
                value={s.id}
                checked={values.services.includes(s.id)}
              />
              <span>{ar ? s.name_ar : s.name_en}</span>
            </label>
          ))}
          <FieldErrors id="err-service" errors={errors.service} />
        </fieldset>
        <label class="block">
          <span class="block font-medium mb-1">{t("waitlist.staff")}</span>
          <select
            name="staff"
            class={INPUT}
            aria-describedby={errors.staff ? "err-staff" : undefined}
          >
            <option value="any" selected={values.staff === "any"}>{t("waitlist.anyone")}</option>
            {options.staff.map((s) => (
              <option value={s.id} selected={values.staff === s.id}>
                {ar ? s.name_ar : s.name_en}
              </option>
            ))}
          </select>
          <FieldErrors id="err-staff" errors={errors.staff} />
        </label>
        <label class="block">
          <span class="block font-medium mb-1">{t("waitlist.day")}</span>
          <input
            type="date"
            name="day"
            required
            min={today}
            max={addDays(today, 365)}
            value={values.day}
            class={INPUT}
            aria-describedby={errors.day ? "err-day" : undefined}
          />
          <FieldErrors id="err-day" errors={errors.day} />
        </label>
        <div class="grid grid-cols-2 gap-4">
          <label class="block">
            <span class="block font-medium mb-1">{t("waitlist.from")}</span>
            <input type="time" name="from" required value={values.from} class={INPUT} />
          </label>
          <label class="block">
            <span class="block font-medium mb-1">{t("waitlist.to")}</span>
            <input type="time" name="to" required value={values.to} class={INPUT} />
          </label>
        </div>
        <FieldErrors id="err-range" errors={errors.range} />
        <button
          type="submit"
          class="rounded-full bg-rose-700 px-5 py-2 font-medium text-white hover:bg-rose-800"
        >
          {t("waitlist.submit")}
        </button>
      </form>
      {data.mine.length > 0 && (
        <section class="space-y-2">
          <h2 class="text-lg font-semibold">{t("waitlist.mine")}</h2>
          <ul class="space-y-2">
            {data.mine.map((e) => (
              <li class="flex flex-wrap items-center justify-between gap-2 rounded-xl border border-stone-200 bg-white p-3">
                <span>
                  {t("waitlist.wish", {
                    day: formatDualDate(noon(e.day), options.salon.timezone, fmt),
                    from: clockOf(e.from_minute),
                    until: clockOf(e.to_minute),
                  })}
                </span>
                <form method="post" action={`/salons/${options.salon.slug}/waitlist`}>
                  <input type="hidden" name="csrf_token" value={state.csrfToken} />
                  <input type="hidden" name="intent" value="leave" />
                  <input type="hidden" name="entry" value={e.id} />
                  <button type="submit" class="text-rose-700 underline">
                    {t("waitlist.leave")}
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </section>
      )}
    </article>
  );
});
