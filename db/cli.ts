import { ConfigError, loadConfig } from "@/config.ts";
import { openDb } from "./client.ts";
import { migrate } from "./migrate.ts";
import { seedDemoData } from "./seed.ts";
import { createPhotoStorage } from "@/services/photos/storage.ts";

const command = Deno.args[0];
try {
  const config = loadConfig();
  const db = await openDb(config);
  try {
    const applied = await migrate(db);
    console.log(
      applied.length ? `applied migrations ${applied.join(", ")}` : "database is up to date",
    );
    if (command === "seed") {
      const seeded = await seedDemoData(db, new Date(), createPhotoStorage(config.photos, db));
      console.log(`seeded ${seeded.salons} salons, ${seeded.photos} photos`);
    } else if (command !== "migrate") {
      throw new Error(`unknown command ${command}; use migrate | seed`);
    }
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
