/** @module store/postgres/enrollment-repo — enrollment secrets on PostgreSQL (store/statements/enrollment.ts). */
import { ENROLLMENT } from '../statements/enrollment.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('enrollment', (db) => db.bind(ENROLLMENT));
