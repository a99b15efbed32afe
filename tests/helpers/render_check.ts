/**
 * Renders each file named on the command line through the upload pipeline (worker and all) and
 * prints its sizes as JSON. tests/photos_permissions_test.ts runs it with production's
 * permissions only.
 */
import { renderImage } from "@/services/photos/render_pool.ts";

const results = [];
for (const path of Deno.args) {
  const image = await renderImage(await Deno.readFile(path), [480, 960]);
  results.push({ width: image.width, height: image.height, files: image.variants.length });
}
console.log(JSON.stringify(results));
