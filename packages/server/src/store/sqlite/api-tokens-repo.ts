/** @module store/sqlite/api-tokens-repo — API tokens on SQLite (one token table shape: store/statements/tokens.ts). */
import { API_TOKENS } from '../statements/tokens.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('apiTokens', (db) => db.bind(API_TOKENS));
