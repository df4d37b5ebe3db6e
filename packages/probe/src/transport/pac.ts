/**
 * @module pac
 * Proxy auto-config: loads a PAC file from disk or a URL and evaluates
 * `FindProxyForURL(url, host)` per host in a QuickJS sandbox (pac-resolver),
 * so an untrusted PAC cannot touch the probe's process. A PAC that cannot be
 * loaded, does not compile, throws, or hangs becomes one clear error
 * (NI_ERR_PAC_INVALID) before any check runs.
 */
import { readFile } from 'node:fs/promises';
import { NetinsightsError } from '@netinsights/protocol';
import type { createPacResolver } from 'pac-resolver';

/** How long one FindProxyForURL call may take (it may call dnsResolve()). */
const EVAL_TIMEOUT_MS = 5_000;
/** A PAC file is a few kilobytes of string matching; one that needs more memory is broken. */
const PAC_MEMORY_LIMIT = 64 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 5_000;

/** One entry of a PAC answer, e.g. `PROXY proxy:8080` or `DIRECT`. */
export type PacEntry =
  | { type: 'direct' }
  | { type: 'proxy'; proxy: URL }
  | { type: 'unsupported'; text: string };

export interface PacEvaluator {
  source: string;
  /** The raw answer and the first entry the probe can use. */
  find(host: string, port: number): Promise<{ answer: string; entry: PacEntry }>;
}

function pacError(source: string, message: string): NetinsightsError {
  return new NetinsightsError('NI_ERR_PAC_INVALID', `PAC ${source}: ${message}`);
}

async function loadText(source: string): Promise<string> {
  if (/^https?:\/\//i.test(source)) {
    let response: Response;
    try {
      response = await fetch(source, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    } catch (err) {
      throw pacError(
        source,
        `cannot be downloaded: ${(err as Error).cause ? String((err as Error & { cause: Error }).cause.message) : (err as Error).message}`,
      );
    }
    if (!response.ok) throw pacError(source, `download answered HTTP ${response.status}`);
    return response.text();
  }
  try {
    return await readFile(source.replace(/^file:\/\//, ''), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw pacError(
      source,
      code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? (err as Error).message})`,
    );
  }
}

/** Parses one PAC answer (`PROXY a:1; DIRECT`) into entries, in order. */
export function parsePacAnswer(answer: string): PacEntry[] {
  return answer
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part): PacEntry => {
      const [keyword = '', target] = part.split(/\s+/, 2);
      const kw = keyword.toUpperCase();
      if (kw === 'DIRECT') return { type: 'direct' };
      if ((kw === 'PROXY' || kw === 'HTTP') && target) {
        try {
          return { type: 'proxy', proxy: new URL(`http://${target}`) };
        } catch {
          return { type: 'unsupported', text: part };
        }
      }
      return { type: 'unsupported', text: part };
    });
}

/** Loads and compiles a PAC file; throws NetinsightsError(NI_ERR_PAC_INVALID) with the reason. */
export async function loadPac(source: string): Promise<PacEvaluator> {
  return compilePacText(await loadText(source), source);
}

/** Compiles PAC text already fetched (WPAD); `source` names it in errors. */
export async function compilePacText(text: string, source: string): Promise<PacEvaluator> {
  // Loaded only when a PAC file is used: the JS sandbox is the probe's largest dependency.
  const [{ createPacResolver: compilePac }, { QuickJS }] = await Promise.all([
    import('pac-resolver'),
    import('quickjs-wasi'),
  ]);
  // The sandbox runs on this thread: a PAC file that loops would block the run's timers for
  // ever, so QuickJS is interrupted once the evaluation outlives its budget.
  let stopAt = Number.POSITIVE_INFINITY;
  let steps = 0;
  const qjs = await QuickJS.create({
    memoryLimit: PAC_MEMORY_LIMIT,
    interruptHandler: () => (++steps & 0x3ff) === 0 && performance.now() > stopAt,
  });
  let findProxy: ReturnType<typeof createPacResolver>;
  stopAt = performance.now() + EVAL_TIMEOUT_MS;
  try {
    findProxy = compilePac(qjs, text, { filename: source });
  } catch (err) {
    const message = (err as Error).message;
    throw pacError(
      source,
      message === 'interrupted'
        ? `does not compile: it did not finish loading within ${EVAL_TIMEOUT_MS} ms (it loops or runs too long)`
        : `does not compile: ${message}`,
    );
  } finally {
    stopAt = Number.POSITIVE_INFINITY;
  }
  return {
    source,
    async find(host, port) {
      const url = `https://${host}${port === 443 ? '' : `:${port}`}/`;
      let timer: NodeJS.Timeout | undefined;
      let answer: unknown;
      stopAt = performance.now() + EVAL_TIMEOUT_MS;
      try {
        answer = await Promise.race([
          findProxy(url, host),
          new Promise((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`FindProxyForURL did not return within ${EVAL_TIMEOUT_MS} ms`)),
              EVAL_TIMEOUT_MS,
            );
          }),
        ]);
      } catch (err) {
        const message = (err as Error).message ?? String(err);
        throw pacError(
          source,
          /^interrupted$/.test(message)
            ? `FindProxyForURL("${url}", "${host}") did not return within ${EVAL_TIMEOUT_MS} ms (it loops or runs too long)`
            : `FindProxyForURL("${url}", "${host}") threw: ${message}`,
        );
      } finally {
        clearTimeout(timer);
        stopAt = Number.POSITIVE_INFINITY;
      }
      if (typeof answer !== 'string' || answer.trim() === '')
        throw pacError(
          source,
          `FindProxyForURL("${url}", "${host}") returned ${JSON.stringify(answer)} instead of a string like "PROXY host:port; DIRECT"`,
        );
      const entries = parsePacAnswer(answer);
      const entry = entries.find((e) => e.type !== 'unsupported');
      if (!entry)
        throw pacError(
          source,
          `FindProxyForURL for ${host} returned "${answer}", which has no PROXY or DIRECT entry the probe can use`,
        );
      return { answer, entry };
    },
  };
}
