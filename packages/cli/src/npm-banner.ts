/**
 * @module npm-banner
 * `npm run netinsights -- … --json | jq` fails on its first line: npm prints
 * its "> netinsights@0.1.0 netinsights" banner on stdout before the script
 * starts, and nothing the script does can take it back. `npm run --silent`
 * (or `-s`) leaves the banner out, so the README writes the JSON examples
 * that way; this module notices the other case and says so on stderr, where
 * the hint cannot break the JSON any further.
 */

/** True when the arguments ask a command for JSON output (`--json`, `--format json`, `--format=json`). */
export function wantsJson(argv: readonly string[]): boolean {
  return argv.some(
    (a, i) => a === '--json' || a === '--format=json' || (a === '--format' && argv[i + 1] === 'json'),
  );
}

/**
 * The hint for a JSON run started by a non-silent `npm run`, which has
 * already printed its banner on stdout; undefined when there is none to give.
 * npm (v7+) exports `npm_lifecycle_event` to the scripts it runs and
 * `npm_config_loglevel=silent` when given `--silent`/`-s`.
 */
export function npmBannerHint(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (!env.npm_lifecycle_event || env.npm_config_loglevel === 'silent' || !wantsJson(argv)) return undefined;
  return (
    `netinsights: npm printed its "> ${env.npm_package_name ?? 'netinsights'}@… ${env.npm_lifecycle_event}" banner ` +
    'on stdout ahead of this JSON, so a JSON reader (jq) will stop at it. Run ' +
    `"npm run --silent ${env.npm_lifecycle_event} -- …" (or "npm run -s …") to get only JSON on stdout.`
  );
}
