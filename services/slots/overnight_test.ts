import assert from "node:assert/strict";
import type { WeeklyInterval } from "./engine.ts";
import { foldOvernight, splitOvernight } from "./overnight.ts";

const h = (weekday: number, startMinute: number, endMinute: number): WeeklyInterval => ({
  weekday,
  startMinute,
  endMinute,
});

Deno.test("overnight hours - an evening to midnight and the next morning fold into one range, and split back", () => {
  const stored = [h(1, 0, 60), h(4, 960, 1440), h(5, 0, 60), h(5, 600, 780), h(7, 1200, 1440)];
  const folded = foldOvernight(stored);
  assert.deepEqual(folded, [h(4, 960, 1500), h(5, 600, 780), h(7, 1200, 1500)]);
  const sort = (list: WeeklyInterval[]) =>
    [...list].sort((a, b) => a.weekday - b.weekday || a.startMinute - b.startMinute);
  assert.deepEqual(sort(splitOvernight(folded)), sort(stored));
});

Deno.test("overnight hours - pairs that do not read as one evening stay as they are", () => {
  // Open around the clock: a day from midnight to midnight is not an evening's tail.
  const allDay = [h(1, 0, 1440), h(2, 0, 1440)];
  assert.deepEqual(foldOvernight(allDay), allDay);
  // The morning runs past the evening's start: one range would read as longer than a day.
  const long = [h(3, 600, 1440), h(4, 0, 700)];
  assert.deepEqual(foldOvernight(long), long);
  // A morning that does not start at midnight belongs to its own day.
  const gap = [h(3, 960, 1440), h(4, 30, 60)];
  assert.deepEqual(foldOvernight(gap), gap);
});
