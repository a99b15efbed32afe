import type { RouteModule } from "./_define.ts";
import * as healthz from "./healthz.ts";
import * as home from "./index.tsx";
import * as readyz from "./readyz.ts";
import * as salonPage from "./salons/[slug]/index.tsx";
import * as salonBook from "./salons/[slug]/book.tsx";
import * as apiSalons from "./api/salons/index.ts";
import * as apiSalon from "./api/salons/[slug]/index.ts";
import * as apiSalonSlots from "./api/salons/[slug]/slots.ts";
import * as bookingLink from "./b/[code].ts";
import * as login from "./login.tsx";
import * as logout from "./logout.ts";
import * as me from "./me.tsx";
import * as devMessages from "./dev/messages.tsx";
import * as apiAuthPhoneRequest from "./api/auth/phone/request.ts";
import * as apiAuthPhoneVerify from "./api/auth/phone/verify.ts";
import * as apiAuthOtpRequest from "./api/auth/otp/request.ts";
import * as apiAuthOtpVerify from "./api/auth/otp/verify.ts";
import * as apiAuthToken from "./api/auth/token/index.ts";
import * as apiAuthTokenRefresh from "./api/auth/token/refresh.ts";
import * as apiAuthLogout from "./api/auth/logout.ts";
import * as apiAuthMe from "./api/auth/me.ts";
import * as apiAuthSocial from "./api/auth/social.ts";
import * as apiBookings from "./api/bookings/index.ts";
import * as bookingPage from "./bookings/[id].tsx";
import * as bookingCancel from "./bookings/[id]/cancel.ts";
import * as bookingReschedule from "./bookings/[id]/reschedule.tsx";
import * as bookingIcs from "./bookings/[id]/calendar.ics.ts";
import * as myBookings from "./me/bookings.tsx";
import * as apiBooking from "./api/bookings/[id]/index.ts";
import * as apiBookingCancel from "./api/bookings/[id]/cancel.ts";
import * as apiBookingReschedule from "./api/bookings/[id]/reschedule.ts";

/**
 * The route table: URL pattern → route file. The path is the file's path (`[slug]` → `:slug`,
 * `index` → folder, files under `api/` end with `/`); tests/routes_test.ts checks every file here.
 */
export const routes: ReadonlyArray<readonly [string, RouteModule, string]> = [
  ["/", home, "index.tsx"],
  ["/healthz", healthz, "healthz.ts"],
  ["/readyz", readyz, "readyz.ts"],
  ["/salons/:slug", salonPage, "salons/[slug]/index.tsx"],
  ["/salons/:slug/book", salonBook, "salons/[slug]/book.tsx"],
  ["/api/salons/", apiSalons, "api/salons/index.ts"],
  ["/api/salons/:slug/", apiSalon, "api/salons/[slug]/index.ts"],
  ["/api/salons/:slug/slots/", apiSalonSlots, "api/salons/[slug]/slots.ts"],
  ["/b/:code", bookingLink, "b/[code].ts"],
  ["/login", login, "login.tsx"],
  ["/logout", logout, "logout.ts"],
  ["/me", me, "me.tsx"],
  ["/dev/messages", devMessages, "dev/messages.tsx"],
  ["/api/auth/phone/request/", apiAuthPhoneRequest, "api/auth/phone/request.ts"],
  ["/api/auth/phone/verify/", apiAuthPhoneVerify, "api/auth/phone/verify.ts"],
  ["/api/auth/otp/request/", apiAuthOtpRequest, "api/auth/otp/request.ts"],
  ["/api/auth/otp/verify/", apiAuthOtpVerify, "api/auth/otp/verify.ts"],
  ["/api/auth/token/", apiAuthToken, "api/auth/token/index.ts"],
  ["/api/auth/token/refresh/", apiAuthTokenRefresh, "api/auth/token/refresh.ts"],
  ["/api/auth/logout/", apiAuthLogout, "api/auth/logout.ts"],
  ["/api/auth/me/", apiAuthMe, "api/auth/me.ts"],
  ["/api/auth/social/", apiAuthSocial, "api/auth/social.ts"],
  ["/api/bookings/", apiBookings, "api/bookings/index.ts"],
  ["/bookings/:id", bookingPage, "bookings/[id].tsx"],
  ["/bookings/:id/cancel", bookingCancel, "bookings/[id]/cancel.ts"],
  ["/bookings/:id/reschedule", bookingReschedule, "bookings/[id]/reschedule.tsx"],
  ["/bookings/:id/calendar.ics", bookingIcs, "bookings/[id]/calendar.ics.ts"],
  ["/me/bookings", myBookings, "me/bookings.tsx"],
  ["/api/bookings/:id/", apiBooking, "api/bookings/[id]/index.ts"],
  ["/api/bookings/:id/cancel/", apiBookingCancel, "api/bookings/[id]/cancel.ts"],
  ["/api/bookings/:id/reschedule/", apiBookingReschedule, "api/bookings/[id]/reschedule.ts"],
];
