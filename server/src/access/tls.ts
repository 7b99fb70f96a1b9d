/**
 * The certificate Parley serves HTTPS with: the user's own (PARLEY_TLS_CERT and
 * PARLEY_TLS_KEY), or one made on first start and kept in the data dir (a
 * well-kept library, selfsigned), valid for this machine's names and addresses.
 * Browsers give microphones and WebXR only to secure pages, so a friend on the
 * network needs this; they trust it once (or the host uses mkcert).
 */
import { createHash, X509Certificate } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile, chmod } from "node:fs/promises";
import { hostname, networkInterfaces } from "node:os";
import { join } from "node:path";
import { generate } from "selfsigned";

export interface TlsMaterial {
  cert: string;
  key: string;
  /** SHA-256 fingerprint, AA:BB:... */
  fingerprint: string;
  /** base64 SHA-256 of the public key (Chromium's --ignore-certificate-errors-spki-list) */
  spki: string;
  /** made by Parley (not the user's own) */
  generated: boolean;
  certPath: string;
}

export class TlsError extends Error {}

/** This machine's names and addresses, for the certificate's subjectAltName. */
function altNames(extra: readonly string[]): { type: 2 | 7; value?: string; ip?: string }[] {
  const names = new Set(["localhost", hostname(), ...extra.filter((h) => !/^[\d.:]+$/.test(h) && h !== "0.0.0.0")]);
  const ips = new Set(["127.0.0.1", "::1", ...extra.filter((h) => /^[\d.:]+$/.test(h) && h !== "0.0.0.0" && h !== "::")]);
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) ips.add(a.address.split("%")[0]!);
  return [...[...names].map((value) => ({ type: 2 as const, value })), ...[...ips].map((ip) => ({ type: 7 as const, ip }))];
}

function describe(cert: string, key: string, generated: boolean, certPath: string): TlsMaterial {
  let x: X509Certificate;
  try { x = new X509Certificate(cert); } catch (err) { throw new TlsError(`${certPath} is not a PEM certificate (${(err as Error).message})`); }
  const spkiDer = x.publicKey.export({ type: "spki", format: "der" });
  return { cert, key, fingerprint: x.fingerprint256, spki: createHash("sha256").update(spkiDer).digest("base64"), generated, certPath };
}

export async function loadTls(o: { dataDir: string; certPath?: string; keyPath?: string; hosts?: readonly string[] }): Promise<TlsMaterial> {
  if (o.certPath || o.keyPath) {
    if (!o.certPath || !o.keyPath) throw new TlsError("set both PARLEY_TLS_CERT and PARLEY_TLS_KEY (PEM files)");
    const [cert, key] = await Promise.all([readFile(o.certPath, "utf8"), readFile(o.keyPath, "utf8")]).catch((err: unknown) => {
      throw new TlsError(`cannot read the certificate or key: ${(err as Error).message}`);
    });
    return describe(cert, key, false, o.certPath);
  }
  const dir = join(o.dataDir, "tls");
  const certPath = join(dir, "parley-cert.pem");
  const keyPath = join(dir, "parley-key.pem");
  if (existsSync(certPath) && existsSync(keyPath)) {
    const material = describe(await readFile(certPath, "utf8"), await readFile(keyPath, "utf8"), true, certPath);
    // a certificate about to expire is made again
    if (new Date(new X509Certificate(material.cert).validTo).getTime() - Date.now() > 7 * 86_400_000) return material;
  }
  const notAfter = new Date(Date.now() + 825 * 86_400_000);
  const made = await generate([{ name: "commonName", value: "Parley on this machine" }, { name: "organizationName", value: "Parley" }], {
    keyType: "ec", curve: "P-256", algorithm: "sha256", notAfterDate: notAfter,
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames: altNames(o.hosts ?? []) },
    ],
  });
  await mkdir(dir, { recursive: true });
  await writeFile(keyPath, made.private, { mode: 0o600 });
  await chmod(keyPath, 0o600);
  await writeFile(certPath, made.cert);
  return describe(made.cert, made.private, true, certPath);
}
