/** @module store/sqlite/offices-repo — offices an admin defined, on SQLite (store/statements/offices.ts). */
import { OFFICES } from '../statements/offices.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('offices', (db) => db.bind(OFFICES));
