import * as esbuild from "esbuild";
import type { AssetManifest } from "./assets.ts";

const ROOT = new URL("../", import.meta.url);

export interface BuildOptions {
  /** Folder of island files (`Name.tsx`, one default export each). */
  islandsDir?: URL;
  outDir?: URL;
}

const SOURCE_DIRS = ["islands", "components", "runtime", "i18n", "services"];

/** A fingerprint of the sources an island bundle can include, to know when a build is stale. */
export async function sourceHash(islandsDir = new URL("islands/", ROOT)): Promise<string> {
  const parts: string[] = [];
  const walk = async (dir: URL) => {
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(dir)].sort((a, b) => a.name.localeCompare(b.name));
    } catch {
      return;
    }
    for (const entry of entries) {
      const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
      if (entry.isDirectory) await walk(url);
      else if (/\.(ts|tsx)$/.test(entry.name)) {
        const stat = await Deno.stat(url);
        parts.push(`${url.pathname}:${stat.size}:${stat.mtime?.getTime()}`);
      }
    }
  };
  for (const dir of SOURCE_DIRS) await walk(new URL(`${dir}/`, ROOT));
  await walk(islandsDir);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(parts.join("\n")));
  return hex(new Uint8Array(digest)).slice(0, 16);
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Resolves the project's `@/` alias for esbuild; npm packages resolve from node_modules. */
const projectAlias: esbuild.Plugin = {
  name: "project-alias",
  setup(build) {
    build.onResolve({ filter: /^@\// }, (args) => ({
      path: new URL(args.path.slice(2), ROOT).pathname,
    }));
  },
};

/**
 * Bundles the boot script and every island: ESM, code-split (Preact is one shared chunk),
 * minified, content-hashed, plus a manifest. Only `deno task build` and dev/start run this.
 */
export async function buildAssets(options: BuildOptions = {}): Promise<AssetManifest> {
  const islandsDir = options.islandsDir ?? new URL("islands/", ROOT);
  const outDir = options.outDir ?? new URL("_build/", ROOT);
  const entryPoints: Record<string, string> = {
    boot: new URL("runtime/client/boot.ts", ROOT).pathname,
  };
  for (const entry of Deno.readDirSync(islandsDir)) {
    const match = /^([A-Z][A-Za-z0-9]*)\.tsx$/.exec(entry.name);
    if (entry.isFile && match) entryPoints[match[1]] = new URL(entry.name, islandsDir).pathname;
  }
  // Output names are content-hashed, so concurrent builds of the same sources write identical
  // files; nothing is deleted up front and stale files are pruned only after the manifest is in place.
  const result = await esbuild.build({
    entryPoints,
    outdir: outDir.pathname,
    bundle: true,
    splitting: true,
    format: "esm",
    minify: true,
    target: ["es2022"],
    platform: "browser",
    jsx: "automatic",
    jsxImportSource: "preact",
    entryNames: "[name]-[hash]",
    chunkNames: "chunk-[hash]",
    metafile: true,
    write: true,
    absWorkingDir: new URL(".", ROOT).pathname,
    plugins: [projectAlias],
    logLevel: "error",
  });
  await esbuild.stop();
  const files: string[] = [];
  const imports: Record<string, string[]> = {};
  const islands: Record<string, string> = {};
  let boot = "";
  for (const [path, output] of Object.entries(result.metafile.outputs)) {
    const file = path.split("/").pop()!;
    files.push(file);
    imports[file] = output.imports.filter((i) => i.kind === "import-statement").map((i) =>
      i.path.split("/").pop()!
    );
    if (!output.entryPoint) continue;
    const entryPath = new URL(output.entryPoint, ROOT).pathname;
    const name = Object.entries(entryPoints).find(([, path]) => path === entryPath)?.[0];
    if (name === "boot") boot = file;
    else if (name) islands[name] = file;
  }
  const buildId = hex(
    new Uint8Array(
      await crypto.subtle.digest("SHA-256", new TextEncoder().encode(files.sort().join(","))),
    ),
  ).slice(0, 12);
  const manifest: AssetManifest = {
    buildId,
    sourceHash: await sourceHash(islandsDir),
    boot,
    islands,
    imports,
    files,
  };
  const tmp = new URL(`manifest.json.${crypto.randomUUID()}`, outDir);
  await Deno.writeTextFile(tmp, JSON.stringify(manifest, null, 2));
  await Deno.rename(tmp, new URL("manifest.json", outDir));
  for (const entry of Deno.readDirSync(outDir)) {
    if (entry.isFile && entry.name.endsWith(".js") && !files.includes(entry.name)) {
      await Deno.remove(new URL(entry.name, outDir)).catch(() => {});
    }
  }
  return manifest;
}

if (import.meta.main) {
  const started = performance.now();
  const manifest = await buildAssets();
  console.log(
    `built ${
      Object.keys(manifest.islands).length
    } islands, ${manifest.files.length} files, id ${manifest.buildId} in ${
      Math.round(performance.now() - started)
    } ms`,
  );
}
