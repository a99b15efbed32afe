import type { Db, Tx } from "@/db/types.ts";
import { type BookingItemDetails, itemsOfBooking } from "@/services/bookings/items.ts";
import type { BookingRow } from "@/services/bookings/model.ts";
import { authorizeSalon, type DashboardActor } from "@/services/dashboard/access.ts";
import { assertInScope } from "@/services/dashboard/bookings.ts";
import { NotFoundError, ValidationError } from "@/services/errors.ts";
import { isUuid } from "@/services/ids.ts";
import { collectedPayments } from "@/services/payments/reprice.ts";
import { type CheckoutInput, discountOf } from "./checkout.ts";
import { invoicesOfBooking } from "./queries.ts";
import { type PricedInvoice, priceInvoice, STANDARD_VAT_BP } from "./vat.ts";

export interface SheetOption {
  id: string;
  name_ar: string;
  name_en: string;
}

/** One line as checkout would invoice it now. */
export interface SheetLine {
  description_ar: string;
  description_en: string;
  staff_ar: string | null;
  staff_en: string | null;
  unit_price_halalas: number;
}

/** What the checkout page shows: the visit, the choices, and the totals of the changes given. */
export interface CheckoutSheet {
  booking: Pick<BookingRow, "id" | "status" | "home_surcharge_halalas">;
  items: BookingItemDetails[];
  staff: SheetOption[];
  services: (SheetOption & { price_halalas: number })[];
  vatRegistered: boolean;
  /** Already issued for this visit (checkout is then closed). */
  invoices: Awaited<ReturnType<typeof invoicesOfBooking>>;
  /** Collected online and not given back: counts first. */
  onlineHalalas: number;
  /** The totals of the changes given, or null (with `problem`) when they cannot be priced. */
  totals: { lines: SheetLine[]; priced: PricedInvoice; balanceHalalas: number } | null;
  problem: ValidationError | null;
}

/**
 * Reads everything the checkout page needs and prices the visit with the given changes exactly as
 * `checkoutBooking` would (same lines, discount rule, VAT rule and online credit), changing
 * nothing: the transaction only reads. Staff and managers of the salon.
 *
 * @throws NotFoundError for a booking of another salon or out of the caller's scope.
 */
export async function checkoutSheet(
  db: Db,
  actor: DashboardActor,
  input: Omit<CheckoutInput, "payments">,
): Promise<CheckoutSheet> {
  return await db.transaction(async (tx) => {
    const access = await authorizeSalon(tx, actor.user, input.salonId, "staff");
    if (!isUuid(input.bookingId)) throw new NotFoundError();
    const [booking] = await tx.query<BookingRow>(
      "SELECT * FROM bookings WHERE id = $1 AND salon_id = $2",
      [input.bookingId, input.salonId],
    );
    if (!booking) throw new NotFoundError();
    const items = await itemsOfBooking(tx, booking.id);
    assertInScope(access, { ...booking, items });
    const staff = await tx.query<SheetOption>(
      "SELECT id, name_ar, name_en FROM staff WHERE salon_id = $1 AND active ORDER BY sort_order, name_en",
      [input.salonId],
    );
    const services = await tx.query<SheetOption & { price_halalas: number }>(
      `SELECT id, name_ar, name_en, price_halalas FROM services WHERE salon_id = $1 AND active
       ORDER BY sort_order, name_en`,
      [input.salonId],
    );
    const [salon] = await tx.query<{ vat_registered: boolean }>(
      "SELECT vat_registered FROM salons WHERE id = $1",
      [input.salonId],
    );
    const online = (await collectedPayments(tx, booking.id)).reduce(
      (sum, p) =>
        sum + Math.max(0, p.captured_halalas - p.refunded_halalas - p.pending_refund_halalas),
      0,
    );
    let totals: CheckoutSheet["totals"] = null;
    let problem: ValidationError | null = null;
    try {
      const lines = await linesOf(tx, booking, items, input.items ?? []);
      if (lines.length === 0) throw new ValidationError({ items: ["checkout.error.noLines"] });
      const subtotal = lines.reduce((sum, l) => sum + l.unit_price_halalas, 0);
      const priced = priceInvoice(
        lines.map((l) => ({ unitPriceHalalas: l.unit_price_halalas, quantity: 1 })),
        discountOf(input.discount, subtotal),
        salon.vat_registered ? STANDARD_VAT_BP : 0,
      );
      totals = {
        lines,
        priced,
        balanceHalalas: priced.totalHalalas - Math.min(online, priced.totalHalalas),
      };
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      problem = err;
    }
    return {
      booking,
      items,
      staff,
      services,
      vatRegistered: salon.vat_registered,
      invoices: await invoicesOfBooking(tx, booking.id),
      onlineHalalas: online,
      totals,
      problem,
    };
  });
}

/** The lines checkout would invoice (see applyItemChanges in checkout.ts), computed in memory. */
async function linesOf(
  tx: Tx,
  booking: BookingRow,
  items: BookingItemDetails[],
  changes: NonNullable<CheckoutInput["items"]>,
): Promise<SheetLine[]> {
  const staffName = async (id: string) => {
    if (!isUuid(id)) throw new ValidationError({ staff: ["slots.error.staff"] });
    const [row] = await tx.query<{ name_ar: string; name_en: string }>(
      "SELECT name_ar, name_en FROM staff WHERE id = $1 AND salon_id = $2",
      [id, booking.salon_id],
    );
    if (!row) throw new ValidationError({ staff: ["slots.error.staff"] });
    return row;
  };
  const lines: SheetLine[] = [];
  for (const it of items.filter((i) => i.status === "active")) {
    const change = changes.find((c) => "id" in c && c.id === it.id) as
      | { id: string; remove?: boolean; staff?: string }
      | undefined;
    if (change?.remove) continue;
    let staff = { name_ar: it.staff_name_ar, name_en: it.staff_name_en };
    if (change?.staff && change.staff !== it.staff_id) staff = await staffName(change.staff);
    lines.push({
      description_ar: it.service_name_ar,
      description_en: it.service_name_en,
      staff_ar: staff.name_ar,
      staff_en: staff.name_en,
      unit_price_halalas: it.price_halalas,
    });
  }
  for (const change of changes) {
    if (!("id" in change)) continue;
    if (!items.some((i) => i.id === change.id && i.status === "active")) {
      throw new ValidationError({ items: ["checkout.error.item"] });
    }
  }
  if (booking.home_surcharge_halalas > 0) {
    lines.push({
      description_ar: `زيارة منزلية${
        booking.home_district_name ? ` (${booking.home_district_name})` : ""
      }`,
      description_en: "Home visit",
      staff_ar: null,
      staff_en: null,
      unit_price_halalas: booking.home_surcharge_halalas,
    });
  }
  for (const change of changes) {
    if ("id" in change) continue;
    if (!isUuid(change.service) || !isUuid(change.staff)) {
      throw new ValidationError({ items: ["checkout.error.item"] });
    }
    const [row] = await tx.query<
      { name_ar: string; name_en: string; staff_ar: string; staff_en: string; price: number }
    >(
      `SELECT v.name_ar, v.name_en, st.name_ar AS staff_ar, st.name_en AS staff_en,
              coalesce(ss.price_halalas, v.price_halalas) AS price
       FROM services v JOIN staff st ON st.id = $2 AND st.salon_id = v.salon_id
       LEFT JOIN staff_services ss ON ss.service_id = v.id AND ss.staff_id = st.id
       WHERE v.id = $1 AND v.salon_id = $3`,
      [change.service, change.staff, booking.salon_id],
    );
    if (!row) throw new ValidationError({ items: ["checkout.error.item"] });
    lines.push({
      description_ar: row.name_ar,
      description_en: row.name_en,
      staff_ar: row.staff_ar,
      staff_en: row.staff_en,
      unit_price_halalas: row.price,
    });
  }
  return lines;
}
