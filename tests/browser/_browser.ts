import { type Browser, chromium, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const RESULTS_DIR = new URL("../../test-results/", import.meta.url);

/** Debian's Chromium, headless, with the flags this machine's closed network needs. */
export async function launchBrowser(): Promise<Browser> {
  try {
    Deno.statSync(CHROMIUM);
  } catch {
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (done by .ci/run)`);
  }
  return await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

/** Collects console errors and failed requests so a test can assert there were none. */
export function watchForErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("requestfailed", (req) => {
    // A lazy image still loading when the visitor moves on is cancelled, not failed.
    if (req.resourceType() === "image" && req.failure()?.errorText === "net::ERR_ABORTED") return;
    problems.push(`request failed: ${req.url()}`);
  });
  page.on("response", (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return problems;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await Deno.mkdir(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, RESULTS_DIR).pathname, fullPage: true });
}

/** Serves `handler` on a free loopback port for the test's duration. */
export function serve(handler: (req: Request) => Response | Promise<Response>) {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, handler);
  return { origin: `http://127.0.0.1:${server.addr.port}`, close: () => server.shutdown() };
}
