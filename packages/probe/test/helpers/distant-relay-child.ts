/**
 * @module test/helpers/distant-relay-child
 * A Teams relay 20 ms away, in a process of its own: the lab's STUN
 * responder behind the lab's UDP shaper (10 ms each way, no jitter, no
 * loss), so its answers do not depend on the test process's event loop.
 * Prints `{"ports":[…]}` once listening and runs until stdin closes.
 */
import { startUdpShaper } from '@netinsights/lab/middleboxes/udp-shaping.ts';
import { startStunResponder } from '@netinsights/lab/stun-responder.ts';

const relay = await startStunResponder({ ports: 1 });
const shaper = await startUdpShaper({
  upstream: { host: relay.host, ports: relay.ports },
  shape: { latencyMs: 10, jitterMs: 0, lossPercent: 0, seed: 1 },
});
process.stdout.write(`${JSON.stringify({ ports: shaper.ports })}\n`);
process.stdin.resume();
process.stdin.on('end', async () => {
  await shaper.close();
  await relay.close();
  process.exit(0);
});
