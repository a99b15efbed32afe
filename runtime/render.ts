import { createHash } from "node:crypto";
import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import { type AssetManifest, assetUrl, closureOf } from "./assets.ts";
import { IslandCollector, withIslands } from "./islands.ts";
import { scriptSafeJson } from "./serialize.ts";
import { cssFor } from "./twind.ts";

/** Island wrappers never affect layout. */
// Printing a page prints its content only; an invoice prints on A4, its receipt layout on an
// 80 mm roll (a named page).
const BASE_CSS = "salon-island,salon-slot{display:contents}" +
  "@media print{body>a,body>header,body>footer,[data-noprint]{display:none!important}" +
  "main{max-width:none!important;padding:0!important}body{background:#fff!important}}" +
  "@page{size:A4;margin:12mm}@page receipt{size:80mm 297mm;margin:3mm}[data-receipt]{page:receipt}";

export class MissingBuildError extends Error {
  override name = "MissingBuildError";
}

/** A rendered page and the CSP sources (`'sha256-…'`) that allow exactly its inline code. */
export interface RenderedDocument {
  html: string;
  scriptHashes: string[];
  styleHashes: string[];
}

/**
 * Renders a full document. CSS for the classes used goes into one <style>; a page that used
 * islands gets one inline module script importing only those islands; a page without gets no
 * script. The CSP allows the inline ones by hash rather than by nonce, so one rendering can be
 * served to many visitors (the public page cache) without weakening the policy.
 */
export function renderDocument<P>(
  doc: VNode<P>,
  options: {
    assets: AssetManifest | null;
    /** Markup that may later be swapped into the page: its classes get CSS too. */
    alsoStyle?: string;
  },
): RenderedDocument {
  const collector = new IslandCollector();
  let html = renderToString(withIslands(doc, collector));
  const css = `${BASE_CSS}${cssFor(options.alsoStyle ? html + options.alsoStyle : html)}`;
  html = html.replace("</head>", () => `<style>${css}</style></head>`);
  const scriptHashes: string[] = [];
  if (collector.used.size > 0) {
    const { preloads, code } = bootScript(collector, options.assets);
    scriptHashes.push(cspHash(code));
    // A function replacement: `$&`, `$'` or `$$` inside props must stay literal.
    html = html.replace(
      "</body>",
      () => `${preloads}<script type="module">${code}</script></body>`,
    );
  }
  return { html: `<!DOCTYPE html>${html}`, scriptHashes, styleHashes: [cspHash(css)] };
}

/** The CSP source expression that allows an inline element with exactly this text. */
export function cspHash(text: string): string {
  return `'sha256-${createHash("sha256").update(text).digest("base64")}'`;
}

function bootScript(
  collector: IslandCollector,
  assets: AssetManifest | null,
): { preloads: string; code: string } {
  if (!assets) {
    throw new MissingBuildError(
      "This page uses islands but no build exists: run `deno task build`.",
    );
  }
  const names = [...collector.used];
  const entries = names.map((name) => {
    const file = assets.islands[name];
    if (!file) {
      throw new MissingBuildError(`Island ${name} is not in the build: run \`deno task build\`.`);
    }
    return file;
  });
  const preloads = closureOf(assets, [assets.boot, ...entries])
    .map((file) => `<link rel="modulepreload" href="${assetUrl(assets, file)}">`)
    .join("");
  const imports = names.map((_, i) => `import i${i} from "${assetUrl(assets, entries[i])}";`).join(
    "",
  );
  const registry = names.map((name, i) => `${JSON.stringify(name)}:i${i}`).join(",");
  const payload = scriptSafeJson({ props: collector.props, signals: collector.signals });
  const code = `import{boot}from"${
    assetUrl(assets, assets.boot)
  }";${imports}boot({${registry}},${payload});`;
  return { preloads, code };
}
