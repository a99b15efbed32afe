/** The build's output: which file each island and the boot script became, and what each imports. */
export interface AssetManifest {
  buildId: string;
  sourceHash: string;
  boot: string;
  islands: Record<string, string>;
  /** Static imports of each output file (transitively needed chunks are listed per file). */
  imports: Record<string, string[]>;
  files: string[];
}

export const BUILD_DIR = new URL("../_build/", import.meta.url);
export const ASSET_PREFIX = "/assets";

export async function readManifest(dir: URL = BUILD_DIR): Promise<AssetManifest | null> {
  try {
    return JSON.parse(await Deno.readTextFile(new URL("manifest.json", dir))) as AssetManifest;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return null;
    throw err;
  }
}

export function assetUrl(manifest: AssetManifest, file: string): string {
  return `${ASSET_PREFIX}/${manifest.buildId}/${file}`;
}

/** Every file a page must load for these entry files: the entries and the chunks they import. */
export function closureOf(manifest: AssetManifest, entries: string[]): string[] {
  const out = new Set<string>();
  const visit = (file: string) => {
    if (out.has(file)) return;
    out.add(file);
    for (const dep of manifest.imports[file] ?? []) visit(dep);
  };
  entries.forEach(visit);
  return [...out];
}

/** Loads every built file into memory once: production serves them without touching disk again. */
export async function loadAssetFiles(
  manifest: AssetManifest,
  dir: URL = BUILD_DIR,
): Promise<Map<string, Uint8Array<ArrayBuffer>>> {
  const files = new Map<string, Uint8Array<ArrayBuffer>>();
  for (const file of manifest.files) files.set(file, await Deno.readFile(new URL(file, dir)));
  return files;
}
