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
  // Behind a transaction-pooling pooler (docs/scaling.md): a direct URL for LISTEN, and whether
  // DATABASE_URL is pooled (default: yes when a direct URL is given).
  DATABASE_DIRECT_URL: optionalUrl,
  DATABASE_POOLED: z.enum(["true", "false", "1", "0"]).optional(),
  // A streaming read replica for public reads that tolerate REPLICA_MAX_LAG_MS of lag.
  DATABASE_REPLICA_URL: optionalUrl,
  REPLICA_MAX_LAG_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  PGLITE_DIR: z.string().min(1).default(".data/pglite"),
  TEST_DATABASE_URL: optionalUrl,
  // Set when TEST_DATABASE_URL is a transaction pooler: the same server, directly.
  TEST_DATABASE_DIRECT_URL: optionalUrl,
  // A streaming replica of TEST_DATABASE_URL's server (scripts/replica.sh): tests/replica_test.ts.
  TEST_REPLICA_URL: optionalUrl,
  DATA_DIR: z.string().min(1).default(".data"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  // Auth: OTP delivery, limits, sessions.
  OTP_PROVIDER: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.enum(["console", "authentica"]).optional(),
  ),
  AUTHENTICA_API_KEY: z.string().optional(),
  AUTHENTICA_BASE_URL: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.url().default("https://api.authentica.sa"),
  ),
  AUTHENTICA_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(7000),
  AUTHENTICA_SENDER_NAME: z.string().optional(),
  ALLOWED_PHONE_COUNTRIES: z.string().regex(
    /^\s*[A-Za-z]{2}(\s*,\s*[A-Za-z]{2})*\s*$/,
    "a comma-separated list of ISO country codes, e.g. SA,AE",
  ).default("SA"),
  OTP_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(300),
  OTP_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  OTP_RESEND_COOLDOWN_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  OTP_MAX_PER_WINDOW: z.coerce.number().int().min(1).default(5),
  OTP_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  OTP_IP_MAX_PER_WINDOW: z.coerce.number().int().min(0).default(20),
  OTP_DEVICE_MAX_PER_WINDOW: z.coerce.number().int().min(0).default(20),
  OTP_RISK_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  TRUST_PROXY: z.enum(["true", "false", "1", "0"]).default("false"),
  TRUST_PROXY_HOPS: z.coerce.number().int().min(1).max(10).default(1),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  REFRESH_REUSE_GRACE_SECONDS: z.coerce.number().int().min(0).max(300).default(10),
  // Messages (booking notifications): provider, sender name, the outbox worker.
  NOTIFICATION_PROVIDER: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.enum(["console", "authentica"]).optional(),
  ),
  NOTIFICATION_SENDER_NAME: z.string().max(11, "at most 11 characters").optional(),
  WORKER_IN_PROCESS: z.enum(["true", "false", "1", "0"]).default("true"),
  WORKER_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  WORKER_BATCH_SIZE: z.coerce.number().int().min(1).max(500).default(20),
  WORKER_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  MESSAGE_RETRY_BASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  // Payments (Moyasar): without a secret key, online payment is unavailable (pay at the salon).
  MOYASAR_SECRET_KEY: z.string().optional(),
  MOYASAR_PUBLISHABLE_KEY: z.string().optional(),
  MOYASAR_WEBHOOK_SECRET: z.string().optional(),
  MOYASAR_API_BASE: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.url().default("https://api.moyasar.com/v1"),
  ),
  MOYASAR_CHECKOUT_ORIGIN: optionalUrl,
  MOYASAR_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  // ZATCA phase 2: the AES-256 key (base64 of 32 bytes) that seals units' private keys.
  ZATCA_KEY_ENCRYPTION_KEY: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.string().refine(
      (v) => /^[A-Za-z0-9+/]{43}=$/.test(v.trim()),
      "base64 of 32 random bytes (openssl rand -base64 32)",
    ).optional(),
  ),
  PAYMENTS_JOB_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  PAYMENTS_RECONCILE_AFTER_SECONDS: z.coerce.number().int().min(10).max(86_400).default(180),
  // Privacy: how long personal data is kept (docs/privacy.md), enforced by a scheduled job.
  OTP_RETENTION_DAYS: z.coerce.number().int().min(2).max(3650).default(30),
  MESSAGE_BODY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  RETENTION_INTERVAL_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  RETENTION_IN_PROCESS: z.enum(["true", "false", "1", "0"]).default("true"),
  // Public pages rendered once for every signed-out visitor (docs/performance.md); 0 turns it off.
  PAGE_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  PAGE_CACHE_MB: z.coerce.number().int().min(1).max(4096).default(32),
  // Photos: kept in the database unless an S3-compatible bucket is named.
  S3_BUCKET: z.string().optional(),
  S3_ENDPOINT: optionalUrl,
  S3_REGION: z.string().min(1).default("us-east-1"),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  PHOTOS_PUBLIC_URL: optionalUrl,
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  port: number;
  appEnv: Env["APP_ENV"];
  appSecret: string;
  publicUrl: string | undefined;
  /** `postgres://…` for a server, otherwise the embedded PGlite location (`memory` = in-memory). */
  database:
    | { kind: "postgres"; url: string; pooled: boolean; directUrl?: string }
    | { kind: "pglite"; dir: string };
  /** A read replica of the Postgres server for lag-tolerant public reads, if any. */
  replica: ReplicaConfig | null;
  testDatabaseUrl: string | undefined;
  /** The server behind TEST_DATABASE_URL when that is a pooler: tests' handles are then pooled. */
  testDatabaseDirectUrl: string | undefined;
  testReplicaUrl: string | undefined;
  dataDir: string;
  logLevel: Env["LOG_LEVEL"];
  otp: OtpConfig;
  auth: AuthConfig;
  notifications: NotificationConfig;
  payments: PaymentsConfig;
  /** ZATCA phase 2: the key sealing units' private keys (null: onboarding unavailable). */
  zatca: { keyEncryptionKey: Uint8Array | null };
  retention: RetentionConfig;
  pageCache: PageCacheConfig;
  photos: PhotoStorageConfig;
}

export interface ReplicaConfig {
  url: string;
  /** Above this replay lag (or unreachable) the replica is skipped and reads go to the primary. */
  maxLagMs: number;
}
/** Where photo files are stored (services/photos/storage.ts). */
export type PhotoStorageConfig =
  | { kind: "database" }
  | {
    kind: "s3";
    /** `https://s3.<region>.amazonaws.com`, `https://<account>.r2.cloudflarestorage.com`, … */
    endpoint: string;
    bucket: string;
    region: string;
    accessKeyId: string;
    secretAccessKey: string;
    timeoutMs: number;
    /** A public origin serving the bucket (CDN); unset: the app serves photos itself. */
    publicUrl: string | undefined;
  };

export interface PageCacheConfig {
  /** The longest a rendered public page is served; changes in the database end it at once. */
  ttlMs: number;
  /** Bytes of rendered pages (all encodings) kept per instance; least recently used go first. */
  maxBytes: number;
}

export interface RetentionConfig {
  /** Login codes with their phone, IP and device signal; session IPs and browsers. */
  otpDays: number;
  /** The rendered text of sent messages (the row and its status stay). */
  messageBodyDays: number;
  /** How often the job runs (once per interval across all instances). */
  intervalMs: number;
  /** Schedule the job inside the server. */
  inProcess: boolean;
}

export interface PaymentsConfig {
  /** Online payment works only with a secret key; otherwise every booking is paid at the salon. */
  enabled: boolean;
  secretKey: string;
  /** Moyasar's publishable key: kept for Moyasar's payment form; the invoice flow does not use it. */
  publishableKey: string;
  /** The `secret_token` Moyasar sends with every webhook (set in Moyasar's dashboard). */
  webhookSecret: string;
  /** `https://api.moyasar.com/v1`, or a fake's `http://localhost:PORT/v1`. */
  apiBase: string;
  /** Where the hosted payment pages live (allowed as a form target by the CSP). */
  checkoutOrigin: string;
  timeoutMs: number;
  /** How often the payment job reconciles and runs pending captures, voids and refunds. */
  jobIntervalMs: number;
  /** A payment still open this long after its last news is asked about (webhooks get lost). */
  reconcileAfterMs: number;
}

export interface NotificationConfig {
  /** Who carries booking messages; independent of the OTP provider. */
  provider: "console" | "authentica";
  authentica: { apiKey: string; baseUrl: string; timeoutMs: number; senderName?: string };
  /** Run the outbox worker inside the server (else only `deno task worker` delivers). */
  workerInProcess: boolean;
  pollMs: number;
  batchSize: number;
  /** A claimed message whose worker vanished is claimable again after this long. */
  leaseMs: number;
  /** First retry delay; doubles per attempt (with jitter), capped at an hour. */
  retryBaseMs: number;
}

export interface OtpConfig {
  provider: "console" | "authentica";
  authentica: { apiKey: string; baseUrl: string; timeoutMs: number; senderName?: string };
  /** ISO 3166 alpha-2 codes whose numbers may receive codes (SMS-pumping defence). */
  allowedCountries: string[];
  ttlSeconds: number;
  maxAttempts: number;
  resendCooldownSeconds: number;
  /** Codes per phone number per window. */
  maxPerWindow: number;
  windowSeconds: number;
  /** Codes per client IP / per device per risk window (0 = no limit). */
  ipMaxPerWindow: number;
  deviceMaxPerWindow: number;
  riskWindowSeconds: number;
}

export interface AuthConfig {
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  /** A rotated refresh token presented again within this many seconds is a race, not a theft. */
  refreshReuseGraceSeconds: number;
  /** Believe X-Forwarded-For for the client IP (only behind a proxy that sets it). */
  trustProxy: boolean;
  /**
   * How many trusted proxies append to X-Forwarded-For: the client address is the entry that many
   * places from the right (what the outermost trusted proxy saw), never one the client wrote.
   */
  trustProxyHops: number;
}

/**
 * Parses the environment once. Throws ConfigError with one readable line naming the bad variable.
 * In development a missing APP_SECRET is generated and kept in DATA_DIR so sessions survive restarts.
 */
export function loadConfig(
  source: Record<string, string | undefined> = Deno.env.toObject(),
  /** Values that win over the environment (tests: `{ APP_ENV: "test" }`). */
  overrides: Record<string, string> = {},
): Config {
  const env = { ...source, ...overrides };
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
  for (const name of ["DATABASE_URL", "DATABASE_DIRECT_URL", "DATABASE_REPLICA_URL"] as const) {
    const url = e[name];
    if (url && !/^postgres(ql)?:/.test(url)) {
      throw new ConfigError(`${name} must start with postgres:// (got ${redactUrl(url)})`);
    }
  }
  if (!e.DATABASE_URL && (e.DATABASE_DIRECT_URL || e.DATABASE_REPLICA_URL)) {
    throw new ConfigError(
      "DATABASE_DIRECT_URL and DATABASE_REPLICA_URL need DATABASE_URL (the primary) to be set",
    );
  }
  const pooled = e.DATABASE_POOLED === undefined
    ? Boolean(e.DATABASE_DIRECT_URL)
    : e.DATABASE_POOLED === "true" || e.DATABASE_POOLED === "1";
  const provider = e.OTP_PROVIDER ?? (e.AUTHENTICA_API_KEY ? "authentica" : "console");
  if (provider === "console" && e.APP_ENV === "production") {
    throw new ConfigError(
      "OTP_PROVIDER=console prints codes to the log and is refused when APP_ENV=production (set AUTHENTICA_API_KEY)",
    );
  }
  if (provider === "authentica" && !e.AUTHENTICA_API_KEY) {
    throw new ConfigError("AUTHENTICA_API_KEY is required when OTP_PROVIDER=authentica");
  }
  const notificationProvider = e.NOTIFICATION_PROVIDER ??
    (e.AUTHENTICA_API_KEY ? "authentica" : "console");
  if (notificationProvider === "console" && e.APP_ENV === "production") {
    throw new ConfigError(
      "NOTIFICATION_PROVIDER=console prints customers' messages to the log and is refused when APP_ENV=production (set AUTHENTICA_API_KEY)",
    );
  }
  if (notificationProvider === "authentica" && !e.AUTHENTICA_API_KEY) {
    throw new ConfigError("AUTHENTICA_API_KEY is required when NOTIFICATION_PROVIDER=authentica");
  }
  const moyasarKey = e.MOYASAR_SECRET_KEY?.trim() ?? "";
  if (moyasarKey && e.APP_ENV === "production" && !e.MOYASAR_WEBHOOK_SECRET) {
    throw new ConfigError(
      "MOYASAR_WEBHOOK_SECRET is required with MOYASAR_SECRET_KEY when APP_ENV=production (the webhook's secret token)",
    );
  }
  const apiBase = e.MOYASAR_API_BASE.replace(/\/$/, "");
  return {
    port: e.PORT,
    appEnv: e.APP_ENV,
    appSecret,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ""),
    database: e.DATABASE_URL
      ? { kind: "postgres", url: e.DATABASE_URL, pooled, directUrl: e.DATABASE_DIRECT_URL }
      : { kind: "pglite", dir: e.PGLITE_DIR },
    replica: e.DATABASE_REPLICA_URL
      ? { url: e.DATABASE_REPLICA_URL, maxLagMs: e.REPLICA_MAX_LAG_MS }
      : null,
    testDatabaseUrl: e.TEST_DATABASE_URL,
    testDatabaseDirectUrl: e.TEST_DATABASE_DIRECT_URL,
    testReplicaUrl: e.TEST_REPLICA_URL,
    dataDir: e.DATA_DIR,
    logLevel: e.LOG_LEVEL,
    otp: {
      provider,
      authentica: {
        apiKey: e.AUTHENTICA_API_KEY ?? "",
        baseUrl: e.AUTHENTICA_BASE_URL.replace(/\/$/, ""),
        timeoutMs: e.AUTHENTICA_TIMEOUT_MS,
        senderName: e.AUTHENTICA_SENDER_NAME || undefined,
      },
      allowedCountries: e.ALLOWED_PHONE_COUNTRIES.split(",").map((c) => c.trim().toUpperCase()),
      ttlSeconds: e.OTP_TTL_SECONDS,
      maxAttempts: e.OTP_MAX_ATTEMPTS,
      resendCooldownSeconds: e.OTP_RESEND_COOLDOWN_SECONDS,
      maxPerWindow: e.OTP_MAX_PER_WINDOW,
      windowSeconds: e.OTP_WINDOW_MINUTES * 60,
      ipMaxPerWindow: e.OTP_IP_MAX_PER_WINDOW,
      deviceMaxPerWindow: e.OTP_DEVICE_MAX_PER_WINDOW,
      riskWindowSeconds: e.OTP_RISK_WINDOW_MINUTES * 60,
    },
    auth: {
      accessTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlSeconds: e.REFRESH_TOKEN_TTL_DAYS * 86_400,
      refreshReuseGraceSeconds: e.REFRESH_REUSE_GRACE_SECONDS,
      trustProxy: e.TRUST_PROXY === "true" || e.TRUST_PROXY === "1",
      trustProxyHops: e.TRUST_PROXY_HOPS,
    },
    notifications: {
      provider: notificationProvider,
      authentica: {
        apiKey: e.AUTHENTICA_API_KEY ?? "",
        baseUrl: e.AUTHENTICA_BASE_URL.replace(/\/$/, ""),
        timeoutMs: e.AUTHENTICA_TIMEOUT_MS,
        senderName: e.NOTIFICATION_SENDER_NAME || e.AUTHENTICA_SENDER_NAME || undefined,
      },
      workerInProcess: e.WORKER_IN_PROCESS === "true" || e.WORKER_IN_PROCESS === "1",
      pollMs: e.WORKER_POLL_MS,
      batchSize: e.WORKER_BATCH_SIZE,
      leaseMs: e.WORKER_LEASE_SECONDS * 1000,
      retryBaseMs: e.MESSAGE_RETRY_BASE_SECONDS * 1000,
    },
    zatca: {
      keyEncryptionKey: e.ZATCA_KEY_ENCRYPTION_KEY
        ? Uint8Array.from(atob(e.ZATCA_KEY_ENCRYPTION_KEY.trim()), (c) => c.charCodeAt(0))
        : null,
    },
    payments: {
      enabled: moyasarKey !== "",
      secretKey: moyasarKey,
      publishableKey: e.MOYASAR_PUBLISHABLE_KEY?.trim() ?? "",
      webhookSecret: e.MOYASAR_WEBHOOK_SECRET ?? "",
      apiBase,
      // Moyasar's hosted pages are on checkout.moyasar.com; a fake serves them itself.
      checkoutOrigin: e.MOYASAR_CHECKOUT_ORIGIN?.replace(/\/$/, "") ??
        (new URL(apiBase).hostname === "api.moyasar.com"
          ? "https://checkout.moyasar.com"
          : new URL(apiBase).origin),
      timeoutMs: e.MOYASAR_TIMEOUT_MS,
      jobIntervalMs: e.PAYMENTS_JOB_INTERVAL_SECONDS * 1000,
      reconcileAfterMs: e.PAYMENTS_RECONCILE_AFTER_SECONDS * 1000,
    },
    retention: {
      otpDays: e.OTP_RETENTION_DAYS,
      messageBodyDays: e.MESSAGE_BODY_RETENTION_DAYS,
      intervalMs: e.RETENTION_INTERVAL_HOURS * 3_600_000,
      inProcess: e.RETENTION_IN_PROCESS === "true" || e.RETENTION_IN_PROCESS === "1",
    },
    pageCache: { ttlMs: e.PAGE_CACHE_SECONDS * 1000, maxBytes: e.PAGE_CACHE_MB * 1024 * 1024 },
    photos: photoStorageConfig(e),
  };
}

function photoStorageConfig(e: Env): PhotoStorageConfig {
  const bucket = e.S3_BUCKET?.trim();
  if (!bucket) return { kind: "database" };
  for (const name of ["S3_ENDPOINT", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const) {
    if (!e[name]) throw new ConfigError(`${name} is required when S3_BUCKET is set`);
  }
  return {
    kind: "s3",
    endpoint: e.S3_ENDPOINT!.replace(/\/$/, ""),
    bucket,
    region: e.S3_REGION,
    accessKeyId: e.S3_ACCESS_KEY_ID!,
    secretAccessKey: e.S3_SECRET_ACCESS_KEY!,
    timeoutMs: e.S3_TIMEOUT_MS,
    publicUrl: e.PHOTOS_PUBLIC_URL?.replace(/\/$/, ""),
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
