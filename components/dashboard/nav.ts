import type { MessageKey } from "@/i18n/mod.ts";
import type { SalonRole } from "@/services/auth/authorize.ts";

/** One tab of the dashboard's navigation. */
export interface NavEntry {
  /** Matches the `current` a page passes to layoutOf(). */
  key: string;
  /** Under `/dashboard/<slug>/`. */
  path: string;
  label: MessageKey;
  /** Who sees the tab (the route itself enforces access; hiding is only tidiness). */
  roles: readonly SalonRole[];
}

const BOTH = ["manager", "staff"] as const;
const MANAGERS = ["manager"] as const;

/**
 * The dashboard's tabs, in order. A new dashboard page adds one line here (and its route file
 * under routes/dashboard/[salon]/, listed in routes/_routes.ts with `export const access`).
 * Money pages (payments, reports) and reviews are for managers only.
 */
export const DASHBOARD_NAV: readonly NavEntry[] = [
  { key: "agenda", path: "agenda", label: "dash.nav.agenda", roles: BOTH },
  { key: "calendar", path: "calendar", label: "dash.nav.calendar", roles: BOTH },
  { key: "bookings", path: "bookings", label: "dash.nav.bookings", roles: BOTH },
  { key: "clients", path: "clients", label: "dash.nav.clients", roles: BOTH },
  { key: "waitlist", path: "waitlist", label: "dash.nav.waitlist", roles: MANAGERS },
  { key: "services", path: "services", label: "dash.nav.services", roles: MANAGERS },
  { key: "staff", path: "staff", label: "dash.nav.staff", roles: MANAGERS },
  { key: "team", path: "team", label: "dash.nav.team", roles: MANAGERS },
  { key: "photos", path: "photos", label: "dash.nav.photos", roles: MANAGERS },
  { key: "settings", path: "settings", label: "dash.nav.settings", roles: MANAGERS },
  { key: "tax", path: "tax", label: "dash.nav.tax", roles: MANAGERS },
  { key: "home", path: "home-service", label: "dash.nav.home", roles: MANAGERS },
  { key: "payments", path: "payments", label: "dash.nav.payments", roles: MANAGERS },
  { key: "reviews", path: "reviews", label: "dash.nav.reviews", roles: MANAGERS },
  { key: "reports", path: "reports", label: "dash.nav.reports", roles: MANAGERS },
  { key: "commissions", path: "commissions", label: "dash.nav.commissions", roles: MANAGERS },
  { key: "audit", path: "audit", label: "dash.nav.audit", roles: MANAGERS },
];
