/** @module store/postgres/sessions-repo — sessions on PostgreSQL (statements: store/statements/sessions.ts). */
import { SESSIONS } from '../statements/sessions.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('sessions', (db) => db.bind(SESSIONS));
