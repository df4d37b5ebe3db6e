/**
 * @module pages/manage/enrollment-card
 * Enrollment secrets, on the agent tokens page: one secret per rollout (or
 * office), limited in devices and days, that an MDM pushes with the
 * collector URL; each agent trades it for its own agent token on first
 * contact. A new secret is shown once, inside the Windows and the
 * Linux/macOS install lines; afterwards only its use is listed, with a
 * revoke button.
 */
import { type FormEvent, useState } from 'react';
import { api } from '../../api/client.ts';
import type {
  CreatedEnrollmentSecret,
  EnrollmentSecretRecord,
  List,
  OfficeSummary,
} from '../../api/types.ts';
import { CopyButton } from '../../components/copy-button.tsx';
import { ErrorNotice } from '../../components/states.tsx';
import { dateTime } from '../../lib/format.ts';
import { useApi } from '../../lib/use-api.ts';

export function installLines(secret: string, origin = window.location.origin) {
  const args = `agent install --collector ${origin} --enroll ${secret}`;
  return {
    windows: `.\\netinsights-agent-win-x64.exe ${args}`,
    unix: `./netinsights-agent-linux-x64 ${args}`,
  };
}

function state(s: EnrollmentSecretRecord, now = new Date().toISOString()): string {
  if (s.revokedAt) return 'Revoked';
  if (s.expiresAt && s.expiresAt <= now) return 'Expired';
  if (s.maxUses !== null && s.uses >= s.maxUses) return 'Used up';
  return 'Active';
}

export function EnrollmentCard({ offices }: { offices: OfficeSummary[] }) {
  const { data, error, reload } = useApi<List<EnrollmentSecretRecord>>('/enrollment-secrets');
  const [label, setLabel] = useState('');
  const [officeId, setOfficeId] = useState('');
  const [maxUses, setMaxUses] = useState('');
  const [days, setDays] = useState('30');
  const [created, setCreated] = useState<CreatedEnrollmentSecret | null>(null);
  const [actionError, setActionError] = useState<Error | null>(null);

  async function create(e: FormEvent) {
    e.preventDefault();
    setActionError(null);
    try {
      const s = await api<CreatedEnrollmentSecret>('/enrollment-secrets', {
        method: 'POST',
        body: {
          name: label.trim(),
          ...(officeId ? { officeId } : {}),
          ...(maxUses ? { maxUses: Number(maxUses) } : {}),
          ...(days ? { expiresInHours: Number(days) * 24 } : {}),
        },
      });
      setCreated(s);
      setLabel('');
      reload();
    } catch (err) {
      setActionError(err as Error);
    }
  }

  async function revoke(s: EnrollmentSecretRecord) {
    if (!window.confirm(`Revoke “${s.name}”? Devices not yet enrolled with it can no longer enroll.`)) return;
    try {
      await api(`/enrollment-secrets/${encodeURIComponent(s.id)}`, { method: 'DELETE' });
      if (created?.id === s.id) setCreated(null);
      reload();
    } catch (err) {
      setActionError(err as Error);
    }
  }

  const lines = created ? installLines(created.secret) : null;
  return (
    <section className="card" aria-labelledby="enrollment-title">
      <div className="card-head">
        <h2 id="enrollment-title">Enrollment secrets</h2>
      </div>
      <div className="card-body">
        <p className="small">
          One line for Intune, GPO or any MDM: each device trades the secret for its own agent token.
        </p>
        <form className="filters" onSubmit={create}>
          <div className="field" style={{ flex: 1 }}>
            <label htmlFor="enroll-label">Rollout</label>
            <input
              id="enroll-label"
              value={label}
              onChange={(e) => setLabel(e.target.value)}
              placeholder="e.g. Intune, all laptops"
              required
            />
          </div>
          <div className="field">
            <label htmlFor="enroll-office">Devices report from</label>
            <select id="enroll-office" value={officeId} onChange={(e) => setOfficeId(e.target.value)}>
              <option value="">Any (map by network)</option>
              {offices.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="enroll-uses">Devices (blank: no limit)</label>
            <input
              id="enroll-uses"
              type="number"
              min={1}
              value={maxUses}
              onChange={(e) => setMaxUses(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="enroll-days">Valid for (days)</label>
            <input
              id="enroll-days"
              type="number"
              min={1}
              max={366}
              value={days}
              onChange={(e) => setDays(e.target.value)}
            />
          </div>
          <button type="submit" className="primary" disabled={!label.trim()}>
            Create enrollment secret
          </button>
        </form>
        {created && lines && (
          <div className="notice ok" role="status" data-testid="new-enrollment">
            <div style={{ flex: 1, minWidth: 0 }}>
              <strong>Copy it now: it will not be shown again.</strong>
              <p className="small">Windows (PowerShell, as administrator):</p>
              <code className="secret" data-testid="enroll-windows">
                {lines.windows}
              </code>
              <p className="small">Linux or macOS (as root):</p>
              <code className="secret" data-testid="enroll-unix">
                {lines.unix}
              </code>
              <div className="row" style={{ marginTop: 8 }}>
                <CopyButton text={lines.windows} label="Copy Windows line" />
                <CopyButton text={lines.unix} label="Copy Linux/macOS line" />
                <button type="button" className="small ghost" onClick={() => setCreated(null)}>
                  Done
                </button>
              </div>
            </div>
          </div>
        )}
        {(actionError || error) && <ErrorNotice error={(actionError ?? error) as Error} retry={reload} />}
      </div>
      {data && data.items.length > 0 && (
        <div className="table-wrap">
          <table data-testid="enrollment-table">
            <thead>
              <tr>
                <th>Rollout</th>
                <th>Devices enrolled</th>
                <th>Expires</th>
                <th>State</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((s) => (
                <tr key={s.id} data-enrollment-name={s.name}>
                  <td>{s.name}</td>
                  <td>{s.maxUses === null ? s.uses : `${s.uses} of ${s.maxUses}`}</td>
                  <td>{s.expiresAt ? dateTime(s.expiresAt) : 'never'}</td>
                  <td>{state(s)}</td>
                  <td>
                    {state(s) === 'Active' && (
                      <button type="button" className="small danger" onClick={() => void revoke(s)}>
                        Revoke secret
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
