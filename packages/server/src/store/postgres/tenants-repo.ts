/** @module store/postgres/tenants-repo — tenants on PostgreSQL (statements: store/statements/tenants.ts). */
import { TENANTS } from '../statements/tenants.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('tenants', (db) => db.bind(TENANTS));
