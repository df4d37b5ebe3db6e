/**
 * The lab runs for days under `npm start`: the inspecting proxy used to keep
 * one socket per simulated device and round (CLOSE-WAIT: the client had
 * hung up mid-handshake, or half-closed a tunnel, and the proxy never closed
 * its side), so the demo would run out of descriptors within hours. After
 * N rounds of the intercepted scenario through the real probe, the
 * process holds no more sockets than after the first.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runProbe } from '@netinsights/probe';
import { type Lab, startLab } from '../src/index.ts';

const sockets = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
const settle = () => new Promise((r) => setTimeout(r, 2_500)); // past the proxy's 2 s handshake limit

let lab: Lab;
before(async () => {
  lab = await startLab();
});
after(() => lab.close());

test('the intercepting proxy leaks no socket per round (CLOSE-WAIT after every probe run)', async () => {
  const round = () => runProbe(lab.probeOptionsFor('intercepted', { wsHoldSeconds: 1 }));
  await round();
  await settle();
  const first = sockets();
  for (let i = 0; i < 4; i++) await round();
  await settle();
  const later = sockets();
  assert.ok(later <= first, `after 1 round ${first} sockets, after 5 rounds ${later}`);
});
