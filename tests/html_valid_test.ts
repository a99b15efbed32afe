/**
 * HTML validity: the Nu HTML Checker (vnu.jar from npm, run on the machine's Java) over every page
 * in routes/_routes.ts as served, Arabic and English, as the visitor who can see it. One checker
 * run for all pages keeps it to one JVM start.
 */
import assert from "node:assert/strict";
import vnuJar from "vnu-jar";
import { setLogLevel } from "@/log.ts";
import { everyPage } from "./helpers/pages.ts";
import { seededApp } from "./browser/_journey.ts";
import { testBackend } from "./helpers/db.ts";

const B = testBackend();

interface VnuMessage {
  type: "error" | "info" | "non-document-error";
  subType?: string;
  url?: string;
  lastLine?: number;
  message: string;
  extract?: string;
}

/** The checker's errors (not its warnings) for each file. */
async function validate(files: string[]): Promise<VnuMessage[]> {
  const { code, stderr } = await new Deno.Command("java", {
    args: ["-jar", String(vnuJar), "--format", "json", "--exit-zero-always", ...files],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  const { messages } = JSON.parse(new TextDecoder().decode(stderr)) as { messages: VnuMessage[] };
  return messages.filter((m) => m.type !== "info");
}

Deno.test(`HTML (${B}) - every page, Arabic and English, validates in the Nu HTML Checker with no error`, async () => {
  setLogLevel("error");
  // With PUBLIC_URL, so the canonical, hreflang and Open Graph tags are checked too.
  const app = await seededApp({ PUBLIC_URL: "https://salon.example" });
  const dir = await Deno.makeTempDir({ prefix: "salon-html-" });
  try {
    const { visits, jars } = await everyPage(app);
    const pages = new Map<string, string>();
    for (const lang of ["ar", "en"]) {
      for (const visit of visits) {
        const url = `${visit.path}${visit.path.includes("?") ? "&" : "?"}lang=${lang}`;
        const cookie = jars[visit.as]?.header();
        let res = await app.t.app.request(url, { headers: cookie ? { cookie } : {} });
        // As a browser would: follow redirects (a signed-out visitor is sent to log in).
        for (let hops = 0; res.status >= 300 && res.status < 400 && hops < 3; hops++) {
          const next = res.headers.get("location") ?? "";
          res = await app.t.app.request(next, { headers: cookie ? { cookie } : {} });
        }
        assert.equal(res.status, visit.status ?? 200, `${visit.as} GET ${url}`);
        const file = `${dir}/${String(pages.size).padStart(3, "0")}.html`;
        await Deno.writeTextFile(file, await res.text());
        pages.set(file, `${lang} ${visit.as} ${visit.path}`);
      }
    }
    const errors = await validate([...pages.keys()]);
    const found = errors.map((e) =>
      `${pages.get(new URL(e.url ?? "file:/").pathname) ?? e.url}:${
        e.lastLine ?? "?"
      }: ${e.message}\n    ${(e.extract ?? "").replaceAll("\n", " ")}`
    );
    assert.equal(found.length, 0, `the checker found:\n${found.join("\n")}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await app.close();
  }
});
