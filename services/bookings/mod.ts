export { createBooking, depositFor } from "./create.ts";
export type { CreateBookingInput, CreateBookingResult } from "./create.ts";
export { cancelBooking, changeBookingStatus, customerChangeDeadline } from "./lifecycle.ts";
export { rescheduleBooking } from "./reschedule.ts";
export {
  getBookingDetails,
  isPayAtSalonFallback,
  listBookingEvents,
  listCustomerBookings,
  payAtSalonReason,
} from "./queries.ts";
export type { BookingDetails } from "./queries.ts";
export { bookingIcs, icsVersion } from "./ics.ts";
export * from "./model.ts";
export { cancelBookingItem } from "./cancel_item.ts";
export type { ItemCancelOutcome } from "./cancel_item.ts";
export { guestsOfBooking, itemJson, itemsOfBooking, itemsOfBookings } from "./items.ts";
export type { BookingGuest, BookingItemDetails, BookingItemRow } from "./items.ts";
