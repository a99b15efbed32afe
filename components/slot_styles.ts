/**
 * The look of a date strip and a time grid, shared by the booking picker (islands/SlotPicker.tsx)
 * and the reschedule page, so moving a booking looks like booking one.
 */
export const NAV =
  "shrink-0 rounded-full border border-stone-300 bg-white px-3 py-2 text-sm hover:border-rose-600";
export const DAY =
  "relative flex min-w-[5rem] flex-col items-center whitespace-nowrap rounded-xl border px-3 py-2 text-center focus:outline-none focus-visible:ring-2 focus-visible:ring-rose-400";
export const TONE = {
  current: "bg-rose-700 border-rose-700 text-white",
  open: "bg-white border-stone-300 text-stone-900 hover:border-rose-600",
  full: "bg-stone-100 border-stone-200 text-stone-600 line-through",
};
export const BOX = "rounded-xl bg-stone-100 p-4 text-stone-700";
export const LINK = "text-rose-700 underline underline-offset-4";
export const LEGEND = "mb-2 text-sm font-medium text-stone-700";
export const GRID = "grid grid-cols-3 gap-2 sm:grid-cols-6";
/** A time as a radio button's visible label: the radio itself is `peer sr-only`. */
export const CHIP =
  "block cursor-pointer rounded-lg border border-stone-300 bg-white px-2 py-2 text-center text-sm peer-checked:border-rose-700 peer-checked:bg-rose-700 peer-checked:text-white peer-focus-visible:ring-2 peer-focus-visible:ring-rose-400 hover:border-rose-600";
export const BUTTON =
  "rounded-full bg-rose-700 px-6 py-2 font-medium text-white hover:bg-rose-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-rose-400";
