#!/usr/bin/env node
/**
 * @module netinsights-probe
 * The probe as shipped to an endpoint: `netinsights probe` and `netinsights
 * agent`, same flags, same output and exit codes, without the rest of the
 * CLI (lab, server, dashboard). `npm run build:probe` bundles this file into
 * packages/probe/dist/netinsights-probe.mjs, which needs nothing but Node.js
 * 24 — no TypeScript stripping, no node_modules, no database driver.
 *
 *   netinsights-probe [probe] [flags]    (the leading `probe` is optional)
 *   netinsights-probe agent [flags]
 *   netinsights-probe version
 *
 * This file only checks the Node.js version and then loads the rest: an
 * older Node would otherwise fail on an API it lacks (node:tls
 * getCACertificates is new in 22.15) with a page of minified code.
 */
const MIN_NODE_MAJOR = 24;
const major = Number(process.versions.node.split('.')[0]);
if (!(major >= MIN_NODE_MAJOR)) {
  console.error(
    `netinsights-probe: needs Node.js ${MIN_NODE_MAJOR} or later (found ${process.versions.node}); ` +
      'or use the one-file netinsights-agent build, which carries its own',
  );
  process.exit(2);
}
const { endpointMain } = await import('../src/cli/endpoint-main.ts');
process.exitCode = await endpointMain(process.argv.slice(2), {
  name: 'netinsights-probe',
  defaultCommand: 'probe',
});
