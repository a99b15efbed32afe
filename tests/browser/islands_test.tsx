import assert from "node:assert/strict";
import { signal } from "@preact/signals";
import { loadAssetFiles } from "@/runtime/assets.ts";
import { buildAssets } from "@/runtime/build.ts";
import { registerIslands } from "@/runtime/islands.ts";
import { renderDocument } from "@/runtime/render.ts";
import Counter from "../fixtures/islands/Counter.tsx";
import Echo from "../fixtures/islands/Echo.tsx";
import { launchBrowser, screenshot, serve, watchForErrors } from "./_browser.ts";

registerIslands({ Counter, Echo });

Deno.test("islands in a real browser - hydrate under a strict CSP, react to clicks, share signals", async () => {
  const outDir = new URL("../../.data/fixture-build/", import.meta.url);
  const manifest = await buildAssets({
    islandsDir: new URL("../fixtures/islands/", import.meta.url),
    outDir,
  });
  const files = await loadAssetFiles(manifest, outDir);
  const server = serve((req) => {
    const url = new URL(req.url);
    const file = url.pathname.split("/").pop()!;
    if (url.pathname.startsWith(`/assets/${manifest.buildId}/`) && files.has(file)) {
      return new Response(files.get(file), { headers: { "content-type": "text/javascript" } });
    }
    if (url.pathname !== "/") return new Response("not found", { status: 404 });
    const shared = signal(0);
    const { html, scriptHashes, styleHashes } = renderDocument(
      <html lang="ar" dir="rtl">
        <head>
          <title>fixture</title>
          <link rel="icon" href="data:," />
        </head>
        <body>
          <Counter label="a" count={shared} />
          <Counter label="b" count={shared}>
            <p id="static">{"</script> server text"}</p>
            <Echo text="slot island" />
          </Counter>
        </body>
      </html>,
      { assets: manifest },
    );
    return new Response(html, {
      headers: {
        "content-type": "text/html; charset=utf-8",
        "content-security-policy": `default-src 'self'; img-src data:; script-src 'self' ${
          scriptHashes.join(" ")
        }; style-src ${styleHashes.join(" ")}`,
      },
    });
  });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const problems = watchForErrors(page);
    await page.goto(server.origin, { waitUntil: "networkidle" });
    await page.getByRole("button", { name: "a", exact: true }).click();
    await page.getByRole("button", { name: "a", exact: true }).click();
    await page.waitForFunction(() =>
      [...document.querySelectorAll("output")].slice(0, 2).every((o) => o.textContent === "2")
    );
    const outputs = await page.locator("output").allTextContents();
    assert.deepEqual(outputs.slice(0, 2), ["2", "2"], "both islands share one signal");
    await page.getByRole("button", { name: "b", exact: true }).click();
    await page.waitForFunction(() => document.querySelector("output")?.textContent === "3");
    assert.equal(
      await page.locator("#static").textContent(),
      "</script> server text",
      "slot kept as rendered",
    );
    assert.equal(await page.locator(".echo").getAttribute("data-text"), "slot island");
    await screenshot(page, "islands-fixture");
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
