/**
 * @module test/catalog/pac-engine
 * Evaluates a PAC file the way the probe does: pac-resolver's
 * FindProxyForURL running in a QuickJS sandbox (quickjs-wasi, the engine
 * pac-resolver 9 is built for). Kept in one place so that switching to the
 * probe's own module, when it is published, is a one-line change.
 */
import { createPacResolver } from 'pac-resolver';
import { QuickJS } from 'quickjs-wasi';

/** Compiles `pacText` and returns a function giving the PAC result for `https://<host>/`. */
export async function compilePac(pacText: string): Promise<(host: string) => Promise<string>> {
  const qjs = await QuickJS.create();
  const find = createPacResolver(qjs, pacText, { filename: 'generated.pac' });
  return (host: string) => find(`https://${host}/`);
}
