export type Row = Record<string, unknown>;

/**
 * What every service talks to. Parameters are `$1…$n`; pass JS values (objects for json/jsonb,
 * arrays for `= ANY($1)`, Date or ISO strings for timestamptz). Both back ends return:
 * int8/numeric as number, date as "YYYY-MM-DD", timestamptz as Date, json as parsed values.
 */
export interface Queryable {
  query<T = Row>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** Tagged template: every interpolated value becomes a parameter, never SQL text. */
  sql<T = Row>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T[]>;
  /** Runs a multi-statement script without parameters (migrations). */
  exec(script: string): Promise<void>;
  /** Nested use inside a transaction runs as a savepoint. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}

export type Tx = Queryable;

export interface Db extends Queryable {
  readonly kind: "pglite" | "postgres";
  /**
   * A transaction's BEGIN goes out with its first statement rather than on a round trip of its
   * own (both back ends here; a wrapper may not).
   */
  readonly pipelinesBegin?: boolean;
  /**
   * Calls `onNotify` with each payload sent on `channel` (NOTIFY, delivered at commit) and
   * `onListen` each time listening (re)starts: notifications sent while it was not listening are
   * lost, so a subscriber treats a restart as "anything may have changed". Resolves once listening;
   * the returned function stops. Throws SessionUnavailableError behind a transaction-pooling
   * pooler without a direct connection.
   */
  listen(
    channel: string,
    onNotify: (payload: string) => void,
    onListen?: () => void,
  ): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** A driver error normalized across back ends: SQLSTATE code and constraint name. */
export class DbError extends Error {
  override name = "DbError";
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly constraint: string | undefined,
    readonly detail: string | undefined,
  ) {
    super(message);
  }
}

/** LISTEN needs a session of its own, which a transaction-pooling pooler does not keep. */
export class SessionUnavailableError extends Error {
  override name = "SessionUnavailableError";
  constructor() {
    super("LISTEN needs a direct connection (DATABASE_DIRECT_URL) behind a transaction pooler");
  }
}

export const PG_UNIQUE_VIOLATION = "23505";
export const PG_EXCLUSION_VIOLATION = "23P01";
export const PG_CHECK_VIOLATION = "23514";
export const PG_FOREIGN_KEY_VIOLATION = "23503";

/** Builds `$n` placeholders from a tagged template. */
export function compileTemplate(
  strings: TemplateStringsArray,
  values: unknown[],
): { text: string; params: unknown[] } {
  let text = strings[0];
  for (let i = 0; i < values.length; i++) text += `$${i + 1}${strings[i + 1]}`;
  return { text, params: values };
}

export function toDbError(err: unknown): unknown {
  if (err instanceof DbError || !(err instanceof Error)) return err;
  const e = err as Error & {
    code?: string;
    constraint?: string;
    constraint_name?: string;
    detail?: string;
  };
  if (typeof e.code !== "string" || !/^[0-9A-Z]{5}$/.test(e.code)) return err;
  const wrapped = new DbError(e.message, e.code, e.constraint ?? e.constraint_name, e.detail);
  wrapped.stack = e.stack;
  return wrapped;
}
