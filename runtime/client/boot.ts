/// <reference lib="dom" />
import { type ComponentType, h, hydrate } from "preact";
import { signal } from "@preact/signals";
import { decodeProp } from "../serialize.ts";

export interface BootPayload {
  props: unknown[];
  signals: unknown[];
}

/** The island's own slot: the first <salon-slot> not inside a nested island. */
function ownSlot(island: Element): Element | null {
  for (const slot of island.querySelectorAll("salon-slot")) {
    if (slot.parentElement?.closest("salon-island") === island) return slot;
  }
  return null;
}

/** Hydrates every marked island in place with its props; signals shared by id stay shared. */
export function boot(
  islands: Record<string, ComponentType<Record<string, unknown>>>,
  payload: BootPayload,
) {
  const noSlot = () => null;
  const signals = payload.signals.map((value) =>
    signal(decodeProp(value, { signal: () => undefined, slot: noSlot }))
  );
  for (const el of document.querySelectorAll("salon-island")) {
    const component = islands[(el as HTMLElement).dataset.island ?? ""];
    const encoded = payload.props[Number((el as HTMLElement).dataset.props)];
    if (!component || encoded === undefined) continue;
    const slot = ownSlot(el);
    const props = decodeProp(encoded, {
      signal: (id) => signals[id],
      slot: () =>
        // During hydration Preact leaves innerHTML alone, so the server's children stay as they are.
        h("salon-slot", { dangerouslySetInnerHTML: { __html: slot?.innerHTML ?? "" } }),
    }) as Record<string, unknown>;
    hydrate(h(component, props), el);
  }
}
