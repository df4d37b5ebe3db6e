/**
 * @module @netinsights/lab
 * A simulated Microsoft 365 edge and the broken corporate networks admins
 * really have, on loopback: a front door, resolvers, proxies that block,
 * intercept or break WebSockets, a UDP-dropping firewall and a slow link,
 * plus the scenarios that say what the probe must conclude through each.
 */
export { type Lab, type StartLabOptions, startLab } from './lab.ts';
export {
  buildLabProfile,
  LAB_PROFILE_ID,
  LAB_TEAMS_MEDIA,
  LAB_THRESHOLDS,
  labHosts,
  retargetProfile,
  retargetTeamsMedia,
} from './lab-profile.ts';
export { type CertificateAuthority, createRootCa, type IssuedCertificate } from './pki.ts';
export { SCENARIOS, type ScenarioInfo } from './scenarios/catalog.ts';
export {
  compareVerdicts,
  type ExpectedVerdict,
  type VerdictCode,
  type VerdictComparison,
  type VerdictLine,
} from './scenarios/expected-verdict.ts';
