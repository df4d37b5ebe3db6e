/** @module store/postgres/silences-repo — maintenance windows on PostgreSQL (store/statements/silences.ts). */
import { SILENCES } from '../statements/silences.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('silences', (db) => db.bind(SILENCES));
