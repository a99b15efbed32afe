/** Server-only list pieces of the dashboard pages: filter bars and rows of things. */
import type { ComponentChildren } from "preact";
import type { RequestState } from "@/routes/_define.ts";
import { INPUT, RowAction } from "./ui.tsx";

/** A bordered list with a row per item, or the `empty` message when there are none. */
export function RowList<T>(
  { items, empty, row }: {
    items: readonly T[];
    empty: string;
    row: (item: T) => ComponentChildren;
  },
) {
  if (items.length === 0) return <p class="text-stone-600">{empty}</p>;
  return (
    <ul class="divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white">
      {items.map(row)}
    </ul>
  );
}

/** A list row describing something, with a "remove" button posting `intent` for it. */
export function RemovableRow(
  { action, intent, state, name, value, children }: {
    action: string;
    intent: string;
    state: RequestState;
    /** The hidden field naming the row. */
    name: string;
    value: string;
    children: ComponentChildren;
  },
) {
  return (
    <li class="flex flex-wrap items-center gap-3 px-4 py-3">
      <span class="me-auto">{children}</span>
      <RowAction action={action} intent={intent} state={state} name={name} value={value}>
        {state.t("dash.remove")}
      </RowAction>
    </li>
  );
}

/** A labelled control of a filter bar. */
export function FilterLabel({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <label class="block">
      <span class="mb-1 block text-sm font-medium">{label}</span>
      {children}
    </label>
  );
}

/** A filter select: "any" (empty value) first, then the options, the current one selected. */
export function FilterSelect(
  { name, label, any, options, selected }: {
    name: string;
    label: string;
    any: string;
    options: readonly (readonly [string, string])[];
    selected: string | null | undefined;
  },
) {
  return (
    <FilterLabel label={label}>
      <select name={name} class={INPUT}>
        <option value="">{any}</option>
        {options.map(([value, text]) => (
          <option key={value} value={value} selected={value === selected}>{text}</option>
        ))}
      </select>
    </FilterLabel>
  );
}

/** A list's GET filter form (a search landmark), opening with the from/to dates. */
export function FilterBar(
  { action, state, from, to, columns, children }: {
    action: string;
    state: RequestState;
    from: string;
    to: string;
    /** The large-screen grid, e.g. `lg:grid-cols-5`. */
    columns: string;
    children: ComponentChildren;
  },
) {
  const { t } = state;
  return (
    <form
      method="get"
      action={action}
      class={`grid gap-3 rounded-xl border border-stone-200 bg-white p-4 sm:grid-cols-2 ${columns}`}
      role="search"
    >
      <FilterLabel label={t("dash.bookings.from")}>
        <input type="date" name="from" value={from} class={INPUT} />
      </FilterLabel>
      <FilterLabel label={t("dash.bookings.to")}>
        <input type="date" name="to" value={to} class={INPUT} />
      </FilterLabel>
      {children}
    </form>
  );
}
