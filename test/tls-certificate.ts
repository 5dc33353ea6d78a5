/**
 * Self-signed certificates for tests of encrypted connections, made at test time by the openssl command
 * line (Node can check certificates but not issue them), valid for a day for 127.0.0.1 and localhost.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCertificate {
  /** PEM texts. */
  key: string;
  cert: string;
  /** The certificate's PEM file, to name as the authority to trust. */
  certFile: string;
}

/** A P-256 key and a self-signed certificate for it, written to `folder` as `<name>.key` and `<name>.pem`. */
export function selfSignedCertificate(folder: string, name: string): TestCertificate {
  const keyFile = join(folder, `${name}.key`);
  const certFile = join(folder, `${name}.pem`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'pipe' },
  );
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}
