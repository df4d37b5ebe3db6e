/**
 * @module @netinsights/protocol
 * The contract shared by every part: ProbeReport v1, service profiles,
 * failure layers and classes, the interceptor-vendor table, the insight
 * kinds with their settings and evidence, validation.
 */

export * from './agent-hosts.ts';
export * from './agent-policy.ts';
export * from './assessment.ts';
export * from './countries.ts';
export * from './errors.ts';
export * from './insight-evidence.ts';
export * from './insight-kinds.ts';
export * from './insight-settings.ts';
export * from './interceptor-vendors.ts';
export * from './measurement-plan.ts';
export * from './media-quality.ts';
export * from './outcome.ts';
export * from './peer-ratio.ts';
export * from './probe-report.ts';
export * from './profile-loader.ts';
export * from './report-id.ts';
export * from './service-profile.ts';
export * from './sweep-report.ts';
export * from './validate.ts';
