/** Auth configuration: provider choice, production refusal, limits from the environment. */
import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "@/config.ts";

const SECRET = "s".repeat(40);

Deno.test("auth config - console by default, Authentica when its key is set; console refused in production", () => {
  assert.equal(loadConfig({ APP_ENV: "test" }).otp.provider, "console");
  const withKey = loadConfig({ APP_ENV: "test", AUTHENTICA_API_KEY: "k" });
  assert.equal(withKey.otp.provider, "authentica");
  assert.equal(withKey.otp.authentica.baseUrl, "https://api.authentica.sa");
  assert.equal(withKey.otp.authentica.timeoutMs, 7000);
  assert.throws(
    () => loadConfig({ APP_ENV: "production", APP_SECRET: SECRET }),
    (err: unknown) =>
      err instanceof ConfigError && /^OTP_PROVIDER=console .*refused when APP_ENV=production/.test(
        err.message,
      ) && !err.message.includes("\n"),
  );
  assert.throws(
    () => loadConfig({ APP_ENV: "test", OTP_PROVIDER: "authentica" }),
    (err: unknown) =>
      err instanceof ConfigError && /AUTHENTICA_API_KEY is required/.test(err.message),
  );
  const prod = loadConfig({ APP_ENV: "production", APP_SECRET: SECRET, AUTHENTICA_API_KEY: "k" });
  assert.equal(prod.otp.provider, "authentica");
});

Deno.test("auth config - limits, lifetimes and allowed countries come from the environment", () => {
  const defaults = loadConfig({ APP_ENV: "test" });
  assert.deepEqual(defaults.otp.allowedCountries, ["SA"]);
  assert.equal(defaults.otp.ttlSeconds, 300);
  assert.equal(defaults.otp.maxAttempts, 5);
  assert.equal(defaults.otp.resendCooldownSeconds, 60);
  assert.equal(defaults.otp.maxPerWindow, 5);
  assert.equal(defaults.otp.windowSeconds, 900);
  assert.equal(defaults.otp.ipMaxPerWindow, 20);
  assert.equal(defaults.otp.deviceMaxPerWindow, 20);
  assert.equal(defaults.auth.accessTtlSeconds, 900);
  assert.equal(defaults.auth.refreshTtlSeconds, 30 * 86_400);
  assert.equal(defaults.auth.refreshReuseGraceSeconds, 10);
  assert.equal(defaults.auth.trustProxy, false);
  const custom = loadConfig({
    APP_ENV: "test",
    ALLOWED_PHONE_COUNTRIES: "sa, AE,kw",
    OTP_WINDOW_MINUTES: "30",
    ACCESS_TOKEN_TTL_SECONDS: "300",
    TRUST_PROXY: "true",
  });
  assert.deepEqual(custom.otp.allowedCountries, ["SA", "AE", "KW"]);
  assert.equal(custom.otp.windowSeconds, 1800);
  assert.equal(custom.auth.accessTtlSeconds, 300);
  assert.equal(custom.auth.trustProxy, true);
  assert.throws(
    () => loadConfig({ APP_ENV: "test", ALLOWED_PHONE_COUNTRIES: "Saudi" }),
    (err: unknown) => err instanceof ConfigError && /^ALLOWED_PHONE_COUNTRIES: /.test(err.message),
  );
});
