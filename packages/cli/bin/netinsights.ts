#!/usr/bin/env node
/** The `netinsights` command. Needs Node.js 24 (native TypeScript). */
import { main } from '../src/main.ts';

process.exitCode = await main(process.argv.slice(2));
