/**
 * `deno task admin:add <phone>`: makes the owner of a phone number a platform admin, creating the
 * account when it does not exist yet (they log in with a code as usual). Idempotent.
 */
import { type Config, ConfigError, loadConfig } from "@/config.ts";
import { openDb } from "@/db/client.ts";
import { migrate } from "@/db/migrate.ts";
import type { Queryable } from "@/db/types.ts";
import { parsePhone } from "@/services/auth/phone.ts";
import { grantAdmin } from "@/services/auth/users.ts";

export async function adminAdd(
  db: Queryable,
  config: Pick<Config, "otp">,
  input: string,
  now = new Date(),
): Promise<{ ok: boolean; message: string }> {
  const phone = parsePhone(input, config.otp.allowedCountries);
  if (!phone.ok) {
    return {
      ok: false,
      message: phone.reason === "country"
        ? `${input}: not in ALLOWED_PHONE_COUNTRIES (${config.otp.allowedCountries.join(",")})`
        : `${input}: not a valid mobile number (e.g. 05XXXXXXXX or +9665XXXXXXXX)`,
    };
  }
  const { user, created } = await grantAdmin(db, phone.e164, now);
  return {
    ok: true,
    message: `${user.phoneNumber} is a platform admin (${
      created ? "new account" : "existing account"
    })`,
  };
}

if (import.meta.main) {
  const input = Deno.args.join(" ").trim();
  if (!input) {
    console.error("usage: deno task admin:add <phone>   e.g. deno task admin:add 0512345678");
    Deno.exit(2);
  }
  try {
    const config = loadConfig();
    const db = await openDb(config);
    try {
      await migrate(db);
      const result = await adminAdd(db, config, input);
      (result.ok ? console.log : console.error)(result.message);
      if (!result.ok) Deno.exitCode = 1;
    } finally {
      await db.close();
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`salon: configuration error: ${err.message}`);
      Deno.exit(1);
    }
    throw err;
  }
}
