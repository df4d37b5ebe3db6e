/**
 * @module lab-pki
 * The certificate authorities one lab run needs, generated at start: the
 * "genuine" root and issuing CA that sign the front door (and that the lab
 * profile pins), and interceptor CAs named like the ones real secure web
 * gateways push to endpoints, so the probe's vendor table recognises them —
 * plus one corporate CA no table knows.
 */
import { type CertificateAuthority, createRootCa, type IssuedCertificate } from './pki.ts';

export const LAB_ORGANIZATION = 'Netinsights Lab';
export const LAB_ROOT_NAME = 'Netinsights Lab Root CA';
export const LAB_ISSUING_NAME = 'Netinsights Lab TLS Issuing CA 01';

/** An interceptor's CA: `signer` mints the leaves, `trustPem` is what an endpoint has in its store. */
export interface InterceptorCa {
  /** Vendor the probe should name from the issuer (`unknown interceptor` when no table entry matches). */
  vendor: string;
  signer: CertificateAuthority;
  trustPem: string;
}

export interface LabPki {
  root: CertificateAuthority;
  issuing: CertificateAuthority;
  /** The front door's certificate, covering every lab host. */
  frontDoor: IssuedCertificate;
  zscaler: InterceptorCa;
  fortinet: InterceptorCa;
  /** A corporate inspection CA whose name matches no vendor. */
  unknown: InterceptorCa;
  /**
   * The corporate CA's sub-CA named exactly like the lab's issuing CA (on
   * another key): an interceptor posing as the service's CA.
   */
  impostor: InterceptorCa;
}

export async function createLabPki(hosts: string[]): Promise<LabPki> {
  const [root, zscalerRoot, fortinetCa, contosoCa] = await Promise.all([
    createRootCa({ commonName: LAB_ROOT_NAME, organization: LAB_ORGANIZATION }),
    // Zscaler endpoints trust "Zscaler Root CA"; leaves come from an intermediate under it.
    createRootCa({ commonName: 'Zscaler Root CA', organization: 'Zscaler Inc.' }),
    // FortiGate's default deep-inspection CA signs leaves itself.
    createRootCa({ commonName: 'FortiGate CA', organization: 'Fortinet' }),
    createRootCa({ commonName: 'Contoso Web Inspection CA', organization: 'Contoso Ltd' }),
  ]);
  const [issuing, zscalerIntermediate, impostor] = await Promise.all([
    root.issueIntermediate(LAB_ISSUING_NAME, LAB_ORGANIZATION),
    zscalerRoot.issueIntermediate('Zscaler Intermediate Root CA', 'Zscaler Inc.'),
    contosoCa.issueIntermediate(LAB_ISSUING_NAME, LAB_ORGANIZATION),
  ]);
  const frontDoor = await issuing.issueServer(hosts);
  return {
    root,
    issuing,
    frontDoor,
    zscaler: { vendor: 'Zscaler', signer: zscalerIntermediate, trustPem: zscalerRoot.certPem },
    fortinet: { vendor: 'Fortinet FortiGate', signer: fortinetCa, trustPem: fortinetCa.certPem },
    unknown: { vendor: 'unknown interceptor', signer: contosoCa, trustPem: contosoCa.certPem },
    impostor: { vendor: 'unknown interceptor', signer: impostor, trustPem: contosoCa.certPem },
  };
}
