import assert from "node:assert/strict";
import { isUuid } from "@/services/ids.ts";
import { makeTestApp } from "./helpers/app.ts";
import { login } from "./helpers/auth.ts";

Deno.test("ids - only canonical UUIDs pass; 36 hex digits or dashes are not one", () => {
  assert.ok(isUuid("8f1d1d3e-0000-4000-8000-000000000000"));
  assert.ok(isUuid("8F1D1D3E-0000-4000-8000-000000000000"));
  for (
    const bad of [
      "0".repeat(36),
      "-".repeat(36),
      "8f1d1d3e00004000800000000000000000",
      "",
      "x",
      7,
      null,
    ]
  ) {
    assert.ok(!isUuid(bad), String(bad));
  }
});

Deno.test("ids - an id shaped like a UUID but not one gets a localized 404, never a 500", async () => {
  const t = await makeTestApp();
  try {
    const { access } = await login(t);
    for (const id of ["0".repeat(36), "-".repeat(36)]) {
      const res = await t.app.request(`/api/bookings/${id}/cancel/`, {
        method: "POST",
        headers: { authorization: `Bearer ${access}`, "accept-language": "en" },
      });
      assert.equal(res.status, 404, id);
      assert.deepEqual(await res.json(), { detail: "Not found." });
    }
  } finally {
    await t.close();
  }
});
