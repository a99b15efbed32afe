/** A local S3-compatible server (s3rver, from npm) with one bucket, started by the test itself. */
import S3rver from "s3rver";
import { AwsClient } from "aws4fetch";

export interface LocalS3 {
  /** Environment that points the app's photo storage at this server. */
  env: Record<string, string>;
  endpoint: string;
  bucket: string;
  /** A signed client for looking into the bucket directly. */
  client: AwsClient;
  /** The object at `key`: status and body (404: none). */
  object(key: string): Promise<{ status: number; type: string | null; bytes: Uint8Array }>;
  close(): Promise<void>;
}

export async function startLocalS3(): Promise<LocalS3> {
  const directory = await Deno.makeTempDir({ prefix: "s3rver-" });
  const bucket = "salon-photos";
  const server = new S3rver({
    port: 0,
    address: "127.0.0.1",
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = await server.run() as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  // s3rver's own account.
  const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
  const client = new AwsClient({ ...credentials, region: "us-east-1", service: "s3" });
  return {
    env: {
      S3_BUCKET: bucket,
      S3_ENDPOINT: endpoint,
      S3_REGION: "us-east-1",
      S3_ACCESS_KEY_ID: credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    },
    endpoint,
    bucket,
    client,
    async object(key) {
      const res = await client.fetch(`${endpoint}/${bucket}/${key}`);
      return {
        status: res.status,
        type: res.headers.get("content-type"),
        bytes: new Uint8Array(await res.arrayBuffer()),
      };
    },
    async close() {
      await server.close();
      await Deno.remove(directory, { recursive: true });
    },
  };
}
