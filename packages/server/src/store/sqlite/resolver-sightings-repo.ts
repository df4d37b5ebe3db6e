/** @module store/sqlite/resolver-sightings-repo — the DNS listener's sightings on SQLite (store/statements/resolver-sightings.ts). */
import { RESOLVER_SIGHTINGS } from '../statements/resolver-sightings.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('resolverSightings', (db) => db.bind(RESOLVER_SIGHTINGS));
