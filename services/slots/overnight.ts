/**
 * Opening hours that run past midnight. They are stored one day at a time (the slot engine's
 * weekly intervals end by 1440), so "Thursday 4:00 pm – 1:00 am" is Thursday 16:00–24:00 plus
 * Friday 00:00–01:00. People read and write it as one range on the day it starts: these two
 * functions convert between the two forms, where a range past midnight ends after 1440.
 */
import type { WeeklyInterval } from "./engine.ts";

const DAY = 1440;
const nextWeekday = (weekday: number) => weekday % 7 + 1;

/**
 * Joins an interval that runs to midnight with the next day's interval from midnight into one
 * range ending after 1440, when the pair reads unambiguously as one evening (the morning part
 * ends before the evening part starts, so the range is shorter than a day). Everything else is
 * returned as it is.
 */
export function foldOvernight(hours: readonly WeeklyInterval[]): WeeklyInterval[] {
  const joined = new Set<WeeklyInterval>();
  const out: WeeklyInterval[] = [];
  for (const h of hours) {
    if (joined.has(h)) continue;
    const morning = h.endMinute === DAY && h.startMinute > 0
      ? hours.find((m) =>
        m.weekday === nextWeekday(h.weekday) && m.startMinute === 0 &&
        m.endMinute < h.startMinute && !joined.has(m) && m !== h
      )
      : undefined;
    if (morning) {
      joined.add(morning);
      out.push({ ...h, endMinute: DAY + morning.endMinute });
    } else out.push(h);
  }
  // A morning part met before its evening was pushed as it is: drop it now that it is joined.
  return out.filter((h) => !joined.has(h));
}

/** Splits each range ending after 1440 into its evening (to midnight) and the next day's morning. */
export function splitOvernight(hours: readonly WeeklyInterval[]): WeeklyInterval[] {
  return hours.flatMap((h) =>
    h.endMinute <= DAY ? [h] : [
      { weekday: h.weekday, startMinute: h.startMinute, endMinute: DAY },
      { weekday: nextWeekday(h.weekday), startMinute: 0, endMinute: h.endMinute - DAY },
    ]
  );
}
