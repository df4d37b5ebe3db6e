/**
 * The live progress line (report/progress.ts): checks done, failures, and
 * the endpoint sweep's hosts, rewritten in place on one terminal line.
 */
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { progressLine } from '../src/report/progress.ts';

function fakeTerminal() {
  const writes: string[] = [];
  const stream = { columns: 200, write: (s: string) => writes.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, last: () => writes.at(-1) ?? '' };
}

test('the sweep shows its hosts done and failing, and the host it is on', (t0) => {
  mock.timers.enable({ apis: ['Date'], now: 1_000_000 });
  t0.after(() => mock.timers.reset());
  const t = fakeTerminal();
  const p = progressLine(t.stream, false);
  p.onProgress({ checkId: 'https:a', kind: 'https', state: 'started' });
  p.onProgress({ checkId: 'https:a', kind: 'https', state: 'finished' });
  p.onSweep(1, 45, 'outlook.office.com', 'ok');
  // Redraws are rate-limited to ~10 a second; the last host always draws.
  mock.timers.tick(120);
  p.onSweep(2, 45, 'login.microsoftonline.com', 'tls/intercepted');
  assert.match(t.last(), /1\/1 checks done · sweep 2\/45 \(1 failing\) — login\.microsoftonline\.com/);
  p.onSweep(45, 45, 'graph.microsoft.com', 'ok');
  assert.match(t.last(), /sweep 45\/45 \(1 failing\)$/);
  p.end();
  assert.equal(t.last(), '\r\x1b[K');
});
