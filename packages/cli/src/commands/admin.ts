/**
 * `netinsights admin <action>`: first-run and break-glass administration
 * straight on the database file — create a tenant, its users and agent
 * tokens, list tenants. Actions are written to the tenant's audit log as
 * actor `cli`.
 */
import { randomUUID } from 'node:crypto';
import { type Command, EXIT, UsageError } from '@netinsights/protocol/cli/command.ts';
import { parseFlags } from '@netinsights/protocol/cli/parse-flags.ts';
import { openStore, type Store } from '@netinsights/server';
import { checkPasswordPolicy, hashPassword } from '@netinsights/server/auth/password.ts';
import { resealSsoSecrets } from '@netinsights/server/auth/reseal-sso-secrets.ts';
import { AGENT_TOKEN_PREFIX, hashSecret, newSecret } from '@netinsights/server/auth/secrets.ts';
import { defaultKeyFile, readKeyFile, writeKeyFile } from '@netinsights/server/config/secret-key.ts';
import { resealChannelSecrets } from '@netinsights/server/notify/rotate-secrets.ts';
import { SecretBox } from '@netinsights/server/notify/secret-box.ts';

const HELP = `Usage: netinsights admin <action> [flags]

Actions:
  create-tenant       --name NAME
  create-user         --tenant ID --email EMAIL --role owner|admin|viewer
                      (password from --password, or NETINSIGHTS_PASSWORD, or one line on stdin)
  create-agent-token  --tenant ID --name NAME [--office OFFICE_ID]
                      prints the token once; only its hash is stored
  list-tenants
  rotate-secret-key   [--secret-key-file FILE]
                      new key for channel secrets: re-seals every channel; older keys stay on the
                      following lines until the servers have restarted (default FILE: <db>.key)

Common flags:
  --db FILE|URL  the SQLite file or postgres:// URL (default NETINSIGHTS_DB or netinsights.db)
  --json       print the result as JSON

Example:
  netinsights admin create-tenant --db ni.db --name "Example Corp"`;

async function readStdinLine(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError('give the password with --password or NETINSIGHTS_PASSWORD');
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text.split(/\r?\n/)[0] ?? '';
}

async function withStore<T>(db: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore({ url: db });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

async function cliAudit(store: Store, tenantId: string, action: string, target: string, details: unknown) {
  await store.audit.append({
    tenantId,
    id: randomUUID(),
    at: new Date().toISOString(),
    actor: 'cli',
    action,
    target,
    details,
  });
}

export const command: Command = {
  name: 'admin',
  summary: 'create tenants, users and agent tokens on the database',
  order: 31,
  help: HELP,
  async run(argv) {
    const [action, ...rest] = argv;
    const { values } = parseFlags(rest, {
      db: { type: 'string' },
      json: { type: 'boolean' },
      name: { type: 'string' },
      tenant: { type: 'string' },
      email: { type: 'string' },
      role: { type: 'string' },
      password: { type: 'string' },
      office: { type: 'string' },
      'secret-key-file': { type: 'string' },
    });
    const db = values.db ?? process.env.NETINSIGHTS_DB ?? 'netinsights.db';
    const need = (flag: 'name' | 'tenant' | 'email' | 'role'): string => {
      const v = values[flag];
      if (!v) throw new UsageError(`${action} needs --${flag}`);
      return v;
    };
    const print = (json: unknown, text: string) => console.log(values.json ? JSON.stringify(json) : text);
    const tenantOf = async (store: Store) => {
      const id = need('tenant');
      if (!(await store.tenants.get(id)))
        throw new UsageError(`no tenant ${id} (see: netinsights admin list-tenants)`);
      return id;
    };

    switch (action) {
      case 'create-tenant': {
        const name = need('name');
        const t = { id: randomUUID(), name, createdAt: new Date().toISOString() };
        await withStore(db, async (s) => {
          await s.tenants.create(t);
          await cliAudit(s, t.id, 'tenant.create', `tenant:${t.id}`, { name });
        });
        print(t, `created tenant "${name}" with id ${t.id}`);
        return EXIT.OK;
      }
      case 'create-user': {
        const email = need('email').trim().toLowerCase();
        const role = need('role');
        if (role !== 'owner' && role !== 'admin' && role !== 'viewer')
          throw new UsageError('--role must be owner, admin or viewer');
        if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
          throw new UsageError(`"${email}" is not an e-mail address`);
        const password = values.password ?? process.env.NETINSIGHTS_PASSWORD ?? (await readStdinLine());
        const weak = checkPasswordPolicy(password);
        if (weak) throw new UsageError(`the password ${weak}`);
        const user = await withStore(db, async (s) => {
          const tenantId = await tenantOf(s);
          if (await s.users.findByEmail(email)) throw new UsageError(`a user with e-mail ${email} exists`);
          const u = {
            tenantId,
            id: randomUUID(),
            email,
            passwordHash: await hashPassword(password),
            role,
            createdAt: new Date().toISOString(),
          } as const;
          await s.users.create(u);
          await cliAudit(s, tenantId, 'user.create', `user:${u.id}`, { email, role });
          return u;
        });
        print(
          { id: user.id, email, role, tenantId: user.tenantId },
          `created ${role} ${email} (id ${user.id})`,
        );
        return EXIT.OK;
      }
      case 'create-agent-token': {
        const name = need('name');
        const token = newSecret(AGENT_TOKEN_PREFIX);
        const row = await withStore(db, async (s) => {
          const tenantId = await tenantOf(s);
          if (values.office && !(await s.offices.get(tenantId, values.office)))
            throw new UsageError(`no office ${values.office} in tenant ${tenantId}`);
          const r = {
            tenantId,
            id: randomUUID(),
            name,
            officeId: values.office ?? null,
            tokenHash: hashSecret(token),
            createdAt: new Date().toISOString(),
            lastUsedAt: null,
            revokedAt: null,
          };
          await s.agentTokens.create(r);
          await cliAudit(s, tenantId, 'agent-token.create', `agent-token:${r.id}`, {
            name,
            officeId: r.officeId,
          });
          return r;
        });
        print(
          { id: row.id, name, officeId: row.officeId, token },
          `agent token "${name}" (id ${row.id}) — shown once, keep it safe:\n${token}`,
        );
        return EXIT.OK;
      }
      case 'rotate-secret-key': {
        const file =
          values['secret-key-file'] ?? process.env.NETINSIGHTS_SECRET_KEY_FILE ?? defaultKeyFile(db);
        if (!file)
          throw new UsageError(
            'rotate-secret-key needs --secret-key-file (the file every server reads) for PostgreSQL',
          );
        // The new key is written first (older keys kept after it), so an interrupted run loses
        // nothing and can be run again.
        const ring = [SecretBox.newKey(), ...readKeyFile(file)];
        writeKeyFile(file, ring);
        const box = new SecretBox(ring);
        const { channels, ssoSecrets } = await withStore(db, async (s) => ({
          channels: await resealChannelSecrets(s, box),
          ssoSecrets: await resealSsoSecrets(s, box),
        }));
        print(
          { file, channels, ssoSecrets },
          `${channels} channel${channels === 1 ? '' : 's'} and ${ssoSecrets} single sign-on client secret${ssoSecrets === 1 ? '' : 's'} ` +
            `re-sealed with a new key in ${file}. Restart every server; ` +
            'the older keys stay on the following lines until then and can be removed afterwards.',
        );
        return EXIT.OK;
      }
      case 'list-tenants': {
        const rows = await withStore(db, (s) => s.tenants.list());
        print(rows, rows.length ? rows.map((t) => `${t.id}  ${t.name}`).join('\n') : '(no tenants)');
        return EXIT.OK;
      }
      default:
        throw new UsageError(
          action
            ? `unknown action "${action}"`
            : 'which action? create-tenant, create-user, create-agent-token, list-tenants, rotate-secret-key',
        );
    }
  },
};
