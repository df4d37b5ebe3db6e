/**
 * @module pages/manage/profile-choice
 * Which service profile the agents measure: the shipped Microsoft 365 one,
 * or a custom profile read from a JSON file. A file that is not one JSON
 * object is refused here, with its name, before anything is sent.
 */
import type { AgentPolicy } from '../../api/types.ts';

/** What a choice changes: the profile, and why the chosen file is not usable (or null). */
export interface ProfilePatch {
  profile?: AgentPolicy['profile'];
  fileProblem?: string | null;
}

export function ProfileChoice({
  profile,
  onChange,
}: {
  profile: AgentPolicy['profile'];
  onChange: (patch: ProfilePatch) => void;
}) {
  async function readProfile(file: File) {
    try {
      const parsed = JSON.parse(await file.text()) as AgentPolicy['profile'];
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('the file must hold one JSON object (a service profile)');
      onChange({ profile: parsed, fileProblem: null });
    } catch (err) {
      onChange({ fileProblem: `${file.name}: ${(err as Error).message}` });
    }
  }

  return (
    <fieldset className="field">
      <legend>Service profile</legend>
      <label className="choice">
        <input
          type="radio"
          name="agent-profile"
          checked={profile === null}
          onChange={() => onChange({ profile: null, fileProblem: null })}
        />
        Shipped Microsoft 365 profile
      </label>
      <div className="row">
        <label className="choice" htmlFor="agent-profile-file">
          <input
            type="radio"
            name="agent-profile"
            checked={profile !== null}
            readOnly
            aria-label="Custom profile"
          />
          {profile ? (
            <span data-testid="custom-profile">
              Custom: <strong>{profile.id}</strong> {profile.version}
            </span>
          ) : (
            'Custom profile (JSON file)'
          )}
        </label>
        <label className="button small" htmlFor="agent-profile-file" style={{ margin: 0 }}>
          Choose a file…
        </label>
        <input
          id="agent-profile-file"
          type="file"
          accept=".json,application/json"
          className="sr-only"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void readProfile(file);
            e.target.value = '';
          }}
        />
      </div>
    </fieldset>
  );
}
