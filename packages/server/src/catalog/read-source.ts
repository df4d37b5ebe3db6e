/**
 * @module catalog/read-source
 * Reads catalog text from a file path or an http(s) URL, with a size cap and
 * a deadline, so a wrong URL or a huge file fails quickly with a clear error.
 */
import { readFile, stat } from 'node:fs/promises';
import { NetinsightsError } from '@netinsights/protocol';

/** Limits for reading a catalog. */
export interface ReadSourceOptions {
  /** Default 8 MiB; the worldwide catalog is about 60 KiB. */
  maxBytes?: number;
  /** Default 30 s. */
  timeoutMs?: number;
}

/** True for `http://` and `https://` sources. */
export function isUrlSource(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** Returns the text of a catalog file or URL. */
export async function readCatalogSource(source: string, options: ReadSourceOptions = {}): Promise<string> {
  const maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
  if (!isUrlSource(source)) {
    try {
      const info = await stat(source);
      if (info.size > maxBytes)
        throw new NetinsightsError(
          'NI_ERR_CATALOG_FETCH',
          `${source} is ${info.size} bytes; the limit is ${maxBytes}`,
        );
      return await readFile(source, 'utf8');
    } catch (err) {
      if (err instanceof NetinsightsError) throw err;
      throw new NetinsightsError('NI_ERR_CATALOG_FETCH', `cannot read ${source}: ${(err as Error).message}`);
    }
  }
  let res: Response;
  try {
    res = await fetch(source, {
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      headers: { accept: 'application/json' },
    });
  } catch (err) {
    const e = err as Error & { cause?: Error };
    throw new NetinsightsError(
      'NI_ERR_CATALOG_FETCH',
      `cannot fetch ${source}: ${e.cause?.message ?? e.message}`,
    );
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new NetinsightsError('NI_ERR_CATALOG_FETCH', `fetching ${source} answered HTTP ${res.status}`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body?.getReader();
  for (;;) {
    const next = reader ? await reader.read() : { done: true as const, value: undefined };
    if (next.done) break;
    const chunk = next.value;
    size += chunk.byteLength;
    if (size > maxBytes) {
      await reader?.cancel();
      throw new NetinsightsError('NI_ERR_CATALOG_FETCH', `${source} is larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
