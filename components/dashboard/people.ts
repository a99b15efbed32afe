/**
 * How the dashboard names a person (a booking's or payment's customer, a reviewer, who made a
 * change). The queries (services/people.ts) already give no phone and no name for a deleted
 * account; here it gets its label, so no page and no export shows its tombstone number.
 */
import type { MessageKey, Translator } from "@/i18n/mod.ts";
import { formatPhone } from "@/services/auth/phone.ts";
import type { CustomerColumns } from "@/services/people.ts";

export interface Person {
  name: string | null;
  /** E.164. */
  phone: string | null;
  deleted: boolean;
}

/**
 * "Deleted customer" (or `deletedKey`) for a deleted account, else the name, else the phone
 * number formatted for reading, else "" (no one: the caller says what to show).
 */
export function personLabel(
  t: Translator,
  person: Person,
  deletedKey: MessageKey = "dash.customer.deleted",
): string {
  if (person.deleted) return t(deletedKey);
  if (person.name && person.name !== person.phone) return person.name;
  return person.phone ? formatPhone(person.phone) : "";
}

/** {@link personLabel} of a booking's or payment's customer. */
export function customerLabel(t: Translator, row: CustomerColumns): string {
  return personLabel(t, {
    name: row.customer_name,
    phone: row.customer_phone,
    deleted: row.customer_deleted,
  });
}

/** The customer's phone number when the page may show or dial it: never a deleted account's. */
export function customerPhone(row: CustomerColumns): string | null {
  return row.customer_deleted ? null : row.customer_phone;
}
