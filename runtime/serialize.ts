/**
 * Island props travel from server to browser as JSON with three markers:
 * `{"$signal": n}` a shared signal, `{"$slot": 1}` server-rendered children, `{"$date": iso}`.
 * Keys of user objects that start with "$" are escaped with one more "$", so data can never
 * forge a marker. Shared by the server renderer and the client boot (no server-only imports).
 */

export interface EncodeContext {
  /** Where in the props we are, for error messages. */
  path: string;
  isSignal(value: unknown): value is { peek(): unknown };
  signalId(signal: { peek(): unknown }): number;
}

export class IslandPropsError extends Error {
  override name = "IslandPropsError";
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function encodeProp(value: unknown, ctx: EncodeContext, seen = new Set<object>()): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new IslandPropsError(`${ctx.path} is ${value}; only finite numbers serialize`);
    }
    return value;
  }
  if (value === undefined) return undefined;
  if (typeof value === "function") {
    throw new IslandPropsError(
      `${ctx.path} is a function; island props must be serializable (pass data, not callbacks)`,
    );
  }
  if (typeof value !== "object") {
    throw new IslandPropsError(
      `${ctx.path} is a ${typeof value}; island props must be serializable`,
    );
  }
  if (ctx.isSignal(value)) return { $signal: ctx.signalId(value) };
  if (value instanceof Date) return { $date: value.toISOString() };
  if (seen.has(value)) throw new IslandPropsError(`${ctx.path} is circular`);
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      return value.map((item, i) =>
        encodeProp(item, { ...ctx, path: `${ctx.path}[${i}]` }, seen) ?? null
      );
    }
    if (!isPlainObject(value)) {
      const kind = (value as object).constructor?.name ?? "object";
      throw new IslandPropsError(`${ctx.path} is a ${kind}; island props must be plain data`);
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const encoded = encodeProp(item, { ...ctx, path: `${ctx.path}.${key}` }, seen);
      if (encoded !== undefined) out[key.startsWith("$") ? `$${key}` : key] = encoded;
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

export interface DecodeContext {
  signal(id: number): unknown;
  slot(): unknown;
}

export function decodeProp(value: unknown, ctx: DecodeContext): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => decodeProp(item, ctx));
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1) {
    if (keys[0] === "$signal") return ctx.signal(obj.$signal as number);
    if (keys[0] === "$slot") return ctx.slot();
    if (keys[0] === "$date") return new Date(obj.$date as string);
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(obj)) {
    out[key.startsWith("$$") ? key.slice(1) : key] = decodeProp(item, ctx);
  }
  return out;
}

/** JSON that is inert inside `<script>`: no `</script>`, `<!--`, or line separators survive. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
