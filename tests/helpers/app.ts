import { createApp } from "@/app.ts";
import { type Config, loadConfig } from "@/config.ts";
import type { ReplicaReads } from "@/db/replica.ts";
import type { Db } from "@/db/types.ts";
import { setLogLevel } from "@/log.ts";
import { loadAssetFiles } from "@/runtime/assets.ts";
import { ensureBuild } from "@/runtime/ensure_build.ts";
import {
  consoleOtpProvider,
  createOtpProvider,
  type OtpMessage,
  type OtpProvider,
} from "@/services/auth/otp_providers.ts";
import { createMoyasarClient, type MoyasarClient } from "@/services/payments/moyasar.ts";
import { createPhotoStorage, type PhotoStorage } from "@/services/photos/storage.ts";
import { createTestDb, type TestDb } from "./db.ts";

setLogLevel("warn");

/** A clock tests can set and move; services read it through deps.now. */
export class TestClock {
  /** Set by `ticking()`: the real moment `current` was last read from, so time passes. */
  private tickingSince: number | undefined;
  private scatterMs = 0;
  constructor(public current = new Date("2026-11-21T09:00:00Z")) {}
  now = () =>
    new Date(
      this.current.getTime() +
        (this.tickingSince === undefined ? 0 : performance.now() - this.tickingSince) +
        Math.random() * this.scatterMs,
    );
  /**
   * From now on the clock runs like a wall clock. `scatterMs` adds up to that much to each reading:
   * simultaneous requests read the clock in a different order from the one they reach the database.
   */
  ticking(scatterMs = 0) {
    this.tickingSince = performance.now();
    this.scatterMs = scatterMs;
  }
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
  set(iso: string) {
    this.current = new Date(iso);
  }
}

export interface TestApp {
  app: ReturnType<typeof createApp>;
  db: Db;
  clock: TestClock;
  config: Config;
  testDb: TestDb;
  /** A second app instance on the same database (Postgres) or the same handle (PGlite). */
  secondInstance(): ReturnType<typeof createApp>;
  /** Another app instance on the given handles (a pooler's, a replica's) with the same clock. */
  instanceOn(db: Db, replica?: ReplicaReads): ReturnType<typeof createApp>;
  close(): Promise<void>;
  /** What the console OTP provider "sent" (unless `options.otp` replaced it), oldest first. */
  otpMessages: OtpMessage[];
}

export interface TestAppOptions {
  /**
   * The OTP provider; default: the console provider writing into `otpMessages`, or the configured
   * one when `env` names another (OTP_PROVIDER=authentica with AUTHENTICA_BASE_URL of a fake).
   */
  otp?: OtpProvider;
  /**
   * The Moyasar client; default: the configured one (null unless `env` sets MOYASAR_SECRET_KEY,
   * e.g. with MOYASAR_API_BASE of tests/fakes/moyasar.ts).
   */
  payments?: MoyasarClient | null;
  /** Photo storage; default: the configured one (the database unless `env` sets S3_BUCKET). */
  photos?: PhotoStorage;
}

let assets: ReturnType<typeof ensureBuild> | undefined;

/** A full app on a fresh database with a fixed clock; `env` overrides configuration. */
export async function makeTestApp(
  env: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const testDb = await createTestDb();
  const clock = new TestClock();
  const config = loadConfig({ APP_ENV: "test", ...env });
  assets ??= ensureBuild();
  const manifest = await assets;
  const assetFiles = await loadAssetFiles(manifest);
  const otpMessages: OtpMessage[] = [];
  const otp = options.otp ??
    (config.otp.provider === "console"
      ? consoleOtpProvider((message) => otpMessages.push(message))
      : createOtpProvider(config));
  const payments = options.payments !== undefined
    ? options.payments
    : createMoyasarClient(config.payments);
  const deps = {
    config,
    db: testDb.db,
    now: clock.now,
    assets: manifest,
    assetFiles,
    otp,
    payments,
    photos: options.photos ?? createPhotoStorage(config.photos, testDb.db),
  };
  return {
    app: createApp(deps),
    db: testDb.db,
    clock,
    config,
    testDb,
    secondInstance: () => createApp({ ...deps, db: testDb.openAnother() ?? testDb.db }),
    instanceOn: (db, replica) => createApp({ ...deps, db, replica }),
    close: () => testDb.close(),
    otpMessages,
  };
}
