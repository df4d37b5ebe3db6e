/** @module store/postgres/login-failures-repo — failed sign-ins per key on PostgreSQL (store/statements/login-failures.ts). */
import { LOGIN_FAILURES } from '../statements/login-failures.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('loginFailures', (db) => db.bind(LOGIN_FAILURES));
