/** @module store/postgres/sign-in-repo — single sign-on settings and pending requests on PostgreSQL (store/statements/sign-in.ts). */
import { SIGN_IN } from '../statements/sign-in.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('signIn', (db) => db.bind(SIGN_IN));
