import { type AssetManifest, readManifest } from "./assets.ts";

/** Rebuilds the island bundles when the sources changed since the last build (start, dev, tests). */
export async function ensureBuild(): Promise<AssetManifest> {
  const { buildAssets, sourceHash } = await import("./build.ts");
  const current = await readManifest();
  if (current && current.sourceHash === await sourceHash()) return current;
  return await buildAssets();
}
