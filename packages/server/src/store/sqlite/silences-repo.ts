/** @module store/sqlite/silences-repo — maintenance windows on SQLite (store/statements/silences.ts). */
import { SILENCES } from '../statements/silences.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('silences', (db) => db.bind(SILENCES));
