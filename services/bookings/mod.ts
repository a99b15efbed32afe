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
