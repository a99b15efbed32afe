/**
 * The certificate authority of the ZATCA fake: issues an X.509 certificate for a unit's CSR,
 * signed with its own secp256k1 key (as ZATCA's e-invoicing CA does), keeping the CSR's subject
 * and public key.
 */
import * as der from "@/services/zatca/der.ts";
import { generateKeyPair, name, OID, parseCsr, signEcdsa } from "@/services/zatca/keys.ts";

export interface FakeCa {
  issue(csrDer: Uint8Array, serial: Uint8Array): Uint8Array;
  publicKeyDer: Uint8Array;
}

export function makeFakeCa(): FakeCa {
  const keys = generateKeyPair();
  const issuer = name([
    [OID.domainComponent, "local"],
    [OID.domainComponent, "gov"],
    [OID.domainComponent, "extgazt"],
    [OID.commonName, "FAKE-ZATCA-SubCA-1"],
  ]);
  return {
    publicKeyDer: keys.publicDer,
    issue(csrDer, serial) {
      const csr = parseCsr(csrDer);
      if (!csr.valid) throw new Error("the CSR's signature does not verify");
      const now = new Date();
      const tbs = der.seq(
        der.ctx(0, der.uint(new Uint8Array([2]))),
        der.uint(serial),
        der.seq(der.oid(OID.ecdsaWithSha256)),
        issuer,
        der.seq(der.utcTime(now), der.utcTime(new Date(now.getTime() + 365 * 86_400_000))),
        csr.subject,
        csr.publicKeyDer,
      );
      const sig = signEcdsa(keys.privatePem, tbs);
      return der.seq(tbs, der.seq(der.oid(OID.ecdsaWithSha256)), der.bits(sig));
    },
  };
}
