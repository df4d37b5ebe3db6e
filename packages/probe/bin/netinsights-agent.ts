/**
 * @module netinsights-agent
 * The entry of the one-file executables (`npm run build:agent`): Node.js 24
 * with this program injected as a single executable application, so an
 * endpoint needs nothing installed. `probe` and `agent` take the same flags
 * and give the same output and exit codes as `netinsights probe|agent`.
 *
 *   netinsights-agent probe [flags]
 *   netinsights-agent agent [flags] | agent install|uninstall|status [flags]
 *   netinsights-agent version
 *
 * Bundled as CommonJS (a single executable runs one CommonJS script), so no
 * top-level await here.
 */
import { endpointMain } from '../src/cli/endpoint-main.ts';

endpointMain(process.argv.slice(2), { name: 'netinsights-agent' }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`netinsights-agent: internal error: ${(err as Error)?.stack ?? String(err)}`);
    process.exitCode = 2;
  },
);
