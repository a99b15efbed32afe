/**
 * JavaScript budget: how much script each page ships, gzipped, computed from the build manifest.
 * Renders the pages through the app on a fresh database with the demo data (embedded PGlite, or
 * TEST_DATABASE_URL's server), reads which islands each page boots, takes their import closure
 * (`closureOf`: the boot script, the islands and every chunk they import, as the modulepreload
 * links list them) and gzips each file with CompressionStream, as a server or CDN would send it.
 *
 * Budgets: pages without islands (home, salon) ship no script at all; the booking page's time step
 * (SlotPicker), the visit page's services step (BasketPicker, and WhereChoice at a salon coming
 * home) and the login code step (OtpEntry)
 * ship at most 15 KB gzipped each. A page over its
 * budget makes this bench throw, so `deno task bench` fails.
 */
import { seedDemoData } from "@/db/seed.ts";
import { setLogLevel } from "@/log.ts";
import { type AssetManifest, assetUrl, closureOf } from "@/runtime/assets.ts";
import { ensureBuild } from "@/runtime/ensure_build.ts";
import { makeTestApp } from "../tests/helpers/app.ts";
import { postJson } from "../tests/helpers/auth.ts";

setLogLevel("error");

const KB = 1024;
const ISLAND_BUDGET = 15 * KB;

async function gzipSize(bytes: Uint8Array<ArrayBuffer>): Promise<number> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

interface PageJs {
  page: string;
  islands: string[];
  files: string[];
  raw: number;
  gzip: number;
  budget: number;
}

/** The entry files a rendered page boots: the boot script and one file per island it imports. */
function entriesOf(
  html: string,
  manifest: AssetManifest,
): { islands: string[]; entries: string[] } {
  const prefix = assetUrl(manifest, "");
  const script = /<script type="module"[^>]*>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "";
  const files = [...script.matchAll(/from\s*"([^"]+)"/g)].map(([, url]) => {
    if (!url.startsWith(prefix)) throw new Error(`a script outside the build: ${url}`);
    return url.slice(prefix.length);
  });
  const byFile = new Map(Object.entries(manifest.islands).map(([name, file]) => [file, name]));
  return { islands: files.flatMap((f) => byFile.get(f) ?? []), entries: files };
}

async function measurePage(
  t: Awaited<ReturnType<typeof makeTestApp>>,
  manifest: AssetManifest,
  page: string,
  path: string,
  budget: number,
  expectIslands: string[],
): Promise<PageJs> {
  const res = await t.app.request(path, { headers: { "accept-language": "ar" } });
  const html = await res.text();
  if (res.status !== 200) throw new Error(`${page} (${path}): ${res.status}`);
  const { islands, entries } = entriesOf(html, manifest);
  // Data blocks (JSON-LD for search engines) are not JavaScript.
  const scriptTags = (html.match(/<script\b(?! type="application\/ld\+json")/g) ?? []).length;
  if (entries.length === 0 && scriptTags > 0) {
    throw new Error(`${page}: ${scriptTags} <script> tags but no island boot script`);
  }
  for (const name of expectIslands) {
    if (!islands.includes(name)) throw new Error(`${page} (${path}) did not boot ${name}`);
  }
  const files = entries.length ? closureOf(manifest, entries) : [];
  // What the page preloads must be exactly that closure (nothing more is fetched).
  const prefix = assetUrl(manifest, "");
  const preloaded = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)"/g)]
    .map(([, href]) => href.slice(prefix.length));
  if (preloaded.sort().join() !== [...files].sort().join()) {
    throw new Error(`${page}: preloads ${preloaded} but the closure is ${files}`);
  }
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const bytes = new Uint8Array(await (await t.app.request(`${prefix}${file}`)).arrayBuffer());
    if (bytes.byteLength === 0) throw new Error(`${file} is empty or not served`);
    raw += bytes.byteLength;
    gzip += await gzipSize(bytes);
  }
  return { page, islands, files, raw, gzip, budget };
}

const t = await makeTestApp();
const results: PageJs[] = [];
try {
  await seedDemoData(t.db, t.clock.now());
  const assets = await ensureBuild(); // built already by makeTestApp: this reads the manifest
  const [salon] = await t.db.query<{ slug: string; service: string }>(
    `SELECT s.slug, sv.id AS service FROM salons s
     JOIN services sv ON sv.salon_id = s.id
     JOIN staff_services ss ON ss.service_id = sv.id
     WHERE s.slug = 'lamsa-riyadh' ORDER BY sv.sort_order, sv.id LIMIT 1`,
  );
  // The login code step needs a pending code request.
  const requested = await postJson(t.app, "/api/auth/phone/request/", {
    phone_number: "0512345678",
    channel: "sms",
  });
  if (requested.status !== 201) {
    throw new Error(`code request: ${requested.status} ${await requested.text()}`);
  }
  const { request_id } = await requested.json();

  results.push(await measurePage(t, assets, "home", "/", 0, []));
  results.push(await measurePage(t, assets, "salon", `/salons/${salon.slug}`, 0, []));
  results.push(
    await measurePage(
      t,
      assets,
      "booking: time step",
      `/salons/${salon.slug}/book?service=${salon.service}&staff=any`,
      ISLAND_BUDGET,
      ["SlotPicker"],
    ),
  );
  results.push(
    await measurePage(
      t,
      assets,
      "visit: choosing services",
      `/salons/${salon.slug}/visit`,
      ISLAND_BUDGET,
      ["BasketPicker"],
    ),
  );
  results.push(
    await measurePage(
      t,
      assets,
      "visit: at a salon coming home",
      "/salons/ward-studio-riyadh/visit",
      ISLAND_BUDGET,
      ["BasketPicker", "WhereChoice"],
    ),
  );
  results.push(
    await measurePage(
      t,
      assets,
      "login: code step",
      `/login?rid=${request_id}`,
      ISLAND_BUDGET,
      ["OtpEntry"],
    ),
  );
} finally {
  await t.close();
}

const kb = (n: number) => (n === 0 ? "0" : `${(n / KB).toFixed(1)} KB`);
const rows = results.map((r) => [
  r.page,
  r.islands.join(", ") || "—",
  String(r.files.length),
  kb(r.raw),
  kb(r.gzip),
  r.budget === 0 ? "0 (no JS)" : kb(r.budget),
  r.gzip <= r.budget ? "ok" : "OVER",
]);
const header = ["page", "islands", "files", "raw", "gzip", "budget", ""];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
console.log("\nJavaScript per page (gzipped, from the build manifest)");
for (const row of [header, ...rows]) {
  console.log(
    "  " +
      row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  "),
  );
}
console.log();

const over = results.filter((r) => r.gzip > r.budget);
if (over.length) {
  throw new Error(
    `JavaScript budget exceeded: ${
      over.map((r) => `${r.page} ships ${kb(r.gzip)} gzipped (budget ${kb(r.budget)})`).join("; ")
    }`,
  );
}
