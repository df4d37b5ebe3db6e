/**
 * @module checks/workloads
 * The core-workloads check: the first host each workload's apps reach
 * (Entra ID sign-in, Exchange Online, SharePoint and OneDrive, Teams in the
 * shipped profile), probed end to end exactly like a critical host
 * (checks/https.ts), with the workload's name in every result's target, so
 * the report, the insights and their evidence can say which workload
 * suffers. A genuine origin's 401/403 to the anonymous request is a pass, as
 * for the critical hosts. Hosts that name the SharePoint tenant (`{tenant}`)
 * wait for the profile's tenant name: without one they are
 * `probe/not-applicable` ("set the tenant name"), never a failure.
 */
import { fail, type WorkloadHost, workloadHosts } from '@netinsights/protocol';
import { begin } from './check-result.ts';
import type { Check, CheckTask, Endpoint } from './contract.ts';
import { type HostSlots, probeCriticalHost } from './https.ts';

/** What a host naming `{tenant}` says while no tenant name is set. */
export const TENANT_NAME_MISSING =
  'set the tenant name (the SharePoint name of your organisation: --tenant-name, or the agent settings on the collector)';

/** The workload hosts that can be dialled: the tenant name is known, or not needed. */
const dialled = (hosts: WorkloadHost[]) =>
  hosts.filter((w): w is WorkloadHost & { host: string } => w.host !== null);

export const workloadsCheck: Check = {
  name: 'workloads',
  endpoints: (profile): Endpoint[] =>
    dialled(workloadHosts(profile)).map(({ host, port }) => ({ host, port })),
  plan(profile, planner) {
    const http2Hosts = new Set((profile.http2Hosts ?? []).map((h) => h.toLowerCase()));
    return workloadHosts(profile).map((w): CheckTask => {
      const target = { workload: w.workload };
      if (w.host === null) {
        // Planned under its pattern, never dialled (so it has no route and no DNS lookup).
        const slot = planner.slot('https', w.pattern.toLowerCase(), w.port, target);
        return {
          slots: [slot],
          run: async (_ctx, emit) => emit(begin(slot)(fail('probe', 'not-applicable', TENANT_NAME_MISSING))),
        };
      }
      const { host, port, path } = w;
      // Through a proxy the proxy resolves the name; a local lookup would test nothing the client does.
      const direct = planner.route(host, port).type === 'direct';
      const slots: HostSlots = {
        ...(direct ? { dns: planner.slot('dns', host, port, target) } : {}),
        tcp: planner.slot('tcp', host, port, target),
        tls: planner.slot('tls', host, port, target),
        https: planner.slot('https', host, port, {
          ...target,
          url: `https://${host}${port === 443 ? '' : `:${port}`}${path}`,
        }),
        ...(http2Hosts.has(host) ? { http2: planner.slot('http2', host, port, target) } : {}),
      };
      return { slots: Object.values(slots), run: (ctx, emit) => probeCriticalHost(ctx, slots, path, emit) };
    });
  },
};
