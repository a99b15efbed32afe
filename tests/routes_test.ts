import assert from "node:assert/strict";
import { islands } from "@/islands/mod.ts";
import { routes } from "@/routes/_routes.ts";

const ROUTES_DIR = new URL("../routes/", import.meta.url);

function routeFiles(dir = ROUTES_DIR, prefix = ""): string[] {
  const files: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    if (entry.isDirectory) {
      files.push(...routeFiles(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`));
    } else if (
      /\.(ts|tsx)$/.test(entry.name) && !entry.name.startsWith("_") &&
      !entry.name.endsWith("_test.ts")
    ) {
      files.push(prefix + entry.name);
    }
  }
  return files;
}

/** The URL a route file serves: the path is the file's path. */
function pathOf(file: string): string {
  const path = "/" +
    file.replace(/\.(ts|tsx)$/, "").replace(/(^|\/)index$/, "").replace(/\[(\w+)\]/g, ":$1");
  const clean = path === "/" ? "/" : path.replace(/\/$/, "");
  return file.startsWith("api/") ? `${clean}/` : clean;
}

Deno.test("routes - every route file is in the table, at the path its file name gives", () => {
  const listed = new Map(routes.map(([path, , file]) => [file, path]));
  for (const file of routeFiles()) {
    assert.ok(listed.has(file), `routes/${file} is not in routes/_routes.ts`);
    assert.equal(listed.get(file), pathOf(file), `routes/${file}`);
  }
  assert.equal(listed.size, routes.length, "a file is listed twice");
  for (const file of listed.keys()) {
    assert.ok(routeFiles().includes(file), `${file} does not exist`);
  }
});

Deno.test("islands - every file in islands/ is registered under its own name", () => {
  const files = [...Deno.readDirSync(new URL("../islands/", import.meta.url))]
    .map((e) => /^([A-Z]\w*)\.tsx$/.exec(e.name)?.[1])
    .filter((n): n is string => !!n)
    .sort();
  assert.deepEqual(Object.keys(islands).sort(), files);
});
