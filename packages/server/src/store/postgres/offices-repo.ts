/** @module store/postgres/offices-repo — offices an admin defined, on PostgreSQL (store/statements/offices.ts). */
import { OFFICES } from '../statements/offices.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('offices', (db) => db.bind(OFFICES));
