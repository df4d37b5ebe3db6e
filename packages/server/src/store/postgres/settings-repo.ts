/** @module store/postgres/settings-repo — per-tenant JSON documents on PostgreSQL (store/statements/settings.ts). */
import { SETTINGS } from '../statements/settings.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('settings', (db) => db.bind(SETTINGS));
