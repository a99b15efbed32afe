import assert from "node:assert/strict";

const ROOT = new URL("..", import.meta.url).pathname;

Deno.test("photos - uploads render under production's permissions alone (net, env, read: no sys, no write, no run)", async () => {
  const fixtures = ["gps_rotated.jpg", "iphone.heic", "alpha.png", "photo.webp"];
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      "--allow-env",
      "--allow-read",
      "tests/helpers/render_check.ts",
      ...fixtures.map((f) => `tests/fixtures/photos/${f}`),
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr.slice(0, 2000));
  assert.deepEqual(JSON.parse(new TextDecoder().decode(out.stdout)), [
    { width: 400, height: 600, files: 2 },
    { width: 800, height: 600, files: 4 },
    { width: 300, height: 200, files: 2 },
    { width: 300, height: 200, files: 2 },
  ]);
});
