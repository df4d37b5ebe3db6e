/**
 * @module notify/metrics/server-metrics
 * The server's own counters, kept in memory per process: ingest requests and
 * their latency (fed by the ingest route), and delivery attempts by outcome
 * (fed by the outbox worker). Prometheus computes rates from the counters.
 */
import type { MetricFamily } from './exposition.ts';

// Latency buckets in seconds: ingest answers in milliseconds; a slow disk or a burst shows up above 0.1 s.
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Process-local counters and the ingest latency histogram. */
export class ServerMetrics {
  readonly #ingest = new Map<string, number>();
  readonly #bucketCounts = BUCKETS.map(() => 0);
  #latencyCount = 0;
  #latencySum = 0;
  readonly #attempts = new Map<string, number>();

  /** One ingest request: `outcome` is the HTTP status class or error code, `seconds` its duration. */
  observeIngest(outcome: string, seconds: number, reports = 1): void {
    this.#ingest.set(outcome, (this.#ingest.get(outcome) ?? 0) + reports);
    this.#latencyCount++;
    this.#latencySum += seconds;
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) this.#bucketCounts[i]!++;
    });
  }

  /** One delivery attempt and how it ended (`delivered`, `retry`, `failed`), per channel type. */
  observeDelivery(channelType: string, result: 'delivered' | 'retry' | 'failed'): void {
    const key = `${channelType}|${result}`;
    this.#attempts.set(key, (this.#attempts.get(key) ?? 0) + 1);
  }

  families(): MetricFamily[] {
    return [
      {
        name: 'netinsights_ingest_reports_total',
        help: 'Probe reports received by this process, by outcome.',
        type: 'counter',
        samples: [...this.#ingest].map(([outcome, value]) => ({ labels: { outcome }, value })),
      },
      {
        name: 'netinsights_ingest_duration_seconds',
        help: 'Time from request to answer for report ingest in this process.',
        type: 'histogram',
        samples: [
          ...BUCKETS.map((b, i) => ({
            suffix: '_bucket',
            labels: { le: String(b) },
            value: this.#bucketCounts[i]!,
          })),
          { suffix: '_bucket', labels: { le: '+Inf' }, value: this.#latencyCount },
          { suffix: '_sum', value: this.#latencySum },
          { suffix: '_count', value: this.#latencyCount },
        ],
      },
      {
        name: 'netinsights_delivery_attempts_total',
        help: 'Notification delivery attempts made by this process, by channel type and result.',
        type: 'counter',
        samples: [...this.#attempts].map(([key, value]) => {
          const [channel_type = '', result = ''] = key.split('|');
          return { labels: { channel_type, result }, value };
        }),
      },
    ];
  }
}
