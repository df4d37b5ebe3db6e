/** @module store/sqlite/settings-repo — per-tenant JSON documents on SQLite (store/statements/settings.ts). */
import { SETTINGS } from '../statements/settings.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('settings', (db) => db.bind(SETTINGS));
