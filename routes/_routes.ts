import type { RouteModule } from "./_define.ts";
import * as healthz from "./healthz.ts";
import * as robots from "./robots.txt.ts";
import * as sitemap from "./sitemap.xml.ts";
import * as home from "./index.tsx";
import * as readyz from "./readyz.ts";
import * as bookingLink from "./b/[code].ts";
import * as bookingDocLink from "./b/[code]/[doc].ts";
import * as salonPage from "./salons/[slug]/index.tsx";
import * as salonBook from "./salons/[slug]/book.tsx";
import * as salonVisit from "./salons/[slug]/visit.tsx";
import * as apiSalons from "./api/salons/index.ts";
import * as apiSalon from "./api/salons/[slug]/index.ts";
import * as apiSalonSlots from "./api/salons/[slug]/slots.ts";
import * as apiSalonBookings from "./api/salons/[slug]/bookings/index.ts";
import * as apiSalonCheckout from "./api/salons/[slug]/bookings/[id]/checkout.ts";
import * as apiInvoice from "./api/invoices/[id]/index.ts";
import * as apiInvoiceCredit from "./api/invoices/[id]/credit-notes.ts";
import * as invoicePage from "./invoices/[id].tsx";
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
import * as apiAuthRegister from "./api/auth/register.ts";
import * as apiAuthSocial from "./api/auth/social.ts";
import * as apiBookings from "./api/bookings/index.ts";
import * as bookingPage from "./bookings/[id].tsx";
import * as bookingCancel from "./bookings/[id]/cancel.tsx";
import * as bookingReschedule from "./bookings/[id]/reschedule.tsx";
import * as bookingItemCancel from "./bookings/[id]/items/[item]/cancel.tsx";
import * as bookingIcs from "./bookings/[id]/calendar.ics.ts";
import * as myBookings from "./me/bookings.tsx";
import * as apiBooking from "./api/bookings/[id]/index.ts";
import * as apiBookingCancel from "./api/bookings/[id]/cancel.ts";
import * as apiBookingReschedule from "./api/bookings/[id]/reschedule.ts";
import * as apiBookingItemCancel from "./api/bookings/[id]/items/[item]/cancel.ts";
import * as bookingPay from "./bookings/[id]/pay.ts";
import * as paymentCallback from "./payments/callback.ts";
import * as apiPayments from "./api/payments/index.ts";
import * as apiPaymentsWebhook from "./api/payments/webhook.ts";
import * as salonReviews from "./salons/[slug]/reviews.tsx";
import * as apiSalonReviews from "./api/salons/[slug]/reviews/index.ts";
import * as apiSalonReviewReply from "./api/salons/[slug]/reviews/[id]/reply.ts";
import * as apiSalonReviewHide from "./api/salons/[slug]/reviews/[id]/hide.ts";
import * as apiSalonReviewUnhide from "./api/salons/[slug]/reviews/[id]/unhide.ts";
import * as bookingReview from "./bookings/[id]/review.tsx";
import * as apiBookingReview from "./api/bookings/[id]/review.ts";
import * as privacy from "./privacy.tsx";
import * as apiPrivacyNotice from "./api/privacy/notice.ts";
import * as myPrivacy from "./me/privacy.tsx";
import * as myPrivacyExport from "./me/privacy/export.ts";
import * as myPrivacyDelete from "./me/privacy/delete.tsx";
import * as dashboard from "./dashboard/index.tsx";
import * as dashSalon from "./dashboard/[salon]/index.ts";
import * as dashAgenda from "./dashboard/[salon]/agenda.tsx";
import * as dashCommissions from "./dashboard/[salon]/commissions.tsx";
import * as dashCommissionsCsv from "./dashboard/[salon]/commissions.csv.ts";
import * as dashCalendar from "./dashboard/[salon]/calendar.tsx";
import * as dashBookings from "./dashboard/[salon]/bookings/index.tsx";
import * as dashBookingsCsv from "./dashboard/[salon]/bookings.csv.ts";
import * as dashBookingNew from "./dashboard/[salon]/bookings/new.tsx";
import * as dashBooking from "./dashboard/[salon]/bookings/[id]/index.tsx";
import * as dashBookingStatus from "./dashboard/[salon]/bookings/[id]/status.ts";
import * as dashBookingCancel from "./dashboard/[salon]/bookings/[id]/cancel.ts";
import * as dashBookingReschedule from "./dashboard/[salon]/bookings/[id]/reschedule.tsx";
import * as dashServices from "./dashboard/[salon]/services/index.tsx";
import * as dashService from "./dashboard/[salon]/services/[id].tsx";
import * as dashStaff from "./dashboard/[salon]/staff/index.tsx";
import * as dashStaffMember from "./dashboard/[salon]/staff/[id].tsx";
import * as dashSettings from "./dashboard/[salon]/settings.tsx";
import * as dashTax from "./dashboard/[salon]/tax.tsx";
import * as dashBookingCheckout from "./dashboard/[salon]/bookings/[id]/checkout.tsx";
import * as dashBookingCredit from "./dashboard/[salon]/bookings/[id]/credit.tsx";
import * as dashHomeService from "./dashboard/[salon]/home-service.tsx";
import * as dashTeam from "./dashboard/[salon]/team.tsx";
import * as dashAudit from "./dashboard/[salon]/audit.tsx";
import * as dashPayments from "./dashboard/[salon]/payments/index.tsx";
import * as dashWaitlist from "./dashboard/[salon]/waitlist.tsx";
import * as salonWaitlist from "./salons/[slug]/waitlist.tsx";
import * as waitlistOffer from "./waitlist/offers/[token].tsx";
import * as dashPayment from "./dashboard/[salon]/payments/[id].tsx";
import * as dashReviews from "./dashboard/[salon]/reviews.tsx";
import * as dashReports from "./dashboard/[salon]/reports.tsx";
import * as dashClientsJson from "./dashboard/[salon]/clients.json.ts";
import * as dashClients from "./dashboard/[salon]/clients/index.tsx";
import * as dashClient from "./dashboard/[salon]/clients/[id].tsx";
import * as admin from "./admin/index.tsx";
import * as photoFile from "./photos/[id]/[file].ts";
import * as adminPhotos from "./admin/photos.tsx";
import * as dashPhotos from "./dashboard/[salon]/photos.tsx";
import * as dashStaffPhotos from "./dashboard/[salon]/staff/[id]/photos.tsx";
import * as dashServicePhoto from "./dashboard/[salon]/services/[id]/photo.tsx";

/**
 * The route table: URL pattern → route file. The path is the file's path (`[slug]` → `:slug`,
 * `index` → folder, files under `api/` end with `/`); tests/routes_test.ts checks every file here.
 */
export const routes: ReadonlyArray<readonly [string, RouteModule, string]> = [
  ["/", home, "index.tsx"],
  ["/healthz", healthz, "healthz.ts"],
  ["/robots.txt", robots, "robots.txt.ts"],
  ["/sitemap.xml", sitemap, "sitemap.xml.ts"],
  ["/readyz", readyz, "readyz.ts"],
  ["/b/:code", bookingLink, "b/[code].ts"],
  ["/b/:code/:doc", bookingDocLink, "b/[code]/[doc].ts"],
  ["/salons/:slug", salonPage, "salons/[slug]/index.tsx"],
  ["/salons/:slug/book", salonBook, "salons/[slug]/book.tsx"],
  ["/salons/:slug/visit", salonVisit, "salons/[slug]/visit.tsx"],
  ["/salons/:slug/waitlist", salonWaitlist, "salons/[slug]/waitlist.tsx"],
  ["/waitlist/offers/:token", waitlistOffer, "waitlist/offers/[token].tsx"],
  ["/photos/:id/:file", photoFile, "photos/[id]/[file].ts"],
  ["/api/salons/", apiSalons, "api/salons/index.ts"],
  ["/api/salons/:slug/", apiSalon, "api/salons/[slug]/index.ts"],
  ["/api/salons/:slug/slots/", apiSalonSlots, "api/salons/[slug]/slots.ts"],
  ["/api/salons/:slug/bookings/", apiSalonBookings, "api/salons/[slug]/bookings/index.ts"],
  [
    "/api/salons/:slug/bookings/:id/checkout/",
    apiSalonCheckout,
    "api/salons/[slug]/bookings/[id]/checkout.ts",
  ],
  ["/api/invoices/:id/", apiInvoice, "api/invoices/[id]/index.ts"],
  ["/api/invoices/:id/credit-notes/", apiInvoiceCredit, "api/invoices/[id]/credit-notes.ts"],
  ["/invoices/:id", invoicePage, "invoices/[id].tsx"],
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
  ["/api/auth/register/", apiAuthRegister, "api/auth/register.ts"],
  ["/api/auth/social/", apiAuthSocial, "api/auth/social.ts"],
  ["/api/bookings/", apiBookings, "api/bookings/index.ts"],
  ["/bookings/:id", bookingPage, "bookings/[id].tsx"],
  ["/bookings/:id/cancel", bookingCancel, "bookings/[id]/cancel.tsx"],
  ["/bookings/:id/reschedule", bookingReschedule, "bookings/[id]/reschedule.tsx"],
  [
    "/bookings/:id/items/:item/cancel",
    bookingItemCancel,
    "bookings/[id]/items/[item]/cancel.tsx",
  ],
  ["/bookings/:id/calendar.ics", bookingIcs, "bookings/[id]/calendar.ics.ts"],
  ["/me/bookings", myBookings, "me/bookings.tsx"],
  ["/api/bookings/:id/", apiBooking, "api/bookings/[id]/index.ts"],
  ["/api/bookings/:id/cancel/", apiBookingCancel, "api/bookings/[id]/cancel.ts"],
  ["/api/bookings/:id/reschedule/", apiBookingReschedule, "api/bookings/[id]/reschedule.ts"],
  [
    "/api/bookings/:id/items/:item/cancel/",
    apiBookingItemCancel,
    "api/bookings/[id]/items/[item]/cancel.ts",
  ],
  ["/bookings/:id/pay", bookingPay, "bookings/[id]/pay.ts"],
  ["/payments/callback", paymentCallback, "payments/callback.ts"],
  ["/api/payments/", apiPayments, "api/payments/index.ts"],
  ["/api/payments/webhook/", apiPaymentsWebhook, "api/payments/webhook.ts"],
  ["/salons/:slug/reviews", salonReviews, "salons/[slug]/reviews.tsx"],
  ["/api/salons/:slug/reviews/", apiSalonReviews, "api/salons/[slug]/reviews/index.ts"],
  [
    "/api/salons/:slug/reviews/:id/reply/",
    apiSalonReviewReply,
    "api/salons/[slug]/reviews/[id]/reply.ts",
  ],
  [
    "/api/salons/:slug/reviews/:id/hide/",
    apiSalonReviewHide,
    "api/salons/[slug]/reviews/[id]/hide.ts",
  ],
  [
    "/api/salons/:slug/reviews/:id/unhide/",
    apiSalonReviewUnhide,
    "api/salons/[slug]/reviews/[id]/unhide.ts",
  ],
  ["/bookings/:id/review", bookingReview, "bookings/[id]/review.tsx"],
  ["/api/bookings/:id/review/", apiBookingReview, "api/bookings/[id]/review.ts"],
  ["/privacy", privacy, "privacy.tsx"],
  ["/api/privacy/notice/", apiPrivacyNotice, "api/privacy/notice.ts"],
  ["/me/privacy", myPrivacy, "me/privacy.tsx"],
  ["/me/privacy/export", myPrivacyExport, "me/privacy/export.ts"],
  ["/me/privacy/delete", myPrivacyDelete, "me/privacy/delete.tsx"],
  // The manager dashboard: each module exports `access` (tests/dashboard_authz_test.ts walks them).
  // `bookings/new` is listed before `bookings/:id` so the literal path wins.
  ["/dashboard", dashboard, "dashboard/index.tsx"],
  ["/dashboard/:salon", dashSalon, "dashboard/[salon]/index.ts"],
  ["/dashboard/:salon/agenda", dashAgenda, "dashboard/[salon]/agenda.tsx"],
  ["/dashboard/:salon/commissions", dashCommissions, "dashboard/[salon]/commissions.tsx"],
  [
    "/dashboard/:salon/commissions.csv",
    dashCommissionsCsv,
    "dashboard/[salon]/commissions.csv.ts",
  ],
  ["/dashboard/:salon/calendar", dashCalendar, "dashboard/[salon]/calendar.tsx"],
  ["/dashboard/:salon/bookings", dashBookings, "dashboard/[salon]/bookings/index.tsx"],
  ["/dashboard/:salon/waitlist", dashWaitlist, "dashboard/[salon]/waitlist.tsx"],
  ["/dashboard/:salon/bookings.csv", dashBookingsCsv, "dashboard/[salon]/bookings.csv.ts"],
  ["/dashboard/:salon/bookings/new", dashBookingNew, "dashboard/[salon]/bookings/new.tsx"],
  ["/dashboard/:salon/bookings/:id", dashBooking, "dashboard/[salon]/bookings/[id]/index.tsx"],
  [
    "/dashboard/:salon/bookings/:id/status",
    dashBookingStatus,
    "dashboard/[salon]/bookings/[id]/status.ts",
  ],
  [
    "/dashboard/:salon/bookings/:id/cancel",
    dashBookingCancel,
    "dashboard/[salon]/bookings/[id]/cancel.ts",
  ],
  [
    "/dashboard/:salon/bookings/:id/reschedule",
    dashBookingReschedule,
    "dashboard/[salon]/bookings/[id]/reschedule.tsx",
  ],
  [
    "/dashboard/:salon/bookings/:id/checkout",
    dashBookingCheckout,
    "dashboard/[salon]/bookings/[id]/checkout.tsx",
  ],
  [
    "/dashboard/:salon/bookings/:id/credit",
    dashBookingCredit,
    "dashboard/[salon]/bookings/[id]/credit.tsx",
  ],
  ["/dashboard/:salon/services", dashServices, "dashboard/[salon]/services/index.tsx"],
  ["/dashboard/:salon/services/:id", dashService, "dashboard/[salon]/services/[id].tsx"],
  [
    "/dashboard/:salon/services/:id/photo",
    dashServicePhoto,
    "dashboard/[salon]/services/[id]/photo.tsx",
  ],
  ["/dashboard/:salon/staff", dashStaff, "dashboard/[salon]/staff/index.tsx"],
  ["/dashboard/:salon/staff/:id", dashStaffMember, "dashboard/[salon]/staff/[id].tsx"],
  [
    "/dashboard/:salon/staff/:id/photos",
    dashStaffPhotos,
    "dashboard/[salon]/staff/[id]/photos.tsx",
  ],
  ["/dashboard/:salon/photos", dashPhotos, "dashboard/[salon]/photos.tsx"],
  ["/dashboard/:salon/settings", dashSettings, "dashboard/[salon]/settings.tsx"],
  ["/dashboard/:salon/tax", dashTax, "dashboard/[salon]/tax.tsx"],
  ["/dashboard/:salon/home-service", dashHomeService, "dashboard/[salon]/home-service.tsx"],
  ["/dashboard/:salon/team", dashTeam, "dashboard/[salon]/team.tsx"],
  ["/dashboard/:salon/audit", dashAudit, "dashboard/[salon]/audit.tsx"],
  ["/dashboard/:salon/payments", dashPayments, "dashboard/[salon]/payments/index.tsx"],
  ["/dashboard/:salon/payments/:id", dashPayment, "dashboard/[salon]/payments/[id].tsx"],
  ["/dashboard/:salon/reviews", dashReviews, "dashboard/[salon]/reviews.tsx"],
  ["/dashboard/:salon/reports", dashReports, "dashboard/[salon]/reports.tsx"],
  ["/dashboard/:salon/clients.json", dashClientsJson, "dashboard/[salon]/clients.json.ts"],
  ["/dashboard/:salon/clients", dashClients, "dashboard/[salon]/clients/index.tsx"],
  ["/dashboard/:salon/clients/:id", dashClient, "dashboard/[salon]/clients/[id].tsx"],
  ["/admin", admin, "admin/index.tsx"],
  ["/admin/photos", adminPhotos, "admin/photos.tsx"],
];
