/**
 * @module @netinsights/server
 * The collector, store and admin API. Entry points: `buildServer` /
 * `startServer` (server.ts), the configuration (config/server-config.ts),
 * the store contract (store/contract.ts) and the insight hook
 * (insights-hook.ts).
 */
export * from './config/server-config.ts';
export * from './insights-hook.ts';
export {
  buildServer,
  firstRunHint,
  purgeExpired,
  type ServerDeps,
  type StartedServer,
  startServer,
} from './server.ts';
export type * from './store/contract.ts';
export { openStore, type StoreConfig } from './store/index.ts';
