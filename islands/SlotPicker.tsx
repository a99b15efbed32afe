/**
 * The booking page's date strip and time list. Server-rendered it is plain links (one per day) and
 * radio buttons (one per free time) in a GET form, so it works without JavaScript one day at a
 * time; hydrated, it loads other days and other two-week windows from the slots API in place.
 * Every date and time is shown on the salon's wall clock (`timeZone`), whatever the device's zone.
 */
import { useSignal } from "@preact/signals";
import { useRef } from "preact/hooks";
import {
  dayMonth,
  type DayPart,
  dayPart,
  fullDualDate,
  hijriDayMonth,
  weekdayShort,
} from "@/i18n/calendar.ts";
import { formatTime } from "@/i18n/format.ts";
import { BOX, BUTTON, CHIP, DAY, GRID, LEGEND, LINK, NAV, TONE } from "@/components/slot_styles.ts";

export interface SlotPickerLabels {
  dates: string;
  earlier: string;
  later: string;
  today: string;
  tomorrow: string;
  dayUnavailable: string;
  /** With a `{date}` placeholder. */
  slotsFor: string;
  morning: string;
  afternoon: string;
  evening: string;
  noSlots: string;
  /** With a `{date}` placeholder. */
  firstFree: string;
  loading: string;
  loadError: string;
  continue: string;
  zone: string;
}

export interface SlotPickerProps {
  /** The booking page ("/salons/x/book"): day links and the form go there. */
  action: string;
  /** The slots endpoint ("/api/salons/x/slots/"). */
  api: string;
  service: string;
  /** A staff id or "any". */
  staff: string;
  timeZone: string;
  fmt: { locale: "ar" | "en"; digits: "arab" | "latn" };
  /** Local dates ("YYYY-MM-DD"): today, and the last bookable one (horizon). */
  today: string;
  lastDate: string;
  /** The strip: consecutive local dates and whether each has a free time. */
  days: { date: string; available: boolean }[];
  selected: string;
  /** Free start instants (ISO) on the selected date. */
  slots: string[];
  labels: SlotPickerLabels;
  /** At the customer's home: the times allow the staff member's travel (`home=1`). */
  home?: boolean;
  /** Other query parameters the day links and the form carry (a home visit's address). */
  keep?: [string, string][];
}

const WINDOW = 14;

const ALL_CLASSES = [
  NAV,
  "ms-auto",
  DAY,
  ...Object.values(TONE),
  BOX,
  LINK,
  LEGEND,
  GRID,
  CHIP,
  BUTTON,
]
  .join(" ");

function addDays(date: string, n: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

interface ApiDay {
  date: string;
  slots: { start: string }[];
}

export default function SlotPicker(props: SlotPickerProps) {
  const { labels, fmt, timeZone } = props;
  const days = useSignal(props.days);
  const selected = useSignal(props.selected);
  const slots = useSignal(props.slots);
  const status = useSignal("");
  const busy = useSignal(false);
  const cache = useRef(new Map<string, string[]>([[props.selected, props.slots]]));
  const request = useRef(0);

  const kept = props.keep?.length ? `&${new URLSearchParams(props.keep)}` : "";
  const href = (date: string) =>
    `${props.action}?service=${encodeURIComponent(props.service)}${kept}&staff=${
      encodeURIComponent(props.staff)
    }&date=${date}`;

  async function load(date: string, count: number): Promise<ApiDay[] | null> {
    const id = ++request.current;
    busy.value = true;
    status.value = labels.loading;
    try {
      const url = `${props.api}?service=${encodeURIComponent(props.service)}&staff=${
        encodeURIComponent(props.staff)
      }&date=${date}&days=${count}${props.home ? "&home=1" : ""}`;
      const res = await fetch(url, { headers: { accept: "application/json" } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const body = await res.json() as { days: ApiDay[] };
      if (id !== request.current) return null;
      for (const d of body.days) cache.current.set(d.date, d.slots.map((s) => s.start));
      return body.days;
    } catch {
      if (id === request.current) status.value = labels.loadError;
      return null;
    } finally {
      if (id === request.current) busy.value = false;
    }
  }

  function show(date: string) {
    selected.value = date;
    slots.value = cache.current.get(date) ?? [];
    const count = slots.value.length;
    status.value = `${labels.slotsFor.replace("{date}", fullDualDate(date, fmt))}${
      count ? "" : ` ${labels.noSlots}`
    }`;
    history.replaceState(history.state, "", href(date));
  }

  async function pick(event: Event, date: string) {
    event.preventDefault();
    if (!cache.current.has(date) && !(await load(date, 1))) return;
    show(date);
  }

  async function shift(event: Event, start: string) {
    event.preventDefault();
    const loaded = await load(start, WINDOW);
    if (!loaded) return;
    days.value = loaded.map((d) => ({
      date: d.date,
      available: d.slots.length > 0 && d.date <= props.lastDate,
    }));
    show(loaded.find((d) => d.slots.length > 0)?.date ?? start);
  }

  const first = days.value[0].date;
  const last = days.value[days.value.length - 1].date;
  const earlier = first > props.today ? maxDate(addDays(first, -WINDOW), props.today) : null;
  const later = last < props.lastDate ? addDays(last, 1) : null;
  const nextFree = days.value.find((d) => d.available && d.date > selected.value);

  const groups: Record<DayPart, string[]> = { morning: [], afternoon: [], evening: [] };
  for (const start of slots.value) groups[dayPart(Date.parse(start), timeZone)].push(start);

  return (
    <div class="space-y-4">
      <p class="text-xs text-stone-600">{labels.zone}</p>
      <div class="space-y-2">
        <ol class="flex gap-2 overflow-x-auto pb-2" aria-label={labels.dates}>
          {days.value.map((d) => {
            const current = d.date === selected.value;
            const tone = current ? TONE.current : d.available ? TONE.open : TONE.full;
            return (
              <li class="shrink-0" key={d.date}>
                <a
                  href={href(d.date)}
                  aria-current={current ? "date" : undefined}
                  onClick={(e) => pick(e, d.date)}
                  class={`${DAY} ${tone}`}
                >
                  <span class="text-xs font-semibold">
                    {d.date === props.today
                      ? labels.today
                      : d.date === addDays(props.today, 1)
                      ? labels.tomorrow
                      : weekdayShort(d.date, fmt)}
                  </span>
                  <span class="text-sm">{dayMonth(d.date, fmt)}</span>
                  <span class="text-[0.7rem]">{hijriDayMonth(d.date, fmt)}</span>
                  {d.available ? null : <span class="sr-only">{labels.dayUnavailable}</span>}
                </a>
              </li>
            );
          })}
        </ol>
        <div class="flex items-center gap-2">
          {earlier
            ? (
              <a href={href(earlier)} class={NAV} onClick={(e) => shift(e, earlier)}>
                {labels.earlier}
              </a>
            )
            : null}
          {later
            ? (
              <a href={href(later)} class={`${NAV} ms-auto`} onClick={(e) => shift(e, later)}>
                {labels.later}
              </a>
            )
            : null}
        </div>
      </div>

      <form method="get" action={props.action} class="space-y-4" aria-busy={busy.value}>
        <input type="hidden" name="service" value={props.service} />
        {(props.keep ?? []).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <input type="hidden" name="staff" value={props.staff} />
        <input type="hidden" name="date" value={selected.value} />
        <h3 class="font-semibold">
          {labels.slotsFor.replace("{date}", fullDualDate(selected.value, fmt))}
        </h3>
        <div class={BOX} hidden={slots.value.length > 0}>
          <p>{labels.noSlots}</p>
          {nextFree
            ? (
              <a href={href(nextFree.date)} onClick={(e) => pick(e, nextFree.date)} class={LINK}>
                {labels.firstFree.replace("{date}", fullDualDate(nextFree.date, fmt))}
              </a>
            )
            : null}
        </div>
        {(["morning", "afternoon", "evening"] as const).map((part) =>
          groups[part].length
            ? (
              <fieldset key={part}>
                <legend class={LEGEND}>{labels[part]}</legend>
                <div class={GRID}>
                  {groups[part].map((start) => (
                    <label key={start} class="relative">
                      <input
                        type="radio"
                        name="start"
                        value={start}
                        required
                        class="peer sr-only"
                      />
                      <span class={CHIP}>{formatTime(Date.parse(start), timeZone, fmt)}</span>
                    </label>
                  ))}
                </div>
              </fieldset>
            )
            : null
        )}
        <p role="status" class="sr-only">{status.value}</p>
        <p class={BOX} role="alert" hidden={status.value !== labels.loadError}>
          {labels.loadError}
        </p>
        <button type="submit" class={BUTTON} hidden={slots.value.length === 0}>
          {labels.continue}
        </button>
        {
          /* Classes some states use only after a client-side update: listed in an inert
            <template> so the CSS extracted from the server's HTML always has them. */
        }
        <template>
          <span class={ALL_CLASSES} />
        </template>
      </form>
    </div>
  );
}

function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}
