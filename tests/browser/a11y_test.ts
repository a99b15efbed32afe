/**
 * Accessibility: axe-core (the standard WCAG rule engine) on every page in routes/_routes.ts, in
 * Arabic (phone) and English (desktop), as the visitor who can see it (anonymous, a customer, the
 * demo manager, a platform admin): no serious or critical violation.
 *
 * How axe gets in: the app's CSP allows only inline scripts whose hash it lists, so
 * `page.addScriptTag({content})` is refused. The test does not relax the CSP; it evaluates axe's
 * source through the DevTools protocol (`page.evaluate`), which CSP does not govern, and then runs
 * `axe.run` the same way. The pages are tested exactly as served.
 */
import assert from "node:assert/strict";
import type { BrowserContext, Page } from "playwright-core";
import { everyPage, type Who } from "../helpers/pages.ts";
import { launchBrowser, RESULTS_DIR } from "./_browser.ts";
import { DESKTOP_EN, newContext, PHONE_AR, seededApp } from "./_journey.ts";

const AXE_SOURCE = await Deno.readTextFile(
  new URL(import.meta.resolve("axe-core/axe.min.js")),
).catch(() =>
  Deno.readTextFile(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url))
);

interface Violation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** axe on the page as it is; serious and critical violations only. */
async function axe(page: Page): Promise<Violation[]> {
  if (!await page.evaluate(() => "axe" in globalThis)) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    // deno-lint-ignore no-explicit-any -- axe's global, injected above
    const axe = (globalThis as any).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations as Violation[];
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      ...v,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
}

Deno.test("accessibility - every page, Arabic on a phone and English on a desktop: no serious or critical axe violations", async () => {
  const app = await seededApp();
  const browser = await launchBrowser();
  const contexts: BrowserContext[] = [];
  try {
    const { visits, jars } = await everyPage(app);

    const found: string[] = [];
    const report: Record<string, Violation[]> = {};
    for (const viewport of [PHONE_AR, DESKTOP_EN]) {
      const lang = viewport.locale.slice(0, 2);
      const pages = new Map<Who, Page>();
      for (const visit of visits) {
        let page = pages.get(visit.as);
        if (!page) {
          const context = await newContext(browser, app, viewport, jars[visit.as]);
          contexts.push(context);
          page = await context.newPage();
          pages.set(visit.as, page);
        }
        const url = `${app.origin}${visit.path}${visit.path.includes("?") ? "&" : "?"}lang=${lang}`;
        const res = await page.goto(url);
        assert.equal(res?.status(), visit.status ?? 200, `${visit.as} GET ${visit.path}`);
        assert.equal(await page.getAttribute("html", "lang"), lang, visit.path);
        const violations = await axe(page);
        const key = `${lang} ${visit.as} ${visit.path}`;
        if (violations.length) report[key] = violations;
        for (const v of violations) {
          found.push(
            `${key}: [${v.impact}] ${v.id} — ${v.help}\n    ${
              v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("\n    ")
            }`,
          );
        }
      }
    }
    await Deno.mkdir(RESULTS_DIR, { recursive: true });
    await Deno.writeTextFile(
      new URL("a11y.json", RESULTS_DIR),
      JSON.stringify({ visits: visits.length * 2, violations: report }, null, 2),
    );
    assert.ok(found.length === 0, `axe found:\n${found.join("\n")}`);
  } finally {
    for (const c of contexts) await c.close();
    await browser.close();
    await app.close();
  }
});
