/** @module store/sqlite/enrollment-repo — enrollment secrets on SQLite (store/statements/enrollment.ts). */
import { ENROLLMENT } from '../statements/enrollment.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('enrollment', (db) => db.bind(ENROLLMENT));
