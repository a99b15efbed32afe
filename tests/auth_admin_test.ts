/** `deno task admin:add <phone>`. */
import assert from "node:assert/strict";
import { decodeJwt } from "jose";
import { adminAdd } from "@/scripts/admin_add.ts";
import { makeTestApp } from "./helpers/app.ts";
import { testBackend } from "./helpers/db.ts";
import { login, makeUser, PHONE } from "./helpers/auth.ts";

Deno.test(`admin:add (${testBackend()}) - makes a new or existing account a platform admin, idempotently`, async () => {
  const t = await makeTestApp();
  try {
    const created = await adminAdd(t.db, t.config, "٠٥١٢٣٤٥٦٧٨");
    assert.deepEqual(created, {
      ok: true,
      message: "+966512345678 is a platform admin (new account)",
    });
    assert.equal(
      (await adminAdd(t.db, t.config, PHONE)).message.endsWith("(existing account)"),
      true,
    );
    await makeUser(t.db, { phone: "+966500000001", firstName: "Huda" });
    assert.ok((await adminAdd(t.db, t.config, "0500000001")).ok);
    const rows = await t.db.query<{ phone_number: string; is_admin: boolean; first_name: string }>(
      "SELECT phone_number, is_admin, first_name FROM users ORDER BY phone_number",
    );
    assert.deepEqual([...rows], [
      { phone_number: "+966500000001", is_admin: true, first_name: "Huda" },
      { phone_number: "+966512345678", is_admin: true, first_name: "" },
    ]);
    assert.equal(decodeJwt((await login(t)).access).role, "admin");
    assert.equal((await adminAdd(t.db, t.config, "123")).ok, false);
    assert.match((await adminAdd(t.db, t.config, "+971501234567")).message, /ALLOWED_PHONE/);
  } finally {
    await t.close();
  }
});

Deno.test("admin:add - the task runs end to end on an embedded database", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const run = async (...args: string[]) => {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", new URL("../scripts/admin_add.ts", import.meta.url).pathname, ...args],
        env: { APP_ENV: "test", PGLITE_DIR: `${dir}/db`, DATA_DIR: dir, DATABASE_URL: "" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
      return { code: out.code, text };
    };
    const ok = await run("0512345678");
    assert.equal(ok.code, 0, ok.text);
    assert.match(ok.text, /\+966512345678 is a platform admin \(new account\)/);
    const usage = await run();
    assert.equal(usage.code, 2);
    assert.match(usage.text, /usage: deno task admin:add <phone>/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
