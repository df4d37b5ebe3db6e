/**
 * @module pages/manage/channel-form
 * The "add a notification channel" form: a signed webhook, a Microsoft Teams
 * or Slack incoming webhook, or e-mail over SMTP, with which insight kinds
 * and event types it hears about and an optional digest. It sends exactly
 * the shape the server's channel parser accepts and shows the server's own
 * refusal (a bad field, or a target the SSRF guard does not allow) as is.
 */
import { type FormEvent, useState } from 'react';
import { api } from '../../api/client.ts';
import type { ChannelType, CreatedChannel, InsightKind } from '../../api/types.ts';
import { ErrorNotice } from '../../components/states.tsx';
import { INSIGHT_KINDS, KIND_LABEL } from '../../lib/insight-kinds.ts';

export const CHANNEL_TYPE_LABEL: Record<ChannelType, string> = {
  webhook: 'Webhook (signed JSON)',
  teams: 'Microsoft Teams',
  slack: 'Slack',
  email: 'E-mail (SMTP)',
};

/** The server's event types; "updated" (severity or hosts changed while open) is opt-in there too. */
const EVENT_TYPES = ['opened', 'reopened', 'resolved', 'updated'] as const;
const DEFAULT_EVENTS = new Set<string>(['opened', 'reopened', 'resolved']);

type Security = 'starttls' | 'tls' | 'none';
/** The usual port for each SMTP security mode: 587 submission (RFC 6409), 465 implicit TLS (RFC 8314), 25. */
const SMTP_PORT: Record<Security, number> = { starttls: 587, tls: 465, none: 25 };

/** Splits a list typed one per line or separated by commas. */
function list(text: string): string[] {
  return text
    .split(/[\n,;]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function ChannelForm({ onCreated }: { onCreated: (c: CreatedChannel) => void }) {
  const [name, setName] = useState('');
  const [type, setType] = useState<ChannelType>('webhook');
  const [url, setUrl] = useState('');
  const [host, setHost] = useState('');
  const [security, setSecurity] = useState<Security>('starttls');
  const [port, setPort] = useState('587');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [kinds, setKinds] = useState<Set<InsightKind>>(new Set());
  const [events, setEvents] = useState<Set<string>>(new Set(DEFAULT_EVENTS));
  const [digest, setDigest] = useState('0');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);

  function toggle<T>(set: Set<T>, value: T, apply: (s: Set<T>) => void) {
    const next = new Set(set);
    if (next.has(value)) next.delete(value);
    else next.add(value);
    apply(next);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const config =
      type === 'email'
        ? {
            host: host.trim(),
            port: Number(port),
            security,
            from: from.trim(),
            to: list(to),
            ...(username.trim() ? { username: username.trim(), password } : {}),
          }
        : { url: url.trim() };
    try {
      const created = await api<CreatedChannel>('/notification-channels', {
        method: 'POST',
        body: {
          name: name.trim(),
          type,
          config,
          // No kinds ticked means every kind (the server reads an empty list as "all").
          filters: { ...(kinds.size ? { kinds: [...kinds] } : {}), eventTypes: [...events] },
          digestMinutes: Number(digest),
        },
      });
      setName('');
      setUrl('');
      setPassword('');
      onCreated(created);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} aria-labelledby="new-channel-title" data-testid="channel-form">
      {error && (
        <div style={{ marginBottom: 12 }}>
          <ErrorNotice error={error} title="The channel was not saved" />
        </div>
      )}
      <div className="form-grid">
        <div className="field">
          <label htmlFor="ch-name">Name</label>
          <input
            id="ch-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="e.g. NOC on-call"
            required
          />
        </div>
        <div className="field">
          <label htmlFor="ch-type">Type</label>
          <select id="ch-type" value={type} onChange={(e) => setType(e.target.value as ChannelType)}>
            {(Object.keys(CHANNEL_TYPE_LABEL) as ChannelType[]).map((t) => (
              <option key={t} value={t}>
                {CHANNEL_TYPE_LABEL[t]}
              </option>
            ))}
          </select>
        </div>
      </div>
      {type !== 'email' ? (
        <div className="field">
          <label htmlFor="ch-url">{type === 'webhook' ? 'Webhook URL' : 'Incoming webhook URL'}</label>
          <input
            id="ch-url"
            type="url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder={
              type === 'slack'
                ? 'https://hooks.slack.com/services/…'
                : type === 'teams'
                  ? 'https://…webhook.office.com/…'
                  : 'https://alerts.example.com/netinsights'
            }
            aria-describedby="ch-url-hint"
            required
          />
          <div className="hint" id="ch-url-hint">
            {type === 'webhook'
              ? 'JSON is POSTed with an HMAC-SHA256 signature; the signing secret is shown once after saving.'
              : `The URL ${type === 'slack' ? 'Slack' : 'Teams'} gives you when you add an incoming webhook.`}
          </div>
        </div>
      ) : (
        <>
          <div className="form-grid">
            <div className="field">
              <label htmlFor="ch-host">SMTP host</label>
              <input id="ch-host" value={host} onChange={(e) => setHost(e.target.value)} required />
            </div>
            <div className="field">
              <label htmlFor="ch-security">Security</label>
              <select
                id="ch-security"
                value={security}
                onChange={(e) => {
                  const s = e.target.value as Security;
                  setSecurity(s);
                  setPort(String(SMTP_PORT[s]));
                }}
              >
                <option value="starttls">STARTTLS</option>
                <option value="tls">TLS</option>
                <option value="none">None</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="ch-port">Port</label>
              <input
                id="ch-port"
                inputMode="numeric"
                value={port}
                onChange={(e) => setPort(e.target.value)}
                required
              />
            </div>
          </div>
          <div className="form-grid">
            <div className="field">
              <label htmlFor="ch-from">From</label>
              <input
                id="ch-from"
                value={from}
                onChange={(e) => setFrom(e.target.value)}
                placeholder="netinsights@example.com"
                required
              />
            </div>
            <div className="field">
              <label htmlFor="ch-to">To</label>
              <input
                id="ch-to"
                value={to}
                onChange={(e) => setTo(e.target.value)}
                placeholder="noc@example.com, it@example.com"
                aria-describedby="ch-to-hint"
                required
              />
              <div className="hint" id="ch-to-hint">
                Separate several addresses with commas.
              </div>
            </div>
          </div>
          <div className="form-grid">
            <div className="field">
              <label htmlFor="ch-user">User name</label>
              <input
                id="ch-user"
                autoComplete="off"
                value={username}
                onChange={(e) => setUsername(e.target.value)}
                aria-describedby="ch-user-hint"
              />
              <div className="hint" id="ch-user-hint">
                Leave empty for a relay without authentication.
              </div>
            </div>
            <div className="field">
              <label htmlFor="ch-password">Password</label>
              <input
                id="ch-password"
                type="password"
                autoComplete="new-password"
                value={password}
                disabled={!username.trim()}
                onChange={(e) => setPassword(e.target.value)}
              />
            </div>
          </div>
        </>
      )}
      <div className="form-grid">
        <fieldset className="field checks">
          <legend>Insight kinds</legend>
          <div className="hint">None ticked: every kind.</div>
          {INSIGHT_KINDS.map((k) => (
            <label key={k} className="choice">
              <input type="checkbox" checked={kinds.has(k)} onChange={() => toggle(kinds, k, setKinds)} />
              {KIND_LABEL[k]}
            </label>
          ))}
        </fieldset>
        <div>
          <fieldset className="field checks">
            <legend>Events</legend>
            {EVENT_TYPES.map((t) => (
              <label key={t} className="choice">
                <input
                  type="checkbox"
                  checked={events.has(t)}
                  onChange={() => toggle(events, t, setEvents)}
                />
                {t}
              </label>
            ))}
          </fieldset>
          <div className="field">
            <label htmlFor="ch-digest">Digest</label>
            <select id="ch-digest" value={digest} onChange={(e) => setDigest(e.target.value)}>
              <option value="0">Off: one message per event</option>
              <option value="15">Every 15 minutes</option>
              <option value="60">Every hour</option>
              <option value="240">Every 4 hours</option>
              <option value="1440">Once a day</option>
            </select>
          </div>
        </div>
      </div>
      <button type="submit" className="primary" disabled={busy || !name.trim()}>
        {busy ? 'Saving…' : 'Add channel'}
      </button>
    </form>
  );
}
