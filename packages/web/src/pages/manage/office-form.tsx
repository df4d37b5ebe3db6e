/**
 * @module pages/manage/office-form
 * Create or edit one office (also used to adopt a discovered location,
 * prefilled). Field errors from the server (422 with a JSON pointer such as
 * `/lanSubnets/1`) land next to the field they concern; an overlap with
 * another office (409) lists the offices in the way.
 */
import { type FormEvent, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import type { OfficeInput } from '../../api/types.ts';

export interface OfficeDraft {
  name: string;
  address: string;
  city: string;
  country: string;
  latitude: string;
  longitude: string;
  lanSubnets: string;
  egressRanges: string;
}

export function draftOf(o?: Partial<OfficeInput>): OfficeDraft {
  return {
    name: o?.name ?? '',
    address: o?.address ?? '',
    city: o?.city ?? '',
    country: o?.country ?? '',
    latitude: o?.latitude !== undefined ? String(o.latitude) : '',
    longitude: o?.longitude !== undefined ? String(o.longitude) : '',
    lanSubnets: (o?.lanSubnets ?? []).join('\n'),
    egressRanges: (o?.egressRanges ?? []).join('\n'),
  };
}

const splitList = (s: string) => s.split(/[\s,;]+/).filter(Boolean);

/** Checks what the browser can check; the server validates again (CIDR syntax, overlaps). */
function toInput(d: OfficeDraft): { input?: OfficeInput; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (!d.name.trim()) errors.name = 'Give the office a name.';
  if (!d.city.trim()) errors.city = 'Needed to compare the office with its area.';
  if (!d.country.trim()) errors.country = 'Needed, e.g. DE or Germany.';
  const lat = Number(d.latitude);
  const lon = Number(d.longitude);
  if (d.latitude.trim() === '' || !Number.isFinite(lat) || lat < -90 || lat > 90)
    errors.latitude = 'A number from -90 to 90.';
  if (d.longitude.trim() === '' || !Number.isFinite(lon) || lon < -180 || lon > 180)
    errors.longitude = 'A number from -180 to 180.';
  if (Object.keys(errors).length > 0) return { errors };
  return {
    errors,
    input: {
      name: d.name.trim(),
      ...(d.address.trim() ? { address: d.address.trim() } : {}),
      city: d.city.trim(),
      country: d.country.trim(),
      latitude: lat,
      longitude: lon,
      lanSubnets: splitList(d.lanSubnets),
      egressRanges: splitList(d.egressRanges),
    },
  };
}

/** Maps the server's issues (`{ path: '/lanSubnets/1', message }`) to the form field they concern. */
function fieldErrors(e: ApiError): Record<string, string> {
  const out: Record<string, string> = {};
  const issues = (e.details as { issues?: { path?: string; message?: string }[] } | undefined)?.issues ?? [];
  for (const item of issues) {
    const parts = (item.path ?? '').replace(/^\//, '').split('/');
    const field = parts[0];
    if (!field || out[field]) continue;
    const index = parts[1] !== undefined && /^\d+$/.test(parts[1]) ? ` (entry ${Number(parts[1]) + 1})` : '';
    out[field] = `${item.message ?? e.message}${index}`;
  }
  return out;
}

/** One line per overlapping range, from the 409's details. */
function overlapText(e: ApiError): string[] {
  const list = (e.details as { overlaps?: unknown[] } | undefined)?.overlaps ?? [];
  return list.map((x) => {
    const o = x as { range?: string; otherRange?: string; officeName?: string };
    return o.range && o.otherRange
      ? `${o.range} overlaps ${o.otherRange} of “${o.officeName ?? 'another office'}”`
      : JSON.stringify(x);
  });
}

export function OfficeForm({
  initial,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial: OfficeDraft;
  submitLabel: string;
  onSubmit: (input: OfficeInput) => Promise<void>;
  onCancel: () => void;
}) {
  const [d, setD] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<{ title: string; lines: string[] } | null>(null);
  const [busy, setBusy] = useState(false);

  const set = (k: keyof OfficeDraft) => (e: { target: { value: string } }) =>
    setD({ ...d, [k]: e.target.value });

  async function submit(e: FormEvent) {
    e.preventDefault();
    const { input, errors: local } = toInput(d);
    setErrors(local);
    setFormError(null);
    if (!input) return;
    setBusy(true);
    try {
      await onSubmit(input);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409)
        setFormError({
          title: 'These ranges overlap another office',
          lines: [err.message, ...overlapText(err)],
        });
      else if (err instanceof ApiError && (err.status === 422 || err.status === 400)) {
        setErrors(fieldErrors(err));
        setFormError({ title: 'Check the highlighted fields', lines: [err.message] });
      } else setFormError({ title: 'Could not save', lines: [(err as Error).message] });
    } finally {
      setBusy(false);
    }
  }

  const field = (k: keyof OfficeDraft, label: string, hint?: string, area = false) => (
    <div className="field">
      <label htmlFor={`office-${k}`}>{label}</label>
      {area ? (
        <textarea
          id={`office-${k}`}
          value={d[k]}
          onChange={set(k)}
          rows={3}
          style={{ minHeight: 70 }}
          aria-invalid={errors[k] ? true : undefined}
          aria-describedby={`office-${k}-hint`}
        />
      ) : (
        <input
          id={`office-${k}`}
          value={d[k]}
          onChange={set(k)}
          aria-invalid={errors[k] ? true : undefined}
          aria-describedby={`office-${k}-hint`}
          inputMode={k === 'latitude' || k === 'longitude' ? 'decimal' : undefined}
        />
      )}
      <div id={`office-${k}-hint`}>
        {errors[k] ? (
          <div className="field-error">{errors[k]}</div>
        ) : (
          hint && <div className="hint">{hint}</div>
        )}
      </div>
    </div>
  );

  return (
    <form onSubmit={submit} noValidate aria-label={submitLabel}>
      {formError && (
        <div className="notice error" role="alert" style={{ marginBottom: 12 }}>
          <div>
            <strong>{formError.title}</strong>
            {formError.lines.map((l) => (
              <div key={l}>{l}</div>
            ))}
          </div>
        </div>
      )}
      <div className="form-grid">
        {field('name', 'Name')}
        {field('address', 'Address', 'Optional')}
        {field('city', 'City')}
        {field('country', 'Country')}
        {field('latitude', 'Latitude', 'e.g. 52.52')}
        {field('longitude', 'Longitude', 'e.g. 13.40')}
      </div>
      <div className="form-grid">
        {field('lanSubnets', 'LAN subnets', 'CIDR, one per line, e.g. 10.20.0.0/16', true)}
        {field('egressRanges', 'Egress IP ranges', 'Public CIDR the office leaves the internet from', true)}
      </div>
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
