/**
 * Builds the dashboard (packages/web → packages/web/dist) when its sources
 * changed since the last build, so that `npm start` and `npm test` always
 * serve the current dashboard without rebuilding on every run.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, globSync, readFileSync, writeFileSync } from 'node:fs';

const web = 'packages/web';
const inputs = globSync(
  [
    `${web}/src/**/*`,
    `${web}/public/**/*`,
    `${web}/index.html`,
    `${web}/vite.config.*`,
    `${web}/package.json`,
  ],
  {
    withFileTypes: false,
  },
)
  .filter((f) => !f.includes('node_modules'))
  .sort();
const hash = createHash('sha256');
for (const f of inputs) {
  hash.update(f);
  try {
    hash.update(readFileSync(f));
  } catch {
    // a directory: its files are hashed on their own
  }
}
const digest = hash.digest('hex');
const stamp = `${web}/dist/.build-stamp`;
if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) process.exit(0);

console.error('netinsights: building the dashboard…');
// Vite reports on stdout; send it to stderr, which is where every other word of the set-up goes, so
// the JSON a command prints is the only thing on stdout.
const r = spawnSync('npm', ['run', 'build', '--silent', '-w', '@netinsights/web'], {
  stdio: ['ignore', 2, 2],
});
if (r.status !== 0) {
  console.error('netinsights: the dashboard build failed (see above)');
  process.exit(r.status ?? 1);
}
writeFileSync(stamp, digest);
