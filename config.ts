import { z } from "zod";

/** Thrown when the environment is unusable; main.ts prints its one-line message and exits. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

const optionalUrl = z.preprocess((v) => (v === "" ? undefined : v), z.url().optional());

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8000),
  APP_ENV: z.enum(["development", "test", "production"]).default("development"),
  APP_SECRET: z.string().min(32, "APP_SECRET must be at least 32 characters").optional(),
  PUBLIC_URL: optionalUrl,
  DATABASE_URL: optionalUrl,
  PGLITE_DIR: z.string().min(1).default(".data/pglite"),
  TEST_DATABASE_URL: optionalUrl,
  DATA_DIR: z.string().min(1).default(".data"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  port: number;
  appEnv: Env["APP_ENV"];
  appSecret: string;
  publicUrl: string | undefined;
  /** `postgres://…` for a server, otherwise the embedded PGlite location (`memory` = in-memory). */
  database: { kind: "postgres"; url: string } | { kind: "pglite"; dir: string };
  testDatabaseUrl: string | undefined;
  dataDir: string;
  logLevel: Env["LOG_LEVEL"];
}

/**
 * Parses the environment once. Throws ConfigError with one readable line naming the bad variable.
 * In development a missing APP_SECRET is generated and kept in DATA_DIR so sessions survive restarts.
 */
export function loadConfig(env: Record<string, string | undefined> = Deno.env.toObject()): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue.path.join(".");
    throw new ConfigError(`${name}: ${issue.message} (got ${JSON.stringify(env[name] ?? "")})`);
  }
  const e = parsed.data;
  if (e.APP_ENV === "production" && !e.APP_SECRET) {
    throw new ConfigError("APP_SECRET is required when APP_ENV=production (32+ random characters)");
  }
  const appSecret = e.APP_SECRET ??
    (e.APP_ENV === "test" ? "test-secret-test-secret-test-secret!!" : devSecret(e.DATA_DIR));
  if (e.DATABASE_URL && !/^postgres(ql)?:/.test(e.DATABASE_URL)) {
    throw new ConfigError(
      `DATABASE_URL must start with postgres:// (got ${redactUrl(e.DATABASE_URL)})`,
    );
  }
  return {
    port: e.PORT,
    appEnv: e.APP_ENV,
    appSecret,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ""),
    database: e.DATABASE_URL
      ? { kind: "postgres", url: e.DATABASE_URL }
      : { kind: "pglite", dir: e.PGLITE_DIR },
    testDatabaseUrl: e.TEST_DATABASE_URL,
    dataDir: e.DATA_DIR,
    logLevel: e.LOG_LEVEL,
  };
}

function devSecret(dataDir: string): string {
  const path = `${dataDir}/app-secret`;
  try {
    const existing = Deno.readTextFileSync(path).trim();
    if (existing.length >= 32) return existing;
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const secret = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  Deno.mkdirSync(dataDir, { recursive: true });
  Deno.writeTextFileSync(path, secret, { mode: 0o600 });
  return secret;
}

/** Hides the password of a connection URL for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}
