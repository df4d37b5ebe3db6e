/**
 * @module commands/endpoints
 * `netinsights endpoints …`: the Microsoft 365 endpoint catalog for admins
 * who script — import a newer catalog, compare versions, and produce the PAC
 * file, TLS-inspection bypass list and firewall allow list. Works from local
 * files and the shipped snapshot; no server needed.
 */
import { writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { NetinsightsError } from '@netinsights/protocol';
import { type Command, EXIT, UsageError } from '@netinsights/protocol/cli/command.ts';
import { parseFlags } from '@netinsights/protocol/cli/parse-flags.ts';
import {
  buildBypassList,
  buildFirewallRules,
  CATEGORIES,
  CatalogError,
  type CatalogVersion,
  CatalogVersionDir,
  type Category,
  diffCatalogs,
  formatBypassList,
  formatDiff,
  formatFirewallCsv,
  formatFirewallText,
  generatePac,
  isUrlSource,
  makeVersion,
  parseCatalogText,
  readCatalogSource,
  type Selection,
} from '@netinsights/server/catalog/index.ts';

const COMMON_FLAGS = `Catalog flags (all subcommands):
  --catalog-dir DIR   where imported versions are kept (default: $NETINSIGHTS_CATALOG_DIR,
                      else ~/.local/share/netinsights/catalog). With nothing imported,
                      the snapshot shipped with netinsights is used.
  --catalog REF       build from this catalog instead of the one in force: a version id
                      (or unique prefix), "snapshot", or a JSON file / URL`;

const SELECT_FLAGS = `  --category LIST     only these categories, comma-separated: Optimize,Allow,Default
  --required-only     leave out the sets Microsoft marks optional
  --hosts h1,h2       only the catalog entries covering these hosts (e.g. an insight's)`;

const HELP: Record<string, string> = {
  import: `Usage: netinsights endpoints import FILE|URL [--catalog-dir DIR]

Validates an endpoint catalog (the JSON of Microsoft's endpoint web service,
e.g. https://endpoints.office.com/endpoints/worldwide?clientrequestid=<uuid>)
and makes it the catalog in force. Prints what changed since the previous one.
A file with any problem is refused with the index and field at fault; the
catalog in force stays as it was.

${COMMON_FLAGS}`,
  list: `Usage: netinsights endpoints list [--catalog-dir DIR]

Lists the imported catalog versions, oldest first; * marks the one in force.`,
  diff: `Usage: netinsights endpoints diff A B [--json]

Shows what changed from catalog A to catalog B: endpoint sets added and
removed, and per set the URLs, IP ranges, ports, category and flags.
A and B are version ids (or unique prefixes), "snapshot", "current", or files/URLs.

  --json              print the diff as JSON

${COMMON_FLAGS}`,
  pac: `Usage: netinsights endpoints pac --proxy S [--type 1|2] [--direct S] [--hosts h1,h2] [--out FILE]

Writes a proxy auto-configuration file.
  --type 1            Optimize endpoints go direct (default)
  --type 2            Optimize and Allow endpoints go direct
  --direct S          what catalog hosts get (default "DIRECT")
  --proxy S           required: where everything else goes today (your proxy),
                      e.g. "PROXY p1.corp:8080; PROXY p2.corp:8080"
  --hosts h1,h2       send only the catalog entries covering these hosts direct
                      (whatever their category); with --type, both
  --out FILE          write to FILE instead of standard output

${COMMON_FLAGS}`,
  'bypass-list': `Usage: netinsights endpoints bypass-list [--category LIST] [--required-only] [--hosts h1,h2] [--format text|json]

Writes the host names and wildcards a TLS-inspecting proxy must not decrypt
(whole catalog by default).
${SELECT_FLAGS}
  --format text|json  one pattern per line (default) or JSON with set ids
  --out FILE          write to FILE instead of standard output

${COMMON_FLAGS}`,
  firewall: `Usage: netinsights endpoints firewall [--category LIST] [--required-only] [--hosts h1,h2] [--format csv|text|json]

Writes the firewall allow list: host names and IP ranges with their TCP and
UDP ports, one rule per destination and protocol (whole catalog by default).
${SELECT_FLAGS}
  --format csv|text|json   default csv (columns: setId, serviceArea, category, required,
                           destinationType, destination, protocol, ports)
  --out FILE          write to FILE instead of standard output

${COMMON_FLAGS}`,
};

const OVERVIEW = `Usage: netinsights endpoints <subcommand> [flags]

The Microsoft 365 endpoint catalog and the artifacts that fix what insights find.

Subcommands:
  import FILE|URL   validate a catalog and make it the one in force
  list              list the imported catalog versions
  diff A B          show what changed between two catalogs
  pac               write a PAC file (type 1: Optimize direct; type 2: + Allow)
  bypass-list       write a TLS-inspection bypass list
  firewall          write a firewall allow list (hosts, IP ranges, ports)

Each subcommand's flags follow.`;

const CATALOG_OPTIONS = {
  'catalog-dir': { type: 'string' },
  catalog: { type: 'string' },
} as const;

const SELECT_OPTIONS = {
  ...CATALOG_OPTIONS,
  category: { type: 'string' },
  'required-only': { type: 'boolean' },
  hosts: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
} as const;

function catalogDir(flag: string | undefined): CatalogVersionDir {
  const dir =
    flag ??
    process.env.NETINSIGHTS_CATALOG_DIR ??
    join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'netinsights', 'catalog');
  return new CatalogVersionDir(dir);
}

/** A version ref, or a file/URL read and validated on the spot (not stored). */
async function resolveCatalog(dir: CatalogVersionDir, ref: string | undefined): Promise<CatalogVersion> {
  if (ref === undefined) return dir.current();
  if (isUrlSource(ref) || ref.includes('/') || ref.endsWith('.json'))
    return makeVersion(parseCatalogText(await readCatalogSource(ref), ref), ref);
  return dir.read(ref);
}

function splitList(value: string | undefined): string[] | undefined {
  return value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function selection(values: { category?: string; 'required-only'?: boolean; hosts?: string }): Selection {
  const sel: Selection = {};
  const cats = splitList(values.category);
  if (cats) {
    const byLower = new Map(CATEGORIES.map((c) => [c.toLowerCase(), c]));
    sel.categories = cats.map((c): Category => {
      const found = byLower.get(c.toLowerCase());
      if (!found) throw new UsageError(`--category "${c}" is not one of ${CATEGORIES.join(', ')}`);
      return found;
    });
  }
  if (values['required-only']) sel.requiredOnly = true;
  const hosts = splitList(values.hosts);
  if (hosts) {
    if (hosts.length === 0) throw new UsageError('--hosts needs at least one host name');
    sel.hosts = hosts;
  }
  return sel;
}

async function emit(text: string, out: string | undefined): Promise<void> {
  if (out) await writeFile(out, text);
  else process.stdout.write(text);
}

function checkFormat<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`--format must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

/** Turns a NetinsightsError about user input into a UsageError with the same text. */
function asUsage(err: unknown): never {
  if (err instanceof NetinsightsError && err.code === 'NI_ERR_USAGE') throw new UsageError(err.message);
  throw err;
}

async function runImport(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, CATALOG_OPTIONS, true);
  if (positionals.length !== 1) throw new UsageError('import needs exactly one FILE or URL');
  const source = positionals[0]!;
  const dir = catalogDir(values['catalog-dir']);
  try {
    const text = await readCatalogSource(source);
    const result = await dir.import(text, source);
    const v = result.version;
    console.log(
      `${result.created ? 'Imported' : 'Already imported'} catalog ${v.id} (${v.sets.length} endpoint sets) from ${source}; it is now in force (${dir.dir}).`,
    );
    console.log(formatDiff(result.diff));
    return EXIT.OK;
  } catch (err) {
    if (err instanceof CatalogError) {
      console.error(
        `netinsights endpoints import: ${source} was refused; the catalog in force is unchanged.`,
      );
      for (const issue of err.issues) console.error(`  ${issue.path}: ${issue.message}`);
      return EXIT.USAGE;
    }
    throw err;
  }
}

async function runList(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, { 'catalog-dir': CATALOG_OPTIONS['catalog-dir'] });
  const dir = catalogDir(values['catalog-dir']);
  const list = await dir.list();
  if (list.length === 0) {
    const snap = await dir.current();
    console.log(
      `No catalog imported in ${dir.dir}; the shipped snapshot ${snap.id} (${snap.sets.length} sets) is in force.`,
    );
    return EXIT.OK;
  }
  for (const v of list)
    console.log(
      `${v.current ? '*' : ' '} ${v.id}  ${v.importedAt}  ${String(v.sets).padStart(3)} sets  ${v.source}`,
    );
  return EXIT.OK;
}

async function runDiff(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    { 'catalog-dir': CATALOG_OPTIONS['catalog-dir'], json: { type: 'boolean' } },
    true,
  );
  if (positionals.length !== 2) throw new UsageError('diff needs two catalogs: A B');
  const dir = catalogDir(values['catalog-dir']);
  const a = await resolveCatalog(dir, positionals[0]);
  const b = await resolveCatalog(dir, positionals[1]);
  const d = diffCatalogs(a, b);
  console.log(values.json ? JSON.stringify(d, null, 2) : formatDiff(d));
  return EXIT.OK;
}

async function runPac(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    ...CATALOG_OPTIONS,
    type: { type: 'string' },
    direct: { type: 'string' },
    proxy: { type: 'string' },
    hosts: { type: 'string' },
    out: { type: 'string' },
  });
  if (values.type !== undefined && values.type !== '1' && values.type !== '2')
    throw new UsageError(`--type must be 1 or 2, got "${values.type}"`);
  if (values.proxy === undefined)
    throw new UsageError(
      '--proxy is required: where all other traffic goes today, e.g. --proxy "PROXY proxy.corp.example:8080" (a guessed proxy would break all other browsing)',
    );
  const catalog = await resolveCatalog(catalogDir(values['catalog-dir']), values.catalog);
  const hosts = splitList(values.hosts);
  let text: string;
  try {
    text = generatePac(catalog, {
      ...(values.type ? { type: Number(values.type) as 1 | 2 } : {}),
      ...(values.direct !== undefined ? { direct: values.direct } : {}),
      proxy: values.proxy,
      ...(hosts ? { hosts } : {}),
    });
  } catch (err) {
    asUsage(err);
  }
  await emit(text, values.out);
  return EXIT.OK;
}

async function runBypass(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, SELECT_OPTIONS);
  const format = checkFormat(values.format, ['text', 'json'] as const, 'text');
  const sel = selection(values);
  const catalog = await resolveCatalog(catalogDir(values['catalog-dir']), values.catalog);
  let list: ReturnType<typeof buildBypassList>;
  try {
    list = buildBypassList(catalog, sel);
  } catch (err) {
    asUsage(err);
  }
  await emit(
    format === 'json' ? `${JSON.stringify(list, null, 2)}\n` : formatBypassList(list, sel),
    values.out,
  );
  return EXIT.OK;
}

async function runFirewall(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, SELECT_OPTIONS);
  const format = checkFormat(values.format, ['csv', 'text', 'json'] as const, 'csv');
  const sel = selection(values);
  const catalog = await resolveCatalog(catalogDir(values['catalog-dir']), values.catalog);
  let rules: ReturnType<typeof buildFirewallRules>;
  try {
    rules = buildFirewallRules(catalog, sel);
  } catch (err) {
    asUsage(err);
  }
  const text =
    format === 'json'
      ? `${JSON.stringify(rules, null, 2)}\n`
      : format === 'text'
        ? formatFirewallText(rules)
        : formatFirewallCsv(rules);
  await emit(text, values.out);
  return EXIT.OK;
}

const SUBCOMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  import: runImport,
  list: runList,
  diff: runDiff,
  pac: runPac,
  'bypass-list': runBypass,
  firewall: runFirewall,
};

export const command: Command = {
  name: 'endpoints',
  summary: 'endpoint catalog: import, diff, PAC file, bypass and firewall lists',
  order: 40,
  // The dispatcher prints this for any --help, so it carries every subcommand's section.
  help: [OVERVIEW, ...Object.values(HELP)].join('\n\n'),
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub && HELP[sub] && (rest.includes('--help') || rest.includes('-h'))) {
      console.log(HELP[sub]);
      return EXIT.OK;
    }
    if (sub === undefined)
      throw new UsageError('missing subcommand (import, list, diff, pac, bypass-list, firewall)');
    const run = SUBCOMMANDS[sub];
    if (!run)
      throw new UsageError(`unknown subcommand "${sub}" (import, list, diff, pac, bypass-list, firewall)`);
    return run(rest);
  },
};
