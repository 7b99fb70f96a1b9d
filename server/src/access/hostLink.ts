/**
 * What the terminal says when Parley starts beyond this machine: the host's own
 * link (it carries the host's token), a QR code of it for a phone or a headset,
 * and the certificate's fingerprint with how to trust it.
 */
import { networkInterfaces } from "node:os";
import qrcode from "qrcode-terminal";
import type { TlsMaterial } from "./tls.js";

/** An address other machines can reach this one at (the first LAN IPv4), when listening on all interfaces. */
export function reachableHost(host: string): string {
  if (host !== "0.0.0.0" && host !== "::") return host.includes(":") ? `[${host}]` : host;
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  return "localhost";
}

export function qrOf(text: string): Promise<string> {
  return new Promise((resolve) => qrcode.generate(text, { small: true }, resolve));
}

export function tlsAdvice(tls: TlsMaterial): string[] {
  if (!tls.generated) return [`HTTPS with your certificate ${tls.certPath} (SHA-256 ${tls.fingerprint}).`];
  return [
    `HTTPS with a certificate Parley made for this machine: ${tls.certPath}`,
    `  SHA-256 fingerprint ${tls.fingerprint}`,
    "  Browsers warn about it once: check the fingerprint, then choose to proceed. To have no warning at all,",
    "  make a locally trusted one with mkcert (mkcert -install; mkcert <this machine's address>) and start with",
    "  --tls-cert <cert.pem> --tls-key <key.pem> (PARLEY_TLS_CERT, PARLEY_TLS_KEY).",
  ];
}
