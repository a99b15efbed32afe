/**
 * How pages name a person from a `users` row, in SQL, so no query can show a deleted account's
 * tombstone number. A deleted account (`users.deleted_at` set, see services/privacy/delete.ts)
 * keeps its row for the salon's accounts, with blank names and a tombstone phone (`+99999…`) that
 * is no one's: these expressions give no phone and no name for it, and say that it was deleted,
 * so the page shows a "Deleted customer" label instead (components/dashboard/people.ts).
 */

/** SQL: the phone of the user aliased `u` as pages may show it; NULL for a deleted account. */
export function shownPhoneSql(u = "u"): string {
  return `CASE WHEN ${u}.deleted_at IS NULL THEN ${u}.phone_number END`;
}

/** SQL: the user's full name, else their shown phone, else '' (so '' for a deleted account). */
export function shownNameSql(u = "u"): string {
  return `coalesce(nullif(trim(${u}.first_name || ' ' || ${u}.last_name), ''), ${
    shownPhoneSql(u)
  }, '')`;
}

/** SQL: true when the user's account was deleted (false with no user row, as in a LEFT JOIN). */
export function deletedSql(u = "u"): string {
  return `(${u}.deleted_at IS NOT NULL)`;
}

/** What a query selects about a booking's or a payment's customer ({@link customerColumnsSql}). */
export interface CustomerColumns {
  /** The name, else the phone number, else '' (no customer, or a deleted one). */
  customer_name: string;
  /** E.164; null with no customer or a deleted one. */
  customer_phone: string | null;
  /** The customer deleted their account: pages show "Deleted customer". */
  customer_deleted: boolean;
}

/** SQL select list: `customer_phone`, `customer_name` and `customer_deleted` of the user `u`. */
export function customerColumnsSql(u = "u"): string {
  return `${shownPhoneSql(u)} AS customer_phone, ${shownNameSql(u)} AS customer_name,
         ${deletedSql(u)} AS customer_deleted`;
}
