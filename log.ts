/** One JSON object per line on stdout. Keys that may carry secrets are redacted. */
export type LogLevel = "debug" | "info" | "warn" | "error";

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY = /(secret|token|password|authorization|cookie|otp|^code$|api_?key)/i;
let threshold: LogLevel = "info";

export function setLogLevel(level: LogLevel): void {
  threshold = level;
}

function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = SECRET_KEY.test(key) ? "[redacted]" : value;
  }
  return out;
}

/**
 * Info and debug lines (one per request) are written in batches, one write per 25 ms or 32 KB
 * instead of a system call per line. Warnings and errors go out at once on stderr, after what is
 * buffered, to keep the order; a crash that skips `unload` can lose at most the last 25 ms of info.
 */
const FLUSH_AFTER_MS = 25;
const FLUSH_AT_CHARS = 32 * 1024;
let buffered: string[] = [];
let bufferedChars = 0;
let timer: ReturnType<typeof setTimeout> | undefined;

/** Writes every buffered line now (before exit, or before reading the log in a test). */
export function flushLog(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
  if (buffered.length === 0) return;
  const text = buffered.join("\n");
  buffered = [];
  bufferedChars = 0;
  console.log(text);
}

function buffer(line: string): void {
  buffered.push(line);
  bufferedChars += line.length;
  if (bufferedChars >= FLUSH_AT_CHARS) return flushLog();
  if (timer === undefined) {
    timer = setTimeout(flushLog, FLUSH_AFTER_MS);
    Deno.unrefTimer(timer);
  }
}

globalThis.addEventListener("unload", flushLog);

function write(level: LogLevel, event: string, fields: Record<string, unknown>): void {
  if (ORDER[level] < ORDER[threshold]) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...redact(fields) });
  if (level === "error" || level === "warn") {
    flushLog();
    console.error(line);
  } else buffer(line);
}

export const log = {
  debug: (event: string, fields: Record<string, unknown> = {}) => write("debug", event, fields),
  info: (event: string, fields: Record<string, unknown> = {}) => write("info", event, fields),
  warn: (event: string, fields: Record<string, unknown> = {}) => write("warn", event, fields),
  error: (event: string, fields: Record<string, unknown> = {}) => write("error", event, fields),
  /** Writes the line as given, unredacted: only for the console providers' own lines (OTP codes). */
  raw: (fields: Record<string, unknown>) => buffer(JSON.stringify(fields)),
};
