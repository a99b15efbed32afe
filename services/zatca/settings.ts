/**
 * The key that seals units' private keys (ZATCA_KEY_ENCRYPTION_KEY, 32 bytes in base64), set
 * once from the configuration when the app starts. Configuration, not state: every instance reads
 * the same value from its environment.
 */
let keyEncryptionKey: Uint8Array | null = null;

export function configureZatca(key: Uint8Array | null): void {
  keyEncryptionKey = key;
}

export function zatcaKeyEncryptionKey(): Uint8Array {
  if (!keyEncryptionKey) {
    throw new Error("ZATCA_KEY_ENCRYPTION_KEY is not set: stamped invoices cannot be signed");
  }
  return keyEncryptionKey;
}
