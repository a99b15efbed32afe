import { defineHandlers } from "./_define.ts";

/** Where crawlers may go: the public pages, never accounts, the dashboard, the API or a booking. */
const PRIVATE = [
  "/dashboard",
  "/me",
  "/api/",
  "/admin",
  "/login",
  "/logout",
  "/bookings/",
  "/payments/",
  "/invoices/",
  "/b/",
  "/salons/*/book",
  "/salons/*/visit",
];

/** `/robots.txt`, pointing at the sitemap. */
export const handler = defineHandlers({
  GET(c) {
    const origin = c.var.deps.config.publicUrl ?? new URL(c.req.url).origin;
    const lines = [
      "User-agent: *",
      "Allow: /",
      ...PRIVATE.map((path) => `Disallow: ${path}`),
      "",
      `Sitemap: ${origin}/sitemap.xml`,
      "",
    ];
    return c.text(lines.join("\n"), 200, { "cache-control": "public, max-age=3600" });
  },
});
