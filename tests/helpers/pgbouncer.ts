/**
 * A PgBouncer in transaction pooling mode in front of a Postgres server, on a free port, with a
 * config written here: what Supabase, Neon and RDS Proxy put in front of their databases. Every
 * database name is passed through (`*`), so tests' fresh databases work through it.
 *
 * Run as a script it starts one and prints its URL until stopped (.ci/run's pooled pass):
 * `deno run -A tests/helpers/pgbouncer.ts postgres://postgres@127.0.0.1:5432/postgres`.
 */

export interface Pgbouncer {
  /** `serverUrl` with the pooler's host and port. */
  url: string;
  stop(): Promise<void>;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

/** True when Debian's `pgbouncer` is installed. */
export function hasPgbouncer(): boolean {
  try {
    return new Deno.Command("pgbouncer", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

export async function startPgbouncer(serverUrl: string): Promise<Pgbouncer> {
  const server = new URL(serverUrl);
  const port = freePort();
  const dir = await Deno.makeTempDir({ prefix: "salon-pgbouncer-" });
  const ini = `${dir}/pgbouncer.ini`;
  await Deno.writeTextFile(
    ini,
    `[databases]
* = host=${server.hostname} port=${server.port || 5432}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = trust
auth_file = ${dir}/users.txt
pool_mode = transaction
max_client_conn = 2000
default_pool_size = 8
max_db_connections = 10
server_reset_query =
ignore_startup_parameters = extra_float_digits
logfile =
pidfile =
${Deno.uid() === 0 ? "user = postgres" : ""}
`,
  );
  await Deno.writeTextFile(`${dir}/users.txt`, `"${server.username || "postgres"}" ""\n`);
  // PgBouncer refuses to run as root; with `user` it drops to that account after reading the config.
  await Deno.chmod(dir, 0o755);
  const child = new Deno.Command("pgbouncer", {
    args: ["-q", ini],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      break;
    } catch {
      if (Date.now() > deadline) {
        try {
          child.kill("SIGKILL");
        } catch { /* exited already */ }
        throw new Error(`pgbouncer did not start: ${await stderr}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const url = new URL(serverUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return {
    url: url.toString(),
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch { /* exited already */ }
      await child.status;
      await stderr;
      await Deno.remove(dir, { recursive: true });
    },
  };
}

if (import.meta.main) {
  const pooler = await startPgbouncer(
    Deno.args[0] ?? "postgres://postgres@127.0.0.1:5432/postgres",
  );
  console.log(pooler.url);
  const stop = async () => {
    await pooler.stop();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGTERM", stop);
  Deno.addSignalListener("SIGINT", stop);
}
