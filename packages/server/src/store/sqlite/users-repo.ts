/** @module store/sqlite/users-repo — users on SQLite (statements: store/statements/users.ts). */
import { USERS } from '../statements/users.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('users', (db) => db.bind(USERS));
