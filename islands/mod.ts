import type { ComponentType } from "preact";
import BasketPicker from "./BasketPicker.tsx";
import ClientPhone from "./ClientPhone.tsx";
import OtpEntry from "./OtpEntry.tsx";
import SlotPicker from "./SlotPicker.tsx";
import WhereChoice from "./WhereChoice.tsx";

/**
 * Every island, by name (the file name). Pages import islands directly; this registry lets the
 * server recognize them. tests/routes_test.ts checks it lists every file in this folder.
 */
export const islands: Record<string, ComponentType<never>> = {
  BasketPicker,
  ClientPhone,
  OtpEntry,
  SlotPicker,
  WhereChoice,
};
