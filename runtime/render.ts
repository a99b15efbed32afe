import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import { type AssetManifest, assetUrl, closureOf } from "./assets.ts";
import { IslandCollector, withIslands } from "./islands.ts";
import { scriptSafeJson } from "./serialize.ts";
import { cssFor } from "./twind.ts";

/** Island wrappers never affect layout. */
const BASE_CSS = "salon-island,salon-slot{display:contents}";

export class MissingBuildError extends Error {
  override name = "MissingBuildError";
}

/**
 * Renders a full document. CSS for the classes used goes into one nonce'd <style>; a page that
 * used islands gets one module script importing only those islands; a page without gets no script.
 */
export function renderDocument<P>(
  doc: VNode<P>,
  options: { nonce: string; assets: AssetManifest | null },
): string {
  const collector = new IslandCollector();
  let html = renderToString(withIslands(doc, collector));
  const style = `<style nonce="${options.nonce}">${BASE_CSS}${cssFor(html)}</style>`;
  html = html.replace("</head>", () => `${style}</head>`);
  if (collector.used.size > 0) {
    const script = bootScript(collector, options);
    // A function replacement: `$&`, `$'` or `$$` inside props must stay literal.
    html = html.replace("</body>", () => `${script}</body>`);
  }
  return `<!DOCTYPE html>${html}`;
}

function bootScript(
  collector: IslandCollector,
  { nonce, assets }: { nonce: string; assets: AssetManifest | null },
): string {
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
    .map((file) => `<link rel="modulepreload" href="${assetUrl(assets, file)}" nonce="${nonce}">`)
    .join("");
  const imports = names.map((_, i) => `import i${i} from "${assetUrl(assets, entries[i])}";`).join(
    "",
  );
  const registry = names.map((name, i) => `${JSON.stringify(name)}:i${i}`).join(",");
  const payload = scriptSafeJson({ props: collector.props, signals: collector.signals });
  return `${preloads}<script type="module" nonce="${nonce}">import{boot}from"${
    assetUrl(assets, assets.boot)
  }";${imports}boot({${registry}},${payload});</script>`;
}
