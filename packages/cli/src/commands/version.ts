/** `netinsights version`: prints the version of the CLI and the Node.js it runs on. */

import { type Command, EXIT } from '@netinsights/protocol/cli/command.ts';
import pkg from '../../package.json' with { type: 'json' };

export const command: Command = {
  name: 'version',
  summary: 'print the netinsights and Node.js versions',
  order: 99,
  help: 'Usage: netinsights version\n\nPrints the netinsights version and the Node.js version it runs on.',
  async run() {
    console.log(`netinsights ${pkg.version} (node ${process.versions.node})`);
    return EXIT.OK;
  },
};
