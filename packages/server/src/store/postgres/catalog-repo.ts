/** @module store/postgres/catalog-repo — endpoint catalog versions on PostgreSQL (store/statements/catalog.ts). */
import { CATALOG } from '../statements/catalog.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('catalog', (db) => db.bind(CATALOG));
